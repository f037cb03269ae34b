"""Retention: qa-app purge removes old plan text, keeps the scores trends need, and logs
what it removed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from qa_app.cli import main
from qa_app.services import audits, demo, retention
from qa_app.services.access import OPERATOR, SYSTEM, Actor
from qa_app.services.errors import PermissionDenied
from qa_app.settings import Settings
from qa_app.store.engine import session_factory
from qa_app.store.models import (
    Audit,
    AuditReopening,
    CriterionScore,
    EventLogEntry,
    Moderation,
    Outcome,
    Plan,
    PlanSection,
)

NOW = datetime(2026, 7, 1, tzinfo=UTC)


def seeded(session) -> None:
    demo.seed_demo(session, SYSTEM, plans=16, seed=5, months=4, until=date(2026, 6, 30))
    session.commit()


def age_plans(session, plan_ids, days: int) -> None:
    """Move a plan's history ``days`` into the past, as if it had sat untouched."""
    moment = NOW - timedelta(days=days)
    for plan in session.scalars(select(Plan).where(Plan.id.in_(plan_ids))):
        plan.created_at = moment
    for audit in session.scalars(select(Audit).where(Audit.plan_id.in_(plan_ids))):
        audit.updated_at = moment
    for moderation in session.scalars(select(Moderation).where(Moderation.plan_id.in_(plan_ids))):
        moderation.updated_at = moment
    session.commit()


def scores_snapshot(session) -> list[tuple]:
    return list(
        session.execute(
            select(
                CriterionScore.audit_id,
                CriterionScore.criterion_id,
                CriterionScore.score,
                CriterionScore.not_applicable,
            ).order_by(CriterionScore.id)
        )
    )


def test_purge_blanks_old_plan_text_and_keeps_scores(session):
    seeded(session)
    ids = list(session.scalars(select(Plan.id).order_by(Plan.id)))
    old, recent = ids[:5], ids[5:]
    age_plans(session, old, days=800)
    age_plans(session, recent, days=100)
    before = scores_snapshot(session)
    grades = list(session.scalars(select(Audit.overall_grade).order_by(Audit.id)))
    weak_flags = list(
        session.execute(select(Outcome.id, Outcome.weak, Outcome.reasons).order_by(Outcome.id))
    )

    summary = retention.purge_plan_text(session, OPERATOR, 730, now=NOW)
    session.commit()

    assert summary.plans == 5 and summary.sections > 0 and summary.outcomes > 0
    assert (
        session.scalar(
            select(func.count())
            .select_from(PlanSection)
            .where(PlanSection.plan_id.in_(old), PlanSection.text != "")
        )
        == 0
    )
    assert (
        session.scalar(
            select(func.count())
            .select_from(Outcome)
            .where(Outcome.plan_id.in_(old), Outcome.text != "")
        )
        == 0
    )
    assert (
        session.scalar(
            select(func.count())
            .select_from(PlanSection)
            .where(PlanSection.plan_id.in_(recent), PlanSection.text == "")
        )
        == 0
    )
    notes = (
        select(func.count())
        .select_from(CriterionScore)
        .join(Audit)
        .where(Audit.plan_id.in_(old), CriterionScore.note != "")
    )
    assert session.scalar(notes) == 0
    assert scores_snapshot(session) == before
    assert list(session.scalars(select(Audit.overall_grade).order_by(Audit.id))) == grades
    assert (
        list(
            session.execute(select(Outcome.id, Outcome.weak, Outcome.reasons).order_by(Outcome.id))
        )
        == weak_flags
    )
    purged = set(session.scalars(select(Plan.id).where(Plan.text_purged_at.is_not(None))))
    assert purged == set(old)

    entries = list(session.scalars(select(EventLogEntry).where(EventLogEntry.action == "purge")))
    assert {e.entity_id for e in entries if e.entity == "plan"} == {str(i) for i in old}
    assert any(e.entity == "retention" and '"plans": 5' in e.detail for e in entries)

    assert retention.purge_plan_text(session, OPERATOR, 730, now=NOW).plans == 0


def test_a_recent_audit_keeps_an_old_plan(session):
    seeded(session)
    plan_id = session.scalar(select(Audit.plan_id).order_by(Audit.id))
    age_plans(session, [plan_id], days=800)
    session.scalars(select(Audit).where(Audit.plan_id == plan_id)).first().updated_at = (
        NOW - timedelta(days=3)
    )
    session.commit()
    assert plan_id not in retention.plans_due(session, retention.cutoff_for(730, NOW))


def test_dry_run_counts_and_changes_nothing(session):
    seeded(session)
    ids = list(session.scalars(select(Plan.id).order_by(Plan.id)))[:3]
    age_plans(session, ids, days=800)
    texts = list(session.scalars(select(PlanSection.text).order_by(PlanSection.id)))
    log_size = session.scalar(select(func.count()).select_from(EventLogEntry))

    summary = retention.purge_plan_text(session, OPERATOR, 730, now=NOW, dry_run=True)
    session.commit()

    assert summary.plans == 3 and summary.sections > 0
    assert list(session.scalars(select(PlanSection.text).order_by(PlanSection.id))) == texts
    assert session.scalar(select(func.count()).select_from(EventLogEntry)) == log_size
    assert (
        retention.purge_plan_text(session, OPERATOR, 730, now=NOW).as_detail()
        == summary.as_detail()
    )


@pytest.mark.parametrize("roles", [{"qa_lead"}, {"training"}, {"auditor"}])
def test_only_admins_purge(session, roles):
    with pytest.raises(PermissionDenied):
        retention.purge_plan_text(
            session, Actor(1, "someone", frozenset(roles), "education"), 730, now=NOW
        )


def test_the_purge_command_reports_counts_only(sqlite_url, capsys):
    settings = Settings(database_url=sqlite_url)
    with session_factory(sqlite_url)() as session:
        seeded(session)
        references = list(session.scalars(select(Plan.reference)))
        session.execute(Plan.__table__.update().values(created_at=datetime(2020, 1, 1, tzinfo=UTC)))
        session.execute(
            Audit.__table__.update().values(updated_at=datetime(2020, 1, 1, tzinfo=UTC))
        )
        session.execute(
            Moderation.__table__.update().values(updated_at=datetime(2020, 1, 1, tzinfo=UTC))
        )
        session.commit()
    assert main(["purge", "--dry-run"], settings=settings) == 0
    dry = capsys.readouterr().out
    assert main(["purge"], settings=settings) == 0
    done = capsys.readouterr().out
    assert dry.startswith(f"would remove the text of {len(references)} plans")
    assert done.startswith(f"removed the text of {len(references)} plans")
    assert not any(reference in dry + done for reference in references)
    with session_factory(sqlite_url)() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Plan).where(Plan.text_purged_at.is_(None))
            )
            == 0
        )


def test_purge_removes_the_reason_for_reopening_with_the_plan_text_and_the_log_keeps_only_a_pointer(
    session,
):
    seeded(session)
    old_plan, recent_plan = (
        session.scalar(select(Audit.plan_id).where(Audit.status == "submitted").order_by(order))
        for order in (Audit.id, Audit.id.desc())
    )
    for plan_id in (old_plan, recent_plan):
        audit_id = session.scalar(
            select(Audit.id).where(Audit.plan_id == plan_id, Audit.status == "submitted")
        )
        audits.reopen(
            session, SYSTEM, audit_id, "The outcomes for section E were scored against section F."
        )
    session.commit()
    age_plans(session, [old_plan], days=800)
    age_plans(session, [recent_plan], days=100)

    retention.purge_plan_text(session, OPERATOR, 730, now=NOW)
    session.commit()

    reasons = dict(
        session.execute(
            select(Audit.plan_id, AuditReopening.reason).select_from(AuditReopening).join(Audit)
        ).all()
    )
    assert reasons == {
        old_plan: "",
        recent_plan: "The outcomes for section E were scored against section F.",
    }
    logged = " ".join(str(e.detail) for e in session.scalars(select(EventLogEntry)))
    assert "scored against" not in logged and '"reopening": ' in logged

"""Synthetic demo data: deterministic, marked synthetic, realistic proportions and a trend."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from qa_app.services import actions, demo, reaudits
from qa_app.services.access import SYSTEM
from qa_app.settings import Settings
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit, ImprovementAction, Moderation, Outcome, Plan, User

UNTIL = date(2026, 6, 30)


def _fingerprint(session) -> list[tuple]:
    rows = session.execute(
        select(
            Plan.team,
            Plan.primary_need,
            Plan.year_group,
            Plan.plan_type,
            Audit.agency,
            Audit.overall_grade,
        )
        .join(Audit, Audit.plan_id == Plan.id)
        .order_by(Plan.id, Audit.id)
    )
    return [tuple(r) for r in rows]


def test_same_seed_gives_the_same_data(sqlite_template, tmp_path):
    prints = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.sqlite3"
        path.write_bytes(sqlite_template.read_bytes())
        url = f"sqlite:///{path}"
        with session_factory(url)() as session:
            demo.seed_demo(session, SYSTEM, plans=60, seed=11, months=6, until=UNTIL)
            session.commit()
            prints.append(_fingerprint(session))
    assert prints[0] == prints[1]
    assert len(prints[0]) >= 60


def test_demo_data_is_synthetic_realistic_and_improves(session):
    summary = demo.seed_demo(session, SYSTEM, plans=400, seed=7, months=24, until=UNTIL)
    session.commit()
    assert summary.plans == 400 and summary.audits > 400 and summary.moderations > 0

    assert (
        session.scalar(select(func.count()).select_from(Plan).where(Plan.is_synthetic.is_(False)))
        == 0
    )
    assert (
        session.scalar(select(func.count()).select_from(Audit).where(Audit.is_synthetic.is_(False)))
        == 0
    )
    assert all(u.is_synthetic for u in session.scalars(select(User)))

    needs = Counter(session.scalars(select(Plan.primary_need)))
    assert [n for n, _ in needs.most_common(3)][:1] == ["ASD"]
    assert "SEMH" in [n for n, _ in needs.most_common(3)]
    assert set(session.scalars(select(Plan.key_stage).distinct())) >= {
        "EYFS",
        "KS1",
        "KS2",
        "KS3",
        "KS4",
        "Post-16",
        "Post-19",
    }
    assert set(session.scalars(select(Audit.agency).distinct())) == {
        "education",
        "health",
        "social_care",
    }
    assert set(session.scalars(select(Plan.plan_type).distinct())) == {"new", "annual_review"}

    outcome_texts = set(session.scalars(select(Outcome.text)))
    assert len(outcome_texts) >= 15

    pairs = session.scalars(
        select(Audit).where(Audit.double_rated.is_(True), Audit.status != "draft")
    ).all()
    by_plan: dict[int, list[Audit]] = {}
    for audit in pairs:
        by_plan.setdefault(audit.plan_id, []).append(audit)
    disagreements = sum(
        1
        for a, b in (v for v in by_plan.values() if len(v) == 2)
        if a.overall_grade != b.overall_grade
    )
    assert 0 < disagreements < len(by_plan)
    assert session.scalar(select(func.count()).select_from(Moderation)) == summary.moderations

    submitted = session.execute(
        select(Audit.submitted_at, Audit.overall_grade).where(Audit.submitted_at.is_not(None))
    ).all()
    early = [g >= 3 for at, g in submitted if at.date() < date(2025, 7, 1)]
    late = [g >= 3 for at, g in submitted if at.date() >= date(2025, 7, 1)]
    assert sum(late) / len(late) > sum(early) / len(early) + 0.05

    team_means = dict(
        session.execute(
            select(Plan.team, func.avg(Audit.overall_grade))
            .join(Audit)
            .where(Audit.overall_grade.is_not(None))
            .group_by(Plan.team)
        ).all()
    )
    assert float(team_means["North locality"]) > float(team_means["South locality"]) + 0.2

    # The QA loop: actions in every status (some overdue), and amended plans re-audited,
    # some better and some not, all synthetic.
    views = actions.list_actions(session, SYSTEM)
    assert {v.status for v in views} == {"open", "done", "cancelled"}
    assert any(v.overdue for v in views) and any(
        v.status == "open" and not v.overdue for v in views
    )
    assert {v.kind for v in views} == set(actions.KINDS)
    assert (
        session.scalar(
            select(func.count())
            .select_from(ImprovementAction)
            .where(ImprovementAction.is_synthetic.is_(False))
        )
        == 0
    )
    impact = reaudits.reaudit_impact(session, SYSTEM, settings=Settings(suppression_size=1))
    assert 0 < impact.overall.improved < impact.overall.cases
    assert (
        session.scalar(select(func.count()).select_from(Plan).where(Plan.version_number == 2))
        == impact.overall.cases
    )

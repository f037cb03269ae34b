"""Storage round trips on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services import rubrics
from qa_app.services.access import SYSTEM
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for, migrations_pending, session_factory
from qa_app.store.models import (
    Audit,
    CriterionScore,
    Outcome,
    Plan,
    PlanSection,
    RubricVersion,
    User,
    UserRole,
)


def _plan() -> Plan:
    return Plan(
        reference="PLN-TEST0001",
        year_group=10,
        key_stage="KS4",
        primary_need="ASD",
        setting_type="mainstream",
        team="North",
        writer_code="W01",
        plan_type="new",
        sections=[PlanSection(letter="A", position=0, text="[child] likes trains.")],
        outcomes=[
            Outcome(
                position=0,
                text="By July, [child] will catch the bus alone.",
                area="Independent living",
                timescale="12 months",
            )
        ],
    )


def test_migrations_create_every_table_and_leave_nothing_pending(db_url):
    tables = set(inspect(engine_for(db_url)).get_table_names())
    assert {
        "plans",
        "plan_sections",
        "outcomes",
        "provision_items",
        "rubric_versions",
        "audits",
        "criterion_scores",
        "moderations",
        "moderation_scores",
        "users",
        "user_roles",
        "audit_log",
    } <= tables
    assert not migrations_pending(db_url)


def test_plan_with_audit_and_scores_round_trips(session, db_url):
    version = rubrics.current_versions(session)[0]
    auditor = User(
        username="a1",
        display_name="Auditor One",
        agency="education",
        role_rows=[UserRole(role="auditor")],
    )
    plan = _plan()
    audit = Audit(
        plan=plan,
        rubric_version_id=version.id,
        auditor=auditor,
        agency="education",
        scores=[CriterionScore(criterion_id="a_child_voice", score=3, note="clear")],
    )
    session.add_all([auditor, plan, audit])
    session.commit()

    with session_factory(db_url)() as other:
        stored = other.scalar(select(Audit).where(Audit.id == audit.id))
        assert stored.plan.reference == "PLN-TEST0001"
        assert stored.plan.outcomes[0].area == "Independent living"
        assert [(s.criterion_id, s.score, s.note) for s in stored.scores] == [
            ("a_child_voice", 3, "clear")
        ]
        assert stored.auditor.roles == {"auditor"}
        assert stored.status == "draft"


def test_concurrent_update_of_one_audit_is_refused_by_version(session, db_url):
    version = rubrics.current_versions(session)[0]
    auditor = User(username="a2", display_name="Auditor Two", agency="education")
    audit = Audit(plan=_plan(), rubric_version_id=version.id, auditor=auditor, agency="education")
    session.add(audit)
    session.commit()

    with session_factory(db_url)() as first, session_factory(db_url)() as second:
        mine = first.get(Audit, audit.id)
        theirs = second.get(Audit, audit.id)
        mine.strengths = "first"
        first.commit()
        theirs.strengths = "second"
        with pytest.raises(StaleDataError):
            second.commit()


def test_edited_rubric_becomes_a_new_version_and_old_one_is_kept(session):
    original = (PROJECT_ROOT / "rubrics" / "ehcp_core.yaml").read_text(encoding="utf-8")
    first = rubrics.register_rubric_text(session, SYSTEM, original, "ehcp_core.yaml")
    again = rubrics.register_rubric_text(session, SYSTEM, original, "ehcp_core.yaml")
    edited = rubrics.register_rubric_text(
        session, SYSTEM, original.replace("version:", "version: 9.9 #", 1), "ehcp_core.yaml"
    )
    session.commit()
    assert again.id == first.id
    assert edited.id != first.id
    assert session.get(RubricVersion, first.id).content == original
    newest = {v.rubric_key: v for v in rubrics.current_versions(session)}
    assert newest["ehcp_core"].id == edited.id

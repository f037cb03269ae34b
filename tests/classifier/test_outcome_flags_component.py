"""The outcome-flags widget in Streamlit's AppTest, against a real SQLite database: the
auditor sees each outcome's flag, probability, reasons and SMART hints, and one click on
agree or disagree is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa_app.classifier import REASON_HINTS, load_model
from qa_app.services import rubrics
from qa_app.services.access import actor_for
from qa_app.store.models import Audit, Outcome, OutcomeJudgement, Plan, User, UserRole

WEAK_TEXT = "Ava will receive speech and language therapy."
STRONG_TEXT = (
    "By the end of Year 5, Ava will ask an adult for help with one word, using her "
    "communication book, in four out of five literacy lessons."
)


@pytest.fixture(autouse=True)
def db_url(sqlite_url, point_app_at):
    """SQLite only, and the app opens the same database."""
    point_app_at(sqlite_url)
    return sqlite_url


def _script(audit_id: int) -> None:
    import streamlit as st

    from qa_app.ui.components.outcome_flags import render_outcome_flags

    render_outcome_flags(st.session_state["actor"], audit_id)


def _people_and_audit(session):
    people = {}
    for name, roles in (("auditor_a", ("auditor",)), ("lead", ("qa_lead",))):
        user = User(
            username=name,
            display_name=name.title(),
            agency="education",
            role_rows=[UserRole(role=role) for role in roles],
        )
        session.add(user)
        session.flush()
        people[name] = actor_for(user)
    plan = Plan(
        reference="PLN-UI0001",
        outcomes=[Outcome(position=0, text=WEAK_TEXT), Outcome(position=1, text=STRONG_TEXT)],
    )
    session.add(plan)
    session.flush()
    audit = Audit(
        plan_id=plan.id,
        rubric_version_id=rubrics.current_versions(session)[0].id,
        auditor_id=people["auditor_a"].user_id,
        agency="education",
    )
    session.add(audit)
    session.commit()
    return people, plan, audit


@pytest.fixture
def open_panel(configuration):
    """``open_panel(actor, audit_id)``: the panel in a fresh AppTest session with the
    test's settings, signed in as ``actor``."""

    def open_(actor, audit_id: int) -> AppTest:
        at = configuration.hand_to(
            AppTest.from_function(_script, args=(audit_id,), default_timeout=60)
        )
        at.session_state["actor"] = actor
        return at.run()

    return open_


def test_auditor_sees_flags_with_hints_and_one_click_is_stored(session, open_panel):
    people, plan, audit = _people_and_audit(session)
    weak_verdict = load_model().classify([WEAK_TEXT])[0]
    at = open_panel(people["auditor_a"], audit.id)
    assert not at.exception
    # Static notices, not alerts a screen reader would announce.
    assert not at.warning and not at.success
    warning = next(m.value for m in at.markdown if ":material/flag:" in m.value)
    assert f"({weak_verdict.p_weak:.0%} likely)" in warning
    for code in weak_verdict.reasons:
        assert REASON_HINTS[code] in warning
    assert any("Not flagged" in m.value for m in at.markdown if ":material/check:" in m.value)
    smart = [element.value for element in at.text if element.value.startswith("SMART parts read")]
    assert len(smart) == 2
    assert (
        "Who: Ava" in smart[1]
        and "Success criterion: four out of five literacy lessons" in smart[1]
    )
    assert "Timescale: By the end of Year 5" in smart[1]
    assert "Action: not found" in smart[0]
    assert [button.label for button in at.button] == [
        "Agree that outcome 1 is weak",
        "Disagree that outcome 1 is weak",
        "Agree that outcome 2 is not weak",
        "Disagree that outcome 2 is not weak",
    ]

    weak_outcome = plan.outcomes[0]
    at.button(key=f"outcome-flag-{audit.id}-{weak_outcome.id}-disagree").click().run()
    assert not at.exception
    session.expire_all()
    stored = session.scalars(select(OutcomeJudgement)).all()
    assert [(j.outcome_id, j.flagged_weak, j.agrees) for j in stored] == [
        (weak_outcome.id, True, False)
    ]
    assert "You disagreed that it is weak." in [caption.value for caption in at.caption]

    again = open_panel(people["auditor_a"], audit.id)
    disagree = again.button(key=f"outcome-flag-{audit.id}-{weak_outcome.id}-disagree")
    assert disagree.proto.type == "primary"


def test_a_qa_lead_sees_the_flags_without_judging_buttons(session, open_panel):
    people, _, audit = _people_and_audit(session)
    at = open_panel(people["lead"], audit.id)
    assert not at.exception
    notices = [
        m.value
        for m in at.markdown
        if ":material/flag:" in m.value or ":material/check:" in m.value
    ]
    assert len(notices) == 2
    assert len(at.button) == 0

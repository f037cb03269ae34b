"""The provision-check widget in Streamlit's AppTest on a real SQLite database, with a
plan imported from Word: each item's verdict and what it lacks, one-click judgements
stored and fed to training, and the thread matrix with its gaps."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa_app.domain.thread import AREA_NAMES
from qa_app.ingest import read_plan
from qa_app.services import rubrics
from qa_app.services.access import OPERATOR, actor_for
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.services.provision_feedback import provision_feedback_examples
from qa_app.store.models import Audit, ProvisionJudgement, User, UserRole
from qa_app.ui.components.provision_checks import GAP_LABELS
from tests.ingest.plan_builder import build_docx
from tests.services.test_plan_checks import LEAD, PLAN


@pytest.fixture(autouse=True)
def db_url(sqlite_url, point_app_at):
    point_app_at(sqlite_url)
    return sqlite_url


def _script(audit_id: int) -> None:
    import streamlit as st

    from qa_app.ui.components.provision_checks import render_provision_checks

    render_provision_checks(st.session_state["actor"], audit_id)


def _audit(session):
    user = User(
        username="auditor_p",
        display_name="Auditor P",
        agency="education",
        role_rows=[UserRole(role="auditor")],
    )
    session.add(user)
    session.flush()
    parsed = read_plan(
        build_docx(
            [
                *PLAN,
                ("heading", 1, "Section F2"),
                ("para", "![x](https://example.org/t.png) **bold** regular support"),
            ]
        ),
        "p.docx",
        date(2026, 3, 1),
    )
    plan = import_plan(session, LEAD, parsed, PlanDetails.from_parsed(parsed, year_group=5))
    audit = Audit(
        plan_id=plan.id,
        rubric_version_id=rubrics.current_versions(session)[0].id,
        auditor_id=user.id,
        agency="education",
    )
    session.add(audit)
    session.commit()
    return actor_for(user), plan, audit


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


def test_verdicts_name_what_is_missing_and_a_click_is_stored_for_training(session, open_panel):
    actor, plan, audit = _audit(session)
    at = open_panel(actor, audit.id)
    assert not at.exception
    assert not at.warning and not at.success  # static notices, not alerts
    notices = [m.value for m in at.markdown if ":material/" in m.value]
    assert any("Possibly vague" in w and "remove hedges" in w for w in notices)
    assert any("Specified and quantified" in s for s in notices)
    texts = [t.value for t in at.text]
    assert any(t.startswith("Access to a quiet room") for t in texts)
    assert not any("example.org" in m.value for m in at.markdown)

    vague = next(item for item in plan.provision if item.weak)
    at.button(key=f"provision-check-{audit.id}-{vague.id}-disagree").click().run()
    assert not at.exception
    session.expire_all()
    judgement = session.scalar(select(ProvisionJudgement))
    assert (judgement.provision_id, judgement.agrees, judgement.flagged_weak) == (
        vague.id,
        False,
        True,
    )
    examples = provision_feedback_examples(session, OPERATOR)
    assert [(e.text, e.weak) for e in examples] == [(vague.text, False)]


def test_the_thread_matrix_highlights_gaps(session, open_panel):
    actor, plan, audit = _audit(session)
    at = open_panel(actor, audit.id)
    assert not at.exception
    table = at.table[0].value
    assert list(table.columns) == ["Area of need", "Need in B–D", "Outcomes", "Provision", "Gaps"]
    rows = dict(zip(table["Area of need"], table["Gaps"]))
    assert rows["communication and interaction"] == ""
    thread = json.loads(plan.thread)
    assert thread["gaps"], "the plan was built with a gap"
    for gap in thread["gaps"]:
        label = AREA_NAMES.get(gap["area"], "no area")
        assert GAP_LABELS[gap["kind"]] in rows[label]
        assert any(gap["detail"] in t.value for t in at.text)
    assert any("gap(s) found" in m.value for m in at.markdown)


def test_the_audit_page_shows_the_checks_beside_the_provision_criteria(session, run_page):
    actor, _plan, audit = _audit(session)
    at = run_page("audit", actor, {"audit": audit.id})
    assert not at.exception
    assert any("Provision check:" in m.value for m in at.markdown)
    assert any("Possibly vague" in m.value for m in at.markdown)
    assert at.table and "Area of need" in at.table[0].value.columns

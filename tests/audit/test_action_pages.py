"""The action pages in AppTest on a real SQLite database: recording an action from an
audit (a weak criterion proposes one), the Actions page for a QA lead (overdue first, in
words; a logged export) and for an owner (mark done), and My audits showing the owner's
open actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qa_app.services import actions, audits
from qa_app.services.actions import Owner
from qa_app.store.models import EventLogEntry, ImprovementAction


@pytest.fixture(autouse=True)
def db_url(sqlite_url, point_app_at):
    point_app_at(sqlite_url)
    return sqlite_url


@pytest.fixture
def submitted(session, team, assign, fill):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = fill(session, team.edu_1, audit_id, level=2)
    audits.submit(session, team.edu_1, audit_id, expected_version=version)
    session.commit()
    return audit_id


def _text(elements) -> str:
    return "\n".join(str(element.value) for element in elements)


def test_the_auditor_records_the_action_a_weak_criterion_proposes(
    session, team, submitted, run_page
):
    at = run_page("audit", team.edu_1, {"audit": submitted})
    assert not at.exception
    form = f"audit-{submitted}-new"
    start = at.selectbox(key=f"{form}-start")
    proposed = [option for option in start.options if option != "Write my own action"]
    assert proposed, "criteria graded Requires improvement propose actions"
    criterion_id = start.value
    description = at.text_area(key=f"{form}-description-{criterion_id}").value
    assert "was graded Requires improvement" in description
    at.button(key=f"{form}-submit").click().run()
    assert "Action recorded." in _text(at.success)
    stored = session.query(ImprovementAction).one()
    assert (stored.audit_id, stored.criterion_id, stored.kind, stored.owner_user_id) == (
        submitted,
        criterion_id,
        "amend_plan",
        team.edu_1.user_id,
    )
    assert stored.description == description
    assert any(description in str(t.value) for t in at.text)


def test_the_lead_sees_overdue_first_in_words_and_exports_through_the_log(
    session, team, submitted, run_page
):
    actions.create_action(
        session,
        team.lead,
        submitted,
        kind="training",
        description="Outcomes training.",
        owner=Owner.of_team("North"),
        due_date=date.today() + timedelta(days=30),
    )
    actions.create_action(
        session,
        team.lead,
        submitted,
        kind="amend_plan",
        description="Amend section E.",
        owner=Owner.user(team.edu_1.user_id),
        due_date=date.today() - timedelta(days=1),
        today=date.today() - timedelta(days=20),
    )
    session.commit()
    at = run_page("actions", team.lead)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Status"]) == ["Overdue", "Open"]
    assert list(table.columns[:3]) == ["Plan", "Status", "Due"]  # what a phone shows first
    assert "1 overdue" in _text(at.markdown)
    at.selectbox(key="actions_status").set_value("overdue").run()
    assert list(at.dataframe[0].value["What is to be done"]) == ["Amend section E."]
    at.button(key="actions_export_prepare").click().run()
    assert "1 actions ready." in _text(at.success)
    assert session.query(EventLogEntry).filter_by(action="export", entity="actions").count() == 1

    assert "There are no actions yet." in _text(run_page("actions", team.edu_2).info)


def test_the_owner_marks_their_action_done_and_sees_it_beside_their_audits(
    session, team, submitted, run_page
):
    action_id = actions.create_action(
        session,
        team.lead,
        submitted,
        kind="writer_feedback",
        description="Talk the writer through outcome 2.",
        owner=Owner.user(team.edu_1.user_id),
        due_date=date.today() + timedelta(days=7),
    )
    session.commit()
    mine = run_page("my_audits", team.edu_1)
    assert not mine.exception
    assert "Your open actions: 1" in _text(mine.markdown)
    assert any("Talk the writer through outcome 2." in str(t.value) for t in mine.text)

    at = run_page("actions", team.edu_1)
    at.selectbox(key="actions_pick").set_value(action_id).run()
    at.text_input(key=f"actions-page-note-{action_id}").input("Feedback given on 1 December.")
    at.button(key=f"actions-page-done-{action_id}").click().run()
    assert f"Action {action_id} marked done." in _text(at.success)
    session.expire_all()
    assert session.get(ImprovementAction, action_id).status == "done"


def test_a_reaudit_shows_the_earlier_audit_beside_it(session, team, submitted, fill, run_page):
    from qa_app.services.sampling import SampleRequest, draw_sample
    from qa_app.store.models import Plan, PlanSection

    first = session.get(Plan, team.plan_id)
    amended = Plan(
        reference="PLN-AUDIT002",
        team="North",
        plan_type="annual_review",
        year_group=10,
        key_stage="KS4",
        primary_need="ASD",
        setting_type="mainstream",
        case_plan_id=first.id,
        version_number=2,
        sections=[PlanSection(letter="A", position=0, text="All about me.")],
    )
    session.add(amended)
    session.flush()
    (again,) = draw_sample(
        session,
        team.lead,
        SampleRequest(
            name="Re-audit",
            method="manual",
            rubric_version_id=team.rubric_version_id,
            assignees={"education": [team.edu_1.user_id]},
            plan_ids=(amended.id,),
        ),
    ).audit_ids
    session.commit()
    fill(session, team.edu_1, again, 3)
    at = run_page("audit", team.edu_1, {"audit": again})
    assert not at.exception
    assert any(e.label.startswith("Earlier audit: version 1 of this case") for e in at.expander)
    table = next(frame.value for frame in at.dataframe if "Change" in frame.value.columns)
    assert set(table["Change"]) - {"—"} == {"Up 1"}
    assert "Earlier audit (version 1): 2 · Requires improvement" in _text(at.caption)

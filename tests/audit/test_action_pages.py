"""The action pages in AppTest on a real SQLite database: recording an action from an
audit (a weak criterion proposes one) and from an agreed moderation, the Actions page in
every role (a QA lead: all, overdue first in words, a logged export; an owner: their own,
mark done; the training team: training actions; an admin: refused), My audits showing
the owner's open actions, a re-audit beside the earlier audit, and the dashboard's
re-audit impact with small-number suppression."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qa_app.benchmarks.workload import submitted_pair
from qa_app.services import actions, audits, moderation
from qa_app.services.access import Actor
from qa_app.services.actions import Owner
from qa_app.services.sampling import SampleRequest, draw_sample
from qa_app.store.models import EventLogEntry, ImprovementAction, Plan, PlanSection


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


def _reaudit(session, team, fill, level: int = 3, *, submit: bool = False) -> int:
    """The team's plan amended as version 2 of its case and audited again by edu_1 at
    ``level`` (and submitted, if asked); the re-audit's id."""
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
    version = fill(session, team.edu_1, again, level)
    if submit:
        audits.submit(session, team.edu_1, again, expected_version=version)
        session.commit()
    return again


def test_a_reaudit_shows_the_earlier_audit_beside_it(session, team, submitted, fill, run_page):
    again = _reaudit(session, team, fill)
    at = run_page("audit", team.edu_1, {"audit": again})
    assert not at.exception
    assert any(e.label.startswith("Earlier audit: version 1 of this case") for e in at.expander)
    table = next(frame.value for frame in at.dataframe if "Change" in frame.value.columns)
    assert set(table["Change"]) - {"—"} == {"Up 1"}
    assert "Earlier audit (version 1): 2 · Requires improvement" in _text(at.caption)


def test_an_action_is_recorded_from_an_agreed_moderation(session, team, run_page):
    first_id, _ = submitted_pair(session, team.lead, team.edu_1, team.edu_2, levels=(2, 2))
    moderation_id = moderation.start_moderation(session, team.lead, first_id)
    version = moderation.open_moderation(session, team.lead, moderation_id).version
    version = moderation.save_overall(
        session,
        team.lead,
        moderation_id,
        expected_version=version,
        overall_grade=2,
        rationale="Both auditors found thin outcomes.",
    )
    moderation.agree(session, team.lead, moderation_id, expected_version=version)
    session.commit()

    at = run_page("moderation", team.lead, {"moderation": moderation_id})
    assert not at.exception
    prefix = f"mod-{moderation_id}-new"
    assert (
        "was graded Requires improvement"
        in at.text_area(
            key=f"{prefix}-description-{at.selectbox(key=f'{prefix}-start').value}"
        ).value
    )
    at.button(key=f"{prefix}-submit").click().run()
    assert "Action recorded." in _text(at.success)
    stored = session.query(ImprovementAction).one()
    assert (stored.moderation_id, stored.audit_id, stored.owner_user_id) == (
        moderation_id,
        first_id,
        team.lead.user_id,
    )


ADMIN = Actor(user_id=None, display_name="Admin only", roles=frozenset({"admin"}))


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("lead", {"owned", "training", "team"}),
        ("edu_1", {"owned"}),  # the owner
        ("edu_2", set()),  # another auditor
        ("training", {"training"}),
        ("admin", None),  # refused
    ],
)
def test_the_actions_page_in_every_role(session, team, submitted, run_page, role, sees):
    due = date.today() + timedelta(days=14)
    recorded = {
        name: actions.create_action(
            session,
            team.lead,
            submitted,
            kind=kind,
            description=f"The {name} action.",
            owner=owner,
            due_date=due,
        )
        for name, kind, owner in (
            ("owned", "amend_plan", Owner.user(team.edu_1.user_id)),
            ("training", "training", Owner.of_team("Learning and development")),
            ("team", "writer_feedback", Owner.of_team("North")),
        )
    }
    session.commit()
    actor = ADMIN if role == "admin" else getattr(team, role)
    at = run_page("actions", actor)
    if sees is None:
        assert "does not allow you to see actions" in _text(at.error)
        return
    assert not at.exception
    shown = set(at.dataframe[0].value["Action"]) if at.dataframe else set()
    assert shown == {recorded[name] for name in sees}
    assert ("actions_export_prepare" in {button.key for button in at.button}) == (role == "lead")
    for name in sees:  # whoever sees an action here may close it
        action_id = recorded[name]
        at.selectbox(key="actions_pick").set_value(action_id).run()
        at.text_input(key=f"actions-page-note-{action_id}").input(f"Done by {role}.")
        at.button(key=f"actions-page-done-{action_id}").click().run()
        assert f"Action {action_id} marked done." in _text(at.success)
    session.expire_all()
    closed = {
        name
        for name, action_id in recorded.items()
        if session.get(ImprovementAction, action_id).status == "done"
    }
    assert closed == sees


def test_the_dashboard_shows_reaudit_impact_with_suppression(
    session, team, submitted, fill, run_page, suppression
):
    _reaudit(session, team, fill, 3, submit=True)
    suppression(1)
    at = run_page("dashboard", team.lead)
    assert not at.exception
    shown = {metric.label: metric.value for metric in at.metric}
    assert (shown["Re-audited plans"], shown["Improved"]) == ("1", "100%")
    assert shown["Mean grade change"].startswith("+")
    by_team = next(frame.value for frame in at.dataframe if "Team" in frame.value.columns)
    assert list(by_team["Team"]) == ["North"] and list(by_team["Improved"]) == ["100% (1)"]

    suppression(5)
    hidden = run_page("dashboard", team.lead)
    shown = {metric.label: metric.value for metric in hidden.metric}
    assert (shown["Re-audited plans"], shown["Improved"], shown["Mean grade change"]) == (
        "1",
        "Suppressed",
        "Suppressed",
    )

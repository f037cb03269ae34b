"""Actions after an audit: who may record, see, close, cancel, reopen and export them,
what overdue means, and the ``qa-app actions list`` contract."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from qa_app.cli import main
from qa_app.services import actions, audits, rubrics
from qa_app.services.access import Actor
from qa_app.services.actions import Owner
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.store.models import EventLogEntry, ImprovementAction

TODAY = date(2026, 12, 2)
ADMIN = Actor(user_id=None, display_name="Admin only", roles=frozenset({"admin"}))
JSON_FIELDS = {
    "id",
    "audit_id",
    "plan_reference",
    "kind",
    "description",
    "owner",
    "due_date",
    "status",
    "overdue",
    "created_at",
    "closed_at",
}


@pytest.fixture
def db_url(request):
    """SQLite unless a test asks for PostgreSQL (one test does)."""
    return request.getfixturevalue(f"{getattr(request, 'param', 'sqlite')}_url")


@pytest.fixture
def submitted(session, team, assign, fill):
    """The team's plan audited by edu_1 at Requires improvement and submitted; the audit id."""
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = fill(session, team.edu_1, audit_id, level=2)
    audits.submit(session, team.edu_1, audit_id, expected_version=version)
    session.commit()
    return audit_id


def _record(
    session,
    actor,
    audit_id,
    *,
    owner,
    kind="amend_plan",
    due=TODAY + timedelta(days=14),
    description="Rewrite outcome 2 so it says what will change by July.",
    today=TODAY,
):
    action_id = actions.create_action(
        session,
        actor,
        audit_id,
        kind=kind,
        description=description,
        owner=owner,
        due_date=due,
        today=today,
    )
    session.commit()
    return action_id


def _log(session, action_id):
    return (
        session.query(EventLogEntry)
        .filter_by(entity="action", entity_id=str(action_id))
        .order_by(EventLogEntry.id)
        .all()
    )


def test_the_auditor_records_an_action_on_their_own_audit_and_it_is_logged(
    session, team, submitted
):
    action_id = _record(session, team.edu_1, submitted, owner=Owner.user(team.edu_2.user_id))
    (view,) = actions.list_actions(session, team.edu_1, today=TODAY)
    assert (view.id, view.audit_id, view.plan_reference, view.status, view.overdue) == (
        action_id,
        submitted,
        "PLN-AUDIT001",
        "open",
        False,
    )
    assert (view.owner_kind, view.owner_name) == ("user", "Edu Two")
    (entry,) = _log(session, action_id)
    assert entry.action == "create" and entry.actor_id == team.edu_1.user_id
    assert "Rewrite" not in (entry.detail or "")  # the description is user text: not logged


def test_who_may_record_an_action(session, team, submitted, assign):
    owner = Owner.of_team("North")
    with pytest.raises(NotFound):
        _record(session, team.edu_2, submitted, owner=owner)  # not their audit
    for actor in (team.training, ADMIN):
        with pytest.raises(PermissionDenied):
            _record(session, actor, submitted, owner=owner)
    assert _record(session, team.lead, submitted, owner=owner)
    (draft,) = assign(session, team, {"education": [team.edu_2.user_id]})
    with pytest.raises(InvalidInput, match="submitted"):
        _record(session, team.lead, draft, owner=owner)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"due": TODAY - timedelta(days=1)}, "past"),
        ({"description": "  \n "}, "empty"),
        ({"kind": "scold_writer"}, "kind"),
        ({"owner": Owner.of_team("   ")}, "team"),
        ({"owner": Owner.user(987654)}, "active user"),
    ],
)
def test_an_action_that_cannot_be_done_is_refused_and_nothing_is_stored(
    session, team, submitted, change, message
):
    arguments = {"owner": Owner.of_team("North")} | change
    with pytest.raises(InvalidInput, match=message):
        _record(session, team.lead, submitted, **arguments)
    session.rollback()
    assert session.query(ImprovementAction).count() == 0


def test_who_sees_which_actions(session, team, submitted):
    owned = _record(session, team.lead, submitted, owner=Owner.user(team.edu_1.user_id))
    training = _record(
        session,
        team.lead,
        submitted,
        owner=Owner.of_team("Learning and development"),
        kind="training",
    )
    team_only = _record(
        session, team.lead, submitted, owner=Owner.of_team("North"), kind="writer_feedback"
    )

    def seen(actor):
        return {view.id for view in actions.list_actions(session, actor, today=TODAY)}

    assert seen(team.lead) == {owned, training, team_only}
    assert seen(team.edu_1) == {owned}
    assert seen(team.edu_2) == set()
    assert seen(team.training) == {training}
    with pytest.raises(PermissionDenied):
        seen(ADMIN)


def test_closing_cancelling_and_reopening_by_who_may(session, team, submitted):
    action_id = _record(session, team.lead, submitted, owner=Owner.user(team.edu_1.user_id))
    for stranger in (team.edu_2, team.training):
        with pytest.raises(NotFound):
            actions.complete_action(session, stranger, action_id, "Done it.")
    with pytest.raises(InvalidInput, match="completion note"):
        actions.complete_action(session, team.edu_1, action_id, " ")
    actions.complete_action(session, team.edu_1, action_id, "Outcome 2 rewritten with the family.")
    session.commit()
    done = session.get(ImprovementAction, action_id)
    assert done.status == "done" and done.closed_at is not None
    with pytest.raises(InvalidInput, match="reopen"):
        actions.cancel_action(session, team.lead, action_id)
    actions.reopen_action(session, team.lead, action_id)
    session.commit()
    assert (done.status, done.closed_at, done.completion_note) == (
        "open",
        None,
        "Outcome 2 rewritten with the family.",
    )
    actions.cancel_action(session, team.edu_1, action_id, "The plan ceased.")
    session.commit()
    log = _log(session, action_id)
    statuses = [(e.old_value, e.new_value) for e in log if e.field == "status"]
    assert statuses == [("open", "done"), ("done", "open"), ("open", "cancelled")]
    # Both notes are logged as changed, without their words.
    notes = [e for e in log if e.field == "completion_note"]
    assert len(notes) == 2 and not any("ceased" in (e.detail or "") for e in notes)
    assert {e.actor_id for e in log} == {team.lead.user_id, team.edu_1.user_id}


def test_the_training_team_closes_training_actions_and_no_others(session, team, submitted):
    training = _record(
        session,
        team.lead,
        submitted,
        owner=Owner.of_team("Learning and development"),
        kind="training",
    )
    other = _record(session, team.lead, submitted, owner=Owner.of_team("North"))
    with pytest.raises(NotFound):
        actions.complete_action(session, team.training, other, "Not ours.")
    actions.complete_action(session, team.training, training, "Workshop held on 30 November.")
    session.commit()
    assert session.get(ImprovementAction, training).status == "done"
    (entry,) = [e for e in _log(session, training) if e.field == "status"]
    assert entry.actor_id == team.training.user_id


def test_overdue_is_an_open_action_past_its_due_date(session, team, submitted):
    late = _record(
        session, team.lead, submitted, owner=Owner.of_team("North"), due=TODAY + timedelta(days=1)
    )
    due_today = _record(
        session, team.lead, submitted, owner=Owner.of_team("North"), due=TODAY + timedelta(days=2)
    )
    closed_late = _record(
        session, team.lead, submitted, owner=Owner.of_team("North"), due=TODAY + timedelta(days=1)
    )
    actions.complete_action(session, team.lead, closed_late, "Feedback given.")
    session.commit()
    later = TODAY + timedelta(days=2)
    views = actions.list_actions(session, team.lead, today=later)
    assert [v.id for v in views if v.overdue] == [late]
    assert views[0].id == late and views[0].status_label == "Overdue"
    assert [
        v.id for v in actions.list_actions(session, team.lead, status="overdue", today=later)
    ] == [late]
    assert {v.id for v in actions.list_actions(session, team.lead, status="open", today=later)} == {
        late,
        due_today,
    }
    assert [v.id for v in actions.list_actions(session, team.lead, status="done", today=later)] == [
        closed_late
    ]


def test_owner_filter_matches_a_user_or_a_team_ignoring_case(session, team, submitted):
    by_user = _record(session, team.lead, submitted, owner=Owner.user(team.edu_2.user_id))
    by_team = _record(session, team.lead, submitted, owner=Owner.of_team("North"))
    assert [v.id for v in actions.list_actions(session, team.lead, owner="edu two")] == [by_user]
    assert [v.id for v in actions.list_actions(session, team.lead, owner="EDU_TWO")] == [by_user]
    assert [v.id for v in actions.list_actions(session, team.lead, owner="north")] == [by_team]
    assert actions.list_actions(session, team.lead, owner="Nobody") == []


def test_weak_criteria_propose_actions_prefilled(session, team):
    version = next(v for v in rubrics.current_versions(session) if v.rubric_key == "ehcp_core")
    rubric = rubrics.rubric_of(version)
    first, second, third = rubric.criteria[:3]
    proposed = actions.proposals(rubric, {first.id: 2, second.id: 3, third.id: 1})
    assert [p.criterion_id for p in proposed] == [first.id, third.id]
    assert proposed[0].level_label == rubric.label(2)
    assert proposed[0].description.startswith(f"{first.title} was graded {rubric.label(2)}.")
    assert {p.kind for p in proposed} == {"amend_plan"}


def test_export_is_for_qa_leads_redacts_identifiers_and_is_logged(session, team, submitted):
    _record(
        session,
        team.lead,
        submitted,
        owner=Owner.of_team("North"),
        description="Call mum on 07700 900123 about NHS number 943 476 5919.",
    )
    with pytest.raises(PermissionDenied):
        actions.export_actions(session, team.edu_1, "csv")
    export = actions.export_actions(session, team.lead, "csv", today=TODAY)
    session.commit()
    text = export.content.decode("utf-8-sig")
    assert export.rows == 1 and text.splitlines()[0] == ",".join(actions.EXPORT_COLUMNS)
    assert "07700 900123" not in text and "943 476 5919" not in text
    entry = session.query(EventLogEntry).filter_by(action="export", entity="actions").one()
    assert json.loads(entry.detail)["rows"] == 1
    assert actions.export_actions(session, team.lead, "xlsx", today=TODAY).content[:2] == b"PK"


def _cli_json(capsys, settings, *args) -> list[dict]:
    assert main(["actions", "list", "--json", *args], settings=settings) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_lists_actions_as_json_with_the_named_fields(
    session, team, submitted, db_url, point_app_at, capsys
):
    open_id = _record(
        session,
        team.lead,
        submitted,
        owner=Owner.user(team.edu_1.user_id),
        kind="re_audit",
        description="Re-audit after amendment; NHS number 943 476 5919 was in the note.",
    )
    late_id = _record(
        session,
        team.lead,
        submitted,
        owner=Owner.of_team("North"),
        due=date.today() - timedelta(days=3),
        today=date.today() - timedelta(days=10),
    )
    done_id = _record(
        session, team.lead, submitted, owner=Owner.of_team("North"), kind="writer_feedback"
    )
    actions.complete_action(session, team.lead, done_id, "Feedback meeting held.")
    session.commit()
    settings = point_app_at(db_url)

    documents = _cli_json(capsys, settings)
    assert {d["id"] for d in documents} == {open_id, late_id, done_id}
    assert all(set(d) >= JSON_FIELDS for d in documents)
    by_id = {d["id"]: d for d in documents}
    first = by_id[open_id]
    assert first["owner"] == {"kind": "user", "name": "Edu One"}
    assert (first["audit_id"], first["plan_reference"], first["kind"], first["status"]) == (
        submitted,
        "PLN-AUDIT001",
        "re_audit",
        "open",
    )
    assert "943 476 5919" not in first["description"]
    assert first["closed_at"] is None and first["created_at"].endswith("Z")
    assert date.fromisoformat(first["due_date"]) == TODAY + timedelta(days=14)
    assert by_id[late_id]["overdue"] is True and by_id[late_id]["owner"] == {
        "kind": "team",
        "name": "North",
    }
    assert by_id[done_id]["status"] == "done" and by_id[done_id]["closed_at"].endswith("Z")

    assert [d["id"] for d in _cli_json(capsys, settings, "--status", "overdue")] == [late_id]
    assert [d["id"] for d in _cli_json(capsys, settings, "--status", "done")] == [done_id]
    assert {d["id"] for d in _cli_json(capsys, settings, "--owner", "north")} == {late_id, done_id}
    assert main(["actions", "list", "--status", "open"], settings=settings) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["id", "audit", "plan"] and len(table) == 3
    assert any("overdue" in line for line in table)


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_actions_on_postgresql(session, team, submitted):
    action_id = _record(
        session, team.edu_1, submitted, owner=Owner.of_team("North"), due=TODAY + timedelta(days=1)
    )
    actions.complete_action(session, team.edu_1, action_id, "Amended.")
    session.commit()
    (view,) = actions.list_actions(
        session, team.lead, status="done", owner="NORTH", today=TODAY + timedelta(days=5)
    )
    assert (view.id, view.overdue, view.closed_at is not None) == (action_id, False, True)
    with pytest.raises(Exception, match="ck_actions_one_owner"):
        session.add(
            ImprovementAction(
                audit_id=submitted,
                kind="training",
                description="x",
                due_date=TODAY,
                status="open",
                completion_note="",
                is_synthetic=False,
            )
        )
        session.flush()


def test_purging_a_plans_text_blanks_its_actions_text_and_keeps_the_action(
    session, team, submitted
):
    from datetime import UTC, datetime

    from qa_app.services import retention
    from qa_app.services.access import SYSTEM

    action_id = _record(
        session,
        team.lead,
        submitted,
        owner=Owner.of_team("North"),
        description="Outcome 2 says [child] will 'engage'; rewrite it.",
    )
    actions.complete_action(session, team.lead, action_id, "Rewritten with the family.")
    session.commit()
    summary = retention.purge_plan_text(session, SYSTEM, 1, now=datetime(2100, 1, 1, tzinfo=UTC))
    session.commit()
    assert summary.plans == 1
    kept = session.get(ImprovementAction, action_id)
    assert (kept.description, kept.completion_note, kept.status, kept.kind) == (
        "",
        "",
        "done",
        "amend_plan",
    )


def test_an_action_from_a_moderation_names_it_and_must_be_of_its_pair(session, team):
    from qa_app.benchmarks.workload import submitted_pair
    from qa_app.services import moderation

    pair = submitted_pair(session, team.lead, team.edu_1, team.edu_2)
    moderation_id = moderation.start_moderation(session, team.lead, pair[0])
    session.commit()
    action_id = actions.create_action(
        session,
        team.lead,
        pair[0],
        kind="writer_feedback",
        description="Feed back the agreed grade to the writer.",
        owner=Owner.of_team("North"),
        due_date=TODAY,
        moderation_id=moderation_id,
        today=TODAY,
    )
    assert session.get(ImprovementAction, action_id).moderation_id == moderation_id
    with pytest.raises(NotFound, match="moderation"):
        actions.create_action(
            session,
            team.lead,
            pair[0],
            kind="training",
            description="x",
            owner=Owner.of_team("North"),
            due_date=TODAY,
            moderation_id=moderation_id + 99,
            today=TODAY,
        )


def test_the_actions_excel_sheet_replaces_control_characters_and_marks_an_over_long_text(
    session, team, submitted
):
    """A description stored before the input rules can hold what Excel cannot."""
    import io
    import re

    from openpyxl import load_workbook

    from qa_app.domain.spreadsheet import EXCEL_CELL_LIMIT

    action_id = _record(session, team.lead, submitted, owner=Owner.of_team("North"))
    description = "pasted\x0bfrom word " + "z" * 40_000
    session.execute(
        ImprovementAction.__table__.update()
        .where(ImprovementAction.id == action_id)
        .values(description=description)
    )
    session.commit()
    export = actions.export_actions(session, team.lead, "xlsx", today=TODAY)
    sheet = load_workbook(io.BytesIO(export.content)).active
    cell = sheet.cell(row=2, column=actions.EXPORT_COLUMNS.index("description") + 1).value
    assert cell.startswith("pasted\ufffdfrom word zzz") and len(cell) <= EXCEL_CELL_LIMIT
    left_out = int(re.search(r"shortened for Excel: (\d+) more characters", cell)[1])
    assert cell.index(" [… shortened") + left_out == len(description)

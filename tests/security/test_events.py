"""The event log's events: every event written is a registered class, every registered
class is written somewhere, and every service path that changes the database records one
(read from the services' code, so a new write path without an event fails here)."""

from __future__ import annotations

import ast

from sqlalchemy import select

from qa_app.services import demo, event_log, events
from qa_app.services.access import SYSTEM
from qa_app.settings import PROJECT_ROOT
from qa_app.store.models import EventLogEntry
from tests.security.service_actions import write_paths

# Functions that change the database without an event of their own, and why that is right;
# the public paths through them must still record one if they change anything else.
UNLOGGED_WRITES = {
    "event_log.record": "the log entry itself",
    "audits._regrade": "the grade derived from the scores whose change is logged",
    "browser_sessions.start_session": "a session token row; the sign-in is logged by accounts",
    "browser_sessions.claim_cookie": "a session token row; the sign-in is logged by accounts",
    "browser_sessions._revoke": "ends a session token; the sign-out is logged by accounts.record_sign_out",
    "browser_sessions.revoke_all": "ends session tokens; the cause (password reset, disable) is logged",
    "lockout.refusal": "failure counters; the refused sign-in is logged by accounts",
    "lockout.record_failure": "failure counters; the failed sign-in is logged by accounts",
    "lockout.forget_success": "failure counters; the sign-in is logged by accounts",
    "lockout.unlock": "failure counters; accounts.unlock_user logs the unlock",
    "database_kind.settle_kind": "marks a new database demo or real once, before any record exists",
    "dashboard_summary.*": "derived summary tables, rebuilt from logged audits",
    "plan_checks.check_plan": "derived checks on a plan, stored by a flag run or import that is logged",
    "rubrics.mark_used": "the first-use time of a rubric version, set by a logged sample or audit",
    "exports.to_xlsx": "sets spreadsheet cells in memory, not rows; the export is logged",
    "score_rows.store_level": "sets a score row's level; the audit or moderation save that calls it logs the change",
    "demo_loop.seed_loop": "synthetic rows added inside demo.seed_demo, which logs the demo data it adds",
}


def _record_calls():
    for path in sorted((PROJECT_ROOT / "qa_app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and getattr(node.func.value, "id", "") == "event_log"
            ):
                yield f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}", node


def test_every_event_written_is_a_registered_class_and_every_class_is_written():
    written, not_typed = set(), []
    for place, call in _record_calls():
        event = call.args[2] if len(call.args) == 3 else None
        if (
            isinstance(event, ast.Call)
            and isinstance(event.func, ast.Name)
            and event.func.id in events.EVENTS
        ):
            written.add(event.func.id)
        else:
            not_typed.append(place)
    assert not_typed == []
    assert set(events.EVENTS) - written == set()


# The (action, entity) values in stored log rows: readers, filters and exports of the log
# rely on them, so an event class may be renamed but these values stay.
STORED = {
    ("agree", "moderation"),
    ("assign", "audit"),
    ("create", "audit_sample"),
    ("create", "demo_data"),
    ("create", "moderation"),
    ("create", "rubric_version"),
    ("create", "user"),
    ("download", "report"),
    ("export", "audits"),
    ("flag", "plan"),
    ("flag_run", "plan"),
    ("import", "plan"),
    ("judge_outcome_flag", "outcome"),
    ("judge_provision_flag", "provision_item"),
    ("purge", "plan"),
    ("purge", "retention"),
    ("reopen", "audit"),
    ("restore", "database"),
    ("sign_in", "user"),
    ("sign_in_failed", "user"),
    ("sign_out", "user"),
    ("submit", "audit"),
    ("update", "audit"),
    ("update", "moderation"),
    ("update", "user"),
    ("view", "audit"),
    ("view", "dashboard_audits"),
    ("view", "moderation"),
    ("view", "plan"),
    ("create", "action"),
    ("update", "action"),
    ("export", "actions"),
    ("create", "family_voice"),
    ("update", "family_voice"),
    ("export", "evidence_pack"),
}


def test_events_keep_the_action_and_entity_values_of_stored_rows():
    assert {(cls.action, cls.entity) for cls in events.EVENTS.values()} == STORED


def test_every_service_path_that_changes_the_database_records_an_event():
    unlogged = {
        name
        for name, (wrote, logged) in write_paths(set(UNLOGGED_WRITES)).items()
        if wrote and not logged and not name.split(".")[1].startswith("_")
    }
    assert unlogged == set()
    writing = {name for name, (wrote, _) in write_paths().items() if wrote}
    writing |= {f"{name.split('.')[0]}.*" for name in writing}
    assert set(UNLOGGED_WRITES) <= writing  # no exemption outlives its write


def test_an_unregistered_event_is_refused(session):
    class Unlisted(events.Event):
        action, entity = "view", "plan"

    try:
        event_log.record(session, SYSTEM, Unlisted(1))
    except TypeError as error:
        assert "not a registered" in str(error)
    else:
        raise AssertionError("an unregistered event was written")


def test_demo_accounts_added_and_their_passwords_set_are_logged(demo_sqlite_url):
    from qa_app.services import accounts
    from qa_app.store.engine import session_factory

    with session_factory(demo_sqlite_url)() as session:
        before = (
            session.scalar(select(EventLogEntry.id).order_by(EventLogEntry.id.desc()).limit(1)) or 0
        )
        for user in session.scalars(select(demo.User).where(demo.User.is_synthetic.is_(True))):
            session.delete(user)
        session.flush()
        users = demo.ensure_demo_users(session)
        accounts.open_demo_accounts(session)
        session.flush()
        entries = session.scalars(select(EventLogEntry).where(EventLogEntry.id > before)).all()
        created = {
            e.entity_id
            for e in entries
            if (e.action, e.entity, e.field) == ("create", "user", "roles")
        }
        passwords = {e.entity_id for e in entries if (e.action, e.field) == ("update", "password")}
        assert created == {str(u.id) for u in users.values()}
        assert passwords and passwords <= created
        assert all("demo" not in (e.new_value or "") or e.field == "roles" for e in entries)
        session.rollback()

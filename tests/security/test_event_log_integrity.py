"""The event log: written by one service, read by QA leads and admins, and append-only
down to the database, which refuses to change or delete an entry."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from qa_app.services import event_log
from qa_app.services.access import OPERATOR
from qa_app.services.events import PlanViewed
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for, upgrade
from qa_app.store.models import EventLogEntry


def test_the_database_refuses_to_change_or_delete_log_entries(session):
    event_log.record(session, OPERATOR, PlanViewed(1))
    session.commit()
    entry_id = session.scalar(select(func.max(EventLogEntry.id)))
    for statement in (
        update(EventLogEntry).where(EventLogEntry.id == entry_id).values(actor_name="someone else"),
        delete(EventLogEntry).where(EventLogEntry.id == entry_id),
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(statement)
        session.rollback()
    assert session.get(EventLogEntry, entry_id).actor_name == OPERATOR.display_name


def test_postgres_refuses_truncating_the_log(postgres_url):
    with (
        engine_for(postgres_url).connect() as connection,
        pytest.raises(DBAPIError, match="append-only"),
    ):
        connection.exec_driver_sql("TRUNCATE audit_log")


def test_the_migration_goes_down_and_up_again(sqlite_url):
    from alembic import command

    from qa_app.store.engine import alembic_config

    command.downgrade(alembic_config(sqlite_url), "0002_dashboard")
    upgrade(sqlite_url)
    with engine_for(sqlite_url).connect() as connection:
        triggers = (
            connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .scalars()
            .all()
        )
    assert {"audit_log_no_update", "audit_log_no_delete"} <= set(triggers)


def test_only_the_event_log_service_writes_log_entries():
    writers = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in (PROJECT_ROOT / "qa_app").rglob("*.py")
        if re.search(r"(?<!class )EventLogEntry\(", path.read_text(encoding="utf-8"))
    ]
    assert writers == ["qa_app/services/event_log.py"]

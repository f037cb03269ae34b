"""Backup and restore: a populated database survives the round trip table by table, a
backup taken while the app writes is consistent, and a file that is not a backup of this
app, or differs from this app's schema at its revision in any way, is refused without
touching the current database. The event log is never rolled back; the restore is logged."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest
from sqlalchemy import delete, select, text, update

from qa_app.cli import main
from qa_app.services import backup as backups
from qa_app.services import demo
from qa_app.services.access import SYSTEM
from qa_app.settings import Settings
from qa_app.store.engine import engine_for, session_scope
from qa_app.store.models import Base, CriterionScore, EventLogEntry, Plan, User

UNTIL = date(2026, 6, 30)


def _populate(url: str) -> None:
    with session_scope(url) as session:
        demo.seed_demo(session, SYSTEM, plans=25, seed=3, months=4, until=UNTIL)


def every_table(url: str, *, log: bool = False) -> dict[str, list[tuple]]:
    """Each application table (the event log only when asked), and the migration marker,
    as rows in primary-key order."""
    snapshot = {}
    with engine_for(url).connect() as connection:
        for name, table in Base.metadata.tables.items():
            if name == "audit_log" and not log:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            snapshot[name] = [
                tuple(row) for row in connection.execute(select(table).order_by(*order))
            ]
        snapshot["alembic_version"] = [
            tuple(r) for r in connection.execute(text("SELECT version_num FROM alembic_version"))
        ]
    return snapshot


def _spoil(url: str) -> None:
    with session_scope(url) as session:
        session.execute(delete(CriterionScore))
        session.execute(update(Plan).values(team="Somewhere else"))
        session.execute(update(User).values(display_name="Changed"))


@pytest.fixture
def populated(db_url):
    _populate(db_url)
    return db_url


def _log(url: str) -> list[tuple]:
    return every_table(url, log=True)["audit_log"]


def test_round_trip_brings_back_every_table_and_keeps_the_log(populated, tmp_path):
    before = every_table(populated)
    assert sum(len(rows) for rows in before.values()) > 1000
    assert all(before[name] for name in ("plans", "audits", "criterion_scores", "users"))

    result = backups.backup(populated, tmp_path / "qa.backup")
    assert result.tables == len(Base.metadata.tables) + 1  # and alembic_version
    assert (tmp_path / "qa.backup").stat().st_mode & 0o777 == 0o600
    with session_scope(populated) as session:
        session.add(EventLogEntry(actor_name="after the backup", action="update", entity="test"))
    _spoil(populated)
    log_before = _log(populated)
    assert every_table(populated) != before

    restored = backups.restore(populated, tmp_path / "qa.backup")
    assert every_table(populated) == before
    assert restored.rows["plans"] == len(before["plans"]) and restored.tables == len(
        Base.metadata.tables
    )
    assert (restored.log_entries_kept, restored.log_entries_added) == (len(log_before), 0)
    log_after = _log(populated)
    assert log_after[:-1] == log_before
    assert log_after[-1][0] > log_before[-1][0] and log_after[-1][4] == "restore"


def test_restore_into_a_fresh_sqlite_database_gives_the_same_tables(tmp_path, sqlite_url):
    _populate(sqlite_url)
    backups.backup(sqlite_url, tmp_path / "qa.backup")
    fresh = f"sqlite:///{tmp_path / 'elsewhere' / 'new.sqlite3'}"
    restored = backups.restore(fresh, tmp_path / "qa.backup")
    assert every_table(fresh) == every_table(sqlite_url)
    assert _log(fresh)[:-1] == _log(sqlite_url) and restored.log_entries_added == len(
        _log(sqlite_url)
    )


def _not_backups(tmp_path, good_backup) -> dict[str, object]:
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"this is not a database at all\n" * 100)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    future = tmp_path / "future.bak"
    future.write_bytes(good_backup.read_bytes())
    with sqlite3.connect(future) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    truncated = tmp_path / "truncated.bak"
    truncated.write_bytes(good_backup.read_bytes()[: good_backup.stat().st_size // 3])
    return {
        "junk": junk,
        "other schema": other,
        "newer release": future,
        "truncated": truncated,
        "missing": tmp_path / "nowhere.bak",
    }


def test_sqlite_restore_refuses_what_is_not_a_backup_and_changes_nothing(sqlite_url, tmp_path):
    _populate(sqlite_url)
    good = backups.backup(sqlite_url, tmp_path / "good.backup").path
    with session_scope(sqlite_url) as session:
        session.execute(delete(CriterionScore).where(CriterionScore.id % 2 == 0))
    before = every_table(sqlite_url)
    for kind, path in _not_backups(tmp_path, good).items():
        with pytest.raises(backups.BackupRefused):
            backups.restore(sqlite_url, path)
        assert every_table(sqlite_url) == before, kind


@pytest.mark.postgres
def test_postgres_restore_refuses_other_archives_and_changes_nothing(
    postgres_url, postgres_server, tmp_path
):
    _populate(postgres_url)
    unrelated = postgres_server.create_database("unrelated_app")
    with engine_for(unrelated).begin() as connection:
        connection.execute(text("CREATE TABLE notes (id integer primary key, body text)"))
    foreign = backups.backup(unrelated, tmp_path / "unrelated.backup").path
    engine_for(unrelated).dispose()
    sqlite_file = tmp_path / "a.sqlite3"
    with sqlite3.connect(sqlite_file) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    before = every_table(postgres_url)
    for path in (foreign, sqlite_file, tmp_path / "nowhere.backup"):
        with pytest.raises(backups.BackupRefused):
            backups.restore(postgres_url, path)
        assert every_table(postgres_url) == before


def test_backup_taken_while_the_app_writes_is_a_consistent_snapshot(sqlite_url, tmp_path):
    _populate(sqlite_url)
    stop = threading.Event()
    written = []

    def keep_writing():
        while not stop.is_set():
            with session_scope(sqlite_url) as session:
                session.add(
                    EventLogEntry(
                        actor_name="writer", action="update", entity="test", entity_id="x"
                    )
                )
            written.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 20:
            threading.Event().wait(0.01)
        copies = [
            backups.backup(sqlite_url, tmp_path / f"online-{n}.backup").path for n in range(3)
        ]
    finally:
        stop.set()
        writer.join()
    assert len(written) > 20
    counts = []
    for copy in copies:
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts.append(
                connection.execute(
                    "SELECT count(*) FROM audit_log WHERE entity = 'test'"
                ).fetchone()[0]
            )
    assert counts == sorted(counts) and counts[0] >= 20
    assert counts[-1] <= len(written)


def test_cli_backup_and_restore_round_trip(sqlite_url, tmp_path, capsys):
    _populate(sqlite_url)
    settings = Settings(database_url=sqlite_url)
    before = every_table(sqlite_url)
    assert main(["backup", str(tmp_path / "cli.backup")], settings=settings) == 0
    _spoil(sqlite_url)
    assert main(["restore", str(tmp_path / "cli.backup")], settings=settings) == 2
    assert every_table(sqlite_url) != before
    assert main(["restore", str(tmp_path / "cli.backup"), "--yes"], settings=settings) == 0
    assert every_table(sqlite_url) == before
    restored = capsys.readouterr().out
    assert (
        f"restored {len(Base.metadata.tables)} tables" in restored and "file mode 0600" in restored
    )
    assert (
        f"  plans: {len(before['plans'])} rows" in restored and "the restore is logged" in restored
    )
    (tmp_path / "bad.backup").write_text("nonsense")
    assert main(["restore", str(tmp_path / "bad.backup"), "--yes"], settings=settings) == 1
    assert every_table(sqlite_url) == before
    output = capsys.readouterr().out
    assert "unchanged" in output

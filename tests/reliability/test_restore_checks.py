"""A restore trusts nothing in the file: its whole schema must be this app's schema at
the backup's own revision, or it is refused and the target left exactly as it was.
Backups made at each earlier migration load and are migrated forward; a newer one is
refused without touching anything. The event log keeps every entry, with the restore."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import date

import psycopg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, inspect, select, text

from qa_app.services import backup as backups
from qa_app.services import demo
from qa_app.services.access import SYSTEM
from qa_app.store.engine import alembic_config, engine_for, session_scope, upgrade
from qa_app.store.models import Base
from tests.reliability.test_backup import every_table

_names = itertools.count()
REVISIONS = [
    r.revision
    for r in reversed(
        list(ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions())
    )
]
CORE_TABLES = (
    "users",
    "plans",
    "plan_sections",
    "outcomes",
    "audits",
    "criterion_scores",
    "moderations",
)

SQLITE_CRAFTS = {
    "a dropped column": "ALTER TABLE criterion_scores DROP COLUMN note",
    "a planted trigger": "CREATE TRIGGER blank_notes AFTER UPDATE ON criterion_scores BEGIN "
    "UPDATE criterion_scores SET note = '' WHERE id = NEW.id; END",
    "an extra table": "CREATE TABLE leftovers (id INTEGER PRIMARY KEY, body TEXT)",
    "a dropped index": "DROP INDEX ix_criterion_scores_audit_score",
    "no append-only trigger": "DROP TRIGGER audit_log_no_delete",
}
POSTGRES_CRAFTS = {
    "a dropped column": "ALTER TABLE criterion_scores DROP COLUMN note",
    "a planted trigger": """
        CREATE FUNCTION blank_notes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := ''; RETURN NEW; END $$;
        CREATE TRIGGER blank_notes BEFORE UPDATE ON criterion_scores FOR EACH ROW EXECUTE FUNCTION blank_notes()""",
    "an extra table": "CREATE TABLE leftovers (id integer PRIMARY KEY, body text)",
    "a changed type": "ALTER TABLE plans ALTER COLUMN team TYPE text",
    "a disabled trigger": "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
    "a rewritten trigger function": """CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$""",
}


def _populate(url: str) -> None:
    with session_scope(url) as session:
        demo.seed_demo(session, SYSTEM, plans=8, seed=5, months=2, until=date(2026, 6, 30))


def _everything(url: str) -> dict:
    return every_table(url, log=True)


def _postgres_copy(postgres_server, source_url: str) -> str:
    engine_for(source_url).dispose()
    name = f"crafted_{next(_names)}"
    return postgres_server.create_database(name, template=source_url.rsplit("/", 1)[1])


def test_sqlite_backups_that_differ_from_the_schema_are_refused_untouched(sqlite_url, tmp_path):
    _populate(sqlite_url)
    good = backups.backup(sqlite_url, tmp_path / "good.backup").path
    before = _everything(sqlite_url)
    for kind, statement in SQLITE_CRAFTS.items():
        crafted = tmp_path / f"{kind.replace(' ', '_')}.backup"
        crafted.write_bytes(good.read_bytes())
        with sqlite3.connect(crafted) as connection:
            connection.execute(statement)
        connection.close()
        with pytest.raises(backups.BackupRefused, match="does not hold this app's schema"):
            backups.restore(sqlite_url, crafted)
        assert _everything(sqlite_url) == before, kind


@pytest.mark.postgres
def test_postgres_backups_that_differ_from_the_schema_are_refused_untouched(
    postgres_url, postgres_server, tmp_path
):
    _populate(postgres_url)
    before = _everything(postgres_url)
    for kind, statement in POSTGRES_CRAFTS.items():
        crafted = _postgres_copy(postgres_server, postgres_url)
        with psycopg.connect(crafted.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(statement)
        archive = backups.backup(crafted, tmp_path / f"{next(_names)}.backup").path
        engine_for(crafted).dispose()
        with pytest.raises(
            backups.BackupRefused, match="does not hold this app's schema"
        ) as refusal:
            backups.restore(postgres_url, archive)
        assert _everything(postgres_url) == before, kind
        if kind == "an extra table":
            assert "leftovers is not part of this app" in str(refusal.value)
            assert "leftovers" not in inspect(engine_for(postgres_url)).get_table_names()


@pytest.mark.postgres
def test_a_newer_postgres_backup_is_refused_before_anything_changes(
    postgres_url, postgres_server, tmp_path
):
    _populate(postgres_url)
    before = _everything(postgres_url)
    newer = _postgres_copy(postgres_server, postgres_url)
    with engine_for(newer).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    archive = backups.backup(newer, tmp_path / "newer.backup").path
    engine_for(newer).dispose()
    with pytest.raises(backups.BackupRefused, match="newer or different release"):
        backups.restore(postgres_url, archive)
    assert _everything(postgres_url) == before


def _database_at(revision: str, populated: str, url: str) -> None:
    """A database at ``revision`` holding the populated database's rows, as an app of
    that release would have had them."""
    upgrade(url, revision)
    schema = inspect(engine_for(url))
    existing = {
        name: {column["name"] for column in schema.get_columns(name)}
        for name in schema.get_table_names()
    }
    with engine_for(populated).connect() as source, engine_for(url).begin() as target:
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                continue
            if table.name != "audit_log":
                target.execute(table.delete())
            columns = [column for column in table.c if column.name in existing[table.name]]
            rows = [dict(row) for row in source.execute(select(*columns)).mappings()]
            if rows:
                older = Table(table.name, MetaData(), autoload_with=target)
                # Columns a later migration dropped (users.failed_sign_ins) get the value
                # that release gave a new row.
                dropped = {
                    column.name: _blank(column)
                    for column in older.c
                    if column.name not in table.c
                    and not column.nullable
                    and column.server_default is None
                }
                target.execute(older.insert(), [{**dropped, **row} for row in rows])


def _blank(column):
    kind = column.type.python_type
    return {int: 0, bool: False, str: ""}.get(kind)


def _rows(url: str, table, columns) -> list[tuple]:
    """The rows of ``table``, only ``columns`` (those an older revision had), in id order."""
    with engine_for(url).connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(select(*columns).order_by(*table.primary_key.columns))
        ]


def _new_url(db_kind: str, tmp_path, postgres_server=None) -> str:
    if db_kind == "sqlite":
        return f"sqlite:///{tmp_path / f'db_{next(_names)}.sqlite3'}"
    return postgres_server.create_database(f"at_revision_{next(_names)}")


@pytest.mark.parametrize("revision", REVISIONS[:-1])
@pytest.mark.parametrize(
    "db_kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_backup_made_at_each_earlier_migration_loads_then_migrates(
    db_kind, revision, request, tmp_path
):
    server = request.getfixturevalue("postgres_server") if db_kind == "postgres" else None
    populated = request.getfixturevalue(f"{db_kind}_url")
    _populate(populated)
    older = _new_url(db_kind, tmp_path, server)
    _database_at(revision, populated, older)
    archive = backups.backup(older, tmp_path / "older.backup").path
    target = _new_url(db_kind, tmp_path, server)
    upgrade(target)

    restored = backups.restore(target, archive)
    assert restored.revision == revision and restored.migrated and restored.head == REVISIONS[-1]
    schema = inspect(engine_for(older))
    for name in CORE_TABLES:
        table = Base.metadata.tables[name]
        kept = [
            table.c[column["name"]]
            for column in schema.get_columns(name)
            if column["name"] in table.c
        ]
        assert _rows(target, table, kept) == _rows(populated, table, kept), name
    assert every_table(target)["alembic_version"] == [(REVISIONS[-1],)]
    assert backups.schema_differences(backups.schema_of(target), backups.schema_of(populated)) == []
    for url in (older, target):
        engine_for(url).dispose()


def test_log_entries_only_in_the_backup_are_appended_with_new_ids(sqlite_url, tmp_path):
    _populate(sqlite_url)
    archive = backups.backup(sqlite_url, tmp_path / "a.backup").path
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    upgrade(other)
    with session_scope(other) as session:
        from qa_app.services import event_log
        from qa_app.services.events import PlanViewed

        for n in range(3):
            event_log.record(session, SYSTEM, PlanViewed(n))
    before = _everything(other)["audit_log"]
    restored = backups.restore(other, archive)
    after = _everything(other)["audit_log"]
    from_backup = _everything(sqlite_url)["audit_log"]
    assert after[: len(before)] == before
    assert [row[1:] for row in after[len(before) : -1]] == [row[1:] for row in from_backup]
    ids = [row[0] for row in after]
    assert ids == sorted(set(ids)) and restored.log_entries_added == len(from_backup)


PLANTED_ROLE = "planted_by_backup"
PLANT_A_ROLE = f"""
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PLANTED_ROLE}')
    THEN CREATE ROLE {PLANTED_ROLE}; END IF"""


@pytest.fixture
def role_watch(postgres_url):
    """Whether the planted role exists on the server; removed afterwards if it does."""
    yield lambda: _planted_role_exists(postgres_url)
    with engine_for(postgres_url).begin() as connection:
        connection.execute(text(f"DROP ROLE IF EXISTS {PLANTED_ROLE}"))


def _planted_role_exists(url: str) -> bool:
    with engine_for(url).connect() as connection:
        return bool(
            connection.execute(
                text("SELECT count(*) FROM pg_roles WHERE rolname = :name"), {"name": PLANTED_ROLE}
            ).scalar()
        )


@pytest.mark.postgres
def test_a_crafted_postgres_backup_runs_none_of_its_sql(
    postgres_url, postgres_server, tmp_path, role_watch
):
    """Loading an archive runs its SQL with the owner's rights, and a check constraint
    calls its function for every row loaded, before any comparison of schemas could
    refuse the file. The SQL is read out as text and compared first, so none of it runs:
    here the planted function would create a role, which stays uncreated."""
    _populate(postgres_url)
    before = _everything(postgres_url)
    crafted = _postgres_copy(postgres_server, postgres_url)
    with psycopg.connect(crafted.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(
            "CREATE FUNCTION planted() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"
            f"{PLANT_A_ROLE}; RETURN true; END $$"
        )
        connection.execute("ALTER TABLE plans ADD CONSTRAINT planted CHECK (planted())")
        connection.execute(f"DROP ROLE {PLANTED_ROLE}")
    archive = backups.backup(crafted, tmp_path / "crafted.backup").path
    engine_for(crafted).dispose()
    with pytest.raises(backups.BackupRefused) as refusal:
        backups.restore(postgres_url, archive)
    assert not role_watch()
    assert "function planted() is not part of this app's schema" in str(refusal.value)
    assert _everything(postgres_url) == before


@pytest.mark.postgres
def test_sql_hidden_among_a_postgres_backups_rows_never_runs(
    postgres_url, postgres_server, tmp_path, role_watch
):
    """The data part of an archive carries SQL too (each sequence's ``setval``); one
    rewritten in the file's bytes into other SQL is refused before anything runs."""
    _populate(postgres_url)
    before = _everything(postgres_url)
    archive = backups.backup(postgres_url, tmp_path / "good.backup").path
    content = archive.read_bytes()
    start = content.index(b"SELECT pg_catalog.setval('public.plans_id_seq'")
    statement = content[start : content.index(b";", start) + 1]
    planted = f"CREATE ROLE {PLANTED_ROLE};".encode()
    crafted = tmp_path / "crafted.backup"
    crafted.write_bytes(content.replace(statement, planted.ljust(len(statement), b" "), 1))
    with pytest.raises(backups.BackupRefused) as refusal:
        backups.restore(postgres_url, crafted)
    assert not role_watch()
    assert "is not a backup of this app's data" in str(refusal.value)
    assert _everything(postgres_url) == before

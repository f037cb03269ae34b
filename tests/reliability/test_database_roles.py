"""Two PostgreSQL roles: the owner migrates and grants; the runtime role the app signs in
as can read and write the app's data but cannot create objects, disable or drop
triggers, or change or delete event log entries."""

from __future__ import annotations

import itertools

import psycopg
import pytest
from psycopg import errors

from qa_app.cli import main
from qa_app.services import accounts
from qa_app.services.access import SYSTEM
from qa_app.services.bootstrap import prepare_database
from qa_app.settings import PROJECT_ROOT, Settings
from qa_app.store.engine import engine_for, session_scope

pytestmark = pytest.mark.postgres
_names = itertools.count()

FORBIDDEN = [
    "ALTER TABLE audit_log DISABLE TRIGGER USER",
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
    "DROP TRIGGER audit_log_no_change ON audit_log",
    "DELETE FROM audit_log",
    "UPDATE audit_log SET action = 'rewritten'",
    "TRUNCATE audit_log",
    "DROP TABLE plans",
    "ALTER TABLE plans ADD COLUMN planted text",
    "CREATE TABLE planted (id integer)",
    "CREATE TEMPORARY TABLE planted (id integer)",
    "CREATE FUNCTION planted() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
    "CREATE SCHEMA planted",
    "UPDATE alembic_version SET version_num = '0001'",
    "CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
]


@pytest.fixture
def roles(postgres_server):
    n = next(_names)
    owner, runtime, database = f"ehcp_owner_{n}", f"ehcp_app_{n}", f"ehcp_qa_{n}"
    with psycopg.connect(postgres_server.admin_dsn, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {owner} LOGIN CREATEDB")
        connection.execute(f"CREATE ROLE {runtime} LOGIN")
        connection.execute(f"CREATE DATABASE {database} OWNER {owner}")
    base = f"postgresql+psycopg://{{}}@127.0.0.1:{postgres_server.port}/{database}"
    yield base.format(owner), base.format(runtime), runtime
    for url in (base.format(owner), base.format(runtime)):
        engine_for(url).dispose()


@pytest.fixture
def cli(capsys):
    def run(url: str, *argv: str) -> tuple[int, str]:
        code = main(list(argv), settings=Settings(database_url=url, demo=False))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_the_runtime_role_works_the_app_but_cannot_rewrite_the_log_or_change_the_schema(roles, cli):
    owner_url, runtime_url, runtime = roles
    assert cli(owner_url, "db", "upgrade")[0] == 0
    code, out = cli(owner_url, "db", "grant", runtime)
    assert (
        code == 0
        and f"granted {runtime} the runtime privileges" in out
        and "audit_log: read and append only" in out
    )
    assert cli(owner_url, "db", "grant", runtime)[0] == 0  # run again after each upgrade

    settings = Settings(
        database_url=runtime_url, rubrics_dir=str(PROJECT_ROOT / "rubrics"), demo=False
    )
    assert prepare_database(settings) == []
    with session_scope(runtime_url) as session:
        admin = accounts.add_user(
            session, SYSTEM, "alice", "Alice", {"admin"}, password="alice's long password"
        )
        assert admin.id
    with session_scope(runtime_url) as session:
        assert accounts.sign_in(session, "alice", "alice's long password").ok
    assert cli(runtime_url, "users", "list")[0] == 0

    for statement in FORBIDDEN:
        with (
            psycopg.connect(_libpq(runtime_url)) as connection,
            pytest.raises(errors.InsufficientPrivilege),
        ):
            connection.execute(statement)
    with psycopg.connect(_libpq(runtime_url)) as connection:
        entries = connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert entries >= 2
        connection.execute(
            "INSERT INTO audit_log (at, actor_name, action, entity) VALUES (now(), 'x', 'test', 'test')"
        )


def test_grant_refuses_a_runtime_role_that_owns_the_database(roles, cli):
    owner_url, _, _ = roles
    cli(owner_url, "db", "upgrade")
    owner = owner_url.split("//")[1].split("@")[0]
    code, out = cli(owner_url, "db", "grant", owner)
    assert code == 1 and "run it as the owner, naming the runtime role" in out
    code, out = cli(owner_url, "db", "grant", "nobody_by_that_name")
    assert code == 1 and "There is no PostgreSQL role named nobody_by_that_name" in out

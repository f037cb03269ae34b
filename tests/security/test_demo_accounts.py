"""Demo accounts exist and sign in only in a demo database; a database records once, when
it is created, whether it is a demo or a real one; a demo database takes no real accounts
or plans, and a real one no demo data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from alembic import command
from sqlalchemy import exc, select, text

from qa_app.cli import main
from qa_app.ingest import ParsedPlan
from qa_app.ingest.header import PlanMetadata
from qa_app.services import accounts, database_kind, demo
from qa_app.services.access import OPERATOR, SYSTEM, actor_for
from qa_app.services.bootstrap import prepare_database
from qa_app.services.errors import DemoDatabase
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.settings import DEFAULT_SQLITE_PATH, Settings, settings_from_env
from qa_app.store.engine import alembic_config, engine_for, session_factory, session_scope, upgrade
from qa_app.store.models import Plan, User
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import heading_styles


def password_holders(url: str) -> set[str]:
    with session_factory(url)() as session:
        return set(session.scalars(select(User.username).where(User.password_hash.is_not(None))))


def kind(url: str) -> str | None:
    with session_factory(url)() as session:
        return database_kind.kind_of(session)


def fresh_sqlite(tmp_path, name: str = "new.sqlite3") -> str:
    return f"sqlite:///{tmp_path / name}"


@pytest.fixture
def small_seed(monkeypatch):
    original = demo.seed_demo

    def small(session, actor, **_):
        return original(session, actor, plans=12, months=3)

    monkeypatch.setattr(demo, "seed_demo", small)


@pytest.fixture
def cli(monkeypatch, capsys):
    """Runs ``qa-app ARGS`` in this process on a database; returns (exit code, output)."""

    def run(url: str, *argv: str, stdin: str = "") -> tuple[int, str]:
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv), settings=Settings(database_url=url))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def test_only_the_embedded_default_becomes_a_demo_database_unless_qa_demo_says_so():
    assert Settings().database_url == f"sqlite:///{DEFAULT_SQLITE_PATH}"
    assert DEFAULT_SQLITE_PATH.name == "demo.sqlite3"
    assert Settings().new_database_is_demo
    assert not settings_from_env(
        {"QA_DATABASE_URL": "sqlite:////srv/qa.sqlite3"}
    ).new_database_is_demo
    assert settings_from_env(
        {"QA_DATABASE_URL": "sqlite:////srv/qa.sqlite3", "QA_DEMO": "1"}
    ).new_database_is_demo
    assert not settings_from_env({"QA_DEMO": "0"}).new_database_is_demo
    # On PostgreSQL a demo database is made only by `qa-app demo`.
    postgres = settings_from_env({"QA_DATABASE_URL": "postgresql+psycopg://u@h/db", "QA_DEMO": "1"})
    assert not postgres.new_database_is_demo


def test_settings_built_from_a_mapping_do_not_consult_the_process_environment(monkeypatch):
    monkeypatch.setenv("QA_DEMO", "1")
    settings = settings_from_env({"QA_DATABASE_URL": "sqlite:////srv/qa.sqlite3"})
    assert settings.demo is None and not settings.new_database_is_demo


def test_a_new_demo_database_is_seeded_and_opens_one_demo_account_per_role(tmp_path, small_seed):
    url = fresh_sqlite(tmp_path, "demo.sqlite3")
    prepare_database(Settings(database_url=url, demo=True))
    assert kind(url) == "demo"
    assert password_holders(url) == set(accounts.DEMO_SIGN_IN_ACCOUNTS)
    with session_scope(url) as session:
        roles = {
            r
            for u in session.scalars(
                select(User).where(User.username.in_(accounts.DEMO_SIGN_IN_ACCOUNTS))
            )
            for r in u.roles
        }
        assert roles == {"qa_lead", "auditor", "training", "admin"}
        assert accounts.sign_in(session, "demo_qa_lead", accounts.DEMO_PASSWORD).ok


def test_qa_demo_is_read_only_when_the_database_is_created(tmp_path, small_seed):
    demo_url, real_url = (
        fresh_sqlite(tmp_path, "demo.sqlite3"),
        fresh_sqlite(tmp_path, "real.sqlite3"),
    )
    prepare_database(Settings(database_url=demo_url, demo=True))
    prepare_database(Settings(database_url=demo_url, demo=False))
    assert kind(demo_url) == "demo" and password_holders(demo_url) == set(
        accounts.DEMO_SIGN_IN_ACCOUNTS
    )

    prepare_database(Settings(database_url=real_url, demo=False))
    prepare_database(Settings(database_url=real_url, demo=True))
    assert kind(real_url) == "real"
    with session_scope(real_url) as session:
        assert session.scalars(select(User)).all() == []
        assert session.scalars(select(Plan)).all() == []


def test_the_database_refuses_to_change_its_kind(db_url):
    with session_scope(db_url) as session:
        assert database_kind.kind_of(session) == "real"
        assert database_kind.settle_kind(session, "demo") == "real"
    for statement in ("UPDATE database_kind SET kind = 'demo'", "DELETE FROM database_kind"):
        with (
            pytest.raises(exc.DatabaseError, match="cannot change"),
            engine_for(db_url).begin() as connection,
        ):
            connection.execute(text(statement))
    assert kind(db_url) == "real"


def test_the_reported_flaw_demo_accounts_never_read_a_real_plan(sqlite_url):
    """A real database: even a demo account given the published password cannot sign in."""
    with session_scope(sqlite_url) as session:
        demo.ensure_demo_users(session)
        lead = session.scalar(select(User).where(User.username == "demo_qa_lead"))
        lead.password_hash = accounts.hash_password(accounts.DEMO_PASSWORD)
        accounts.add_user(
            session,
            OPERATOR,
            "alice",
            "Alice Jones",
            {"admin", "qa_lead"},
            password="alice's long password",
        )
    with session_scope(sqlite_url) as session:
        assert not accounts.sign_in(session, "demo_qa_lead", accounts.DEMO_PASSWORD).ok
        assert accounts.refreshed_actor(session, actor_for(lead)) is None
        assert accounts.sign_in(session, "alice", "alice's long password").ok
        with pytest.raises(DemoDatabase, match="real database"):
            accounts.open_demo_accounts(session)


def test_a_demo_database_takes_no_real_accounts_or_plans(demo_database):
    url = demo_database(plans=6, seed=2, months=2)
    with session_scope(url) as session:
        lead = actor_for(session.scalar(select(User).where(User.username == "demo_qa_lead")))
        with pytest.raises(DemoDatabase, match="QA_DATABASE_URL") as refusal:
            accounts.add_user(
                session,
                OPERATOR,
                "alice",
                "Alice Jones",
                {"admin"},
                password="alice's long password",
            )
        assert "qa-app db upgrade" in str(refusal.value) and "qa-app users add" in str(
            refusal.value
        )
        parsed = ParsedPlan(
            file="p.docx",
            sections={"A": "All about me."},
            outcomes=[],
            provision=[],
            metadata=PlanMetadata(
                audit_date=date(2026, 3, 1),
                age=None,
                year_group=None,
                key_stage=None,
                primary_need=None,
                setting=None,
                setting_type=None,
            ),
        )
        with pytest.raises(DemoDatabase, match="demo database"):
            import_plan(session, lead, parsed, PlanDetails())
        assert session.scalar(select(User).where(User.username == "alice")) is None


def test_a_database_holding_real_records_is_never_made_a_demo_one(tmp_path):
    url = fresh_sqlite(tmp_path)
    upgrade(url)
    with session_scope(url) as session:
        session.add(User(username="alice", display_name="Alice"))
    prepare_database(Settings(database_url=url, demo=True))
    assert kind(url) == "real" and password_holders(url) == set()


@pytest.mark.parametrize("synthetic_only, expected", [(True, "demo"), (False, "real")])
def test_older_databases_are_classed_by_what_they_hold(tmp_path, synthetic_only, expected):
    """The reported case: the old embedded demo database given a real admin and a real
    plan becomes a real database, and its demo accounts lose their password."""
    url = fresh_sqlite(tmp_path)
    config = alembic_config(url)
    with engine_for(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006_provision_checks_and_thread")
        # Today's User model no longer has the lockout counter that release kept (migration
        # 0008 drops it); give it the value that release gave new rows, so rows can be added.
        connection.exec_driver_sql("ALTER TABLE users DROP COLUMN failed_sign_ins")
        connection.exec_driver_sql(
            "ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0"
        )
    with session_scope(url) as session:
        demo.ensure_demo_users(session)
        lead = session.scalar(select(User).where(User.username == "demo_qa_lead"))
        lead.password_hash = accounts.hash_password(accounts.DEMO_PASSWORD)
        if not synthetic_only:
            session.add(User(username="alice", display_name="Alice Jones"))
            # Raw SQL: today's Plan model has columns (plan versions, 0009) this release lacked.
            session.execute(
                text(
                    "INSERT INTO plans (reference, source, plan_type, is_synthetic, created_at) "
                    "VALUES ('PLN-REAL01', 'import', 'annual_review', 0, CURRENT_TIMESTAMP)"
                )
            )
    prepare_database(Settings(database_url=url, demo=True))
    assert kind(url) == expected
    with session_scope(url) as session:
        assert (
            accounts.sign_in(session, "demo_qa_lead", accounts.DEMO_PASSWORD).ok == synthetic_only
        )


def test_db_upgrade_makes_a_real_database_and_demo_refuses_to_fill_it(tmp_path, cli):
    url = fresh_sqlite(tmp_path)
    code, output = cli(url, "db", "upgrade")
    assert code == 0 and "(real database)" in output
    code, output = cli(url, "demo", "--plans", "5", "--months", "2")
    assert code == 1 and "real database" in output and "Traceback" not in output
    with session_scope(url) as session:
        assert (
            session.scalars(select(Plan)).all() == [] and session.scalars(select(User)).all() == []
        )


def test_qa_app_demo_makes_a_demo_database_that_refuses_real_work(tmp_path, cli):
    url = fresh_sqlite(tmp_path)
    code, output = cli(url, "demo", "--plans", "5", "--months", "2")
    assert code == 0, output
    assert kind(url) == "demo" and password_holders(url) == set(accounts.DEMO_SIGN_IN_ACCOUNTS)

    code, output = cli(
        url,
        "users",
        "add",
        "alice",
        "--name",
        "Alice Jones",
        "--role",
        "admin",
        "--password-stdin",
        stdin="alice's long password\n",
    )
    assert code == 1 and "demo database" in output and "qa-app db upgrade" in output

    plan = tmp_path / "plan.docx"
    plan.write_bytes(build_docx(heading_styles().items))
    code, output = cli(url, "ingest", str(plan))
    assert code == 1 and "demo database" in output and "QA_DATABASE_URL" in output
    code, output = cli(url, "ingest", str(plan), "--json")
    assert code == 0 and '"sections"' in output
    with session_scope(url) as session:
        assert session.scalar(select(User).where(User.username == "alice")) is None
        assert session.scalars(select(Plan).where(Plan.source == "import")).all() == []

    code, output = cli(url, "demo", "--plans", "3", "--months", "1", "--seed", "9")
    assert code == 0 and output.startswith("added synthetic demo data: 3 plans")


def test_a_real_postgres_database_gets_no_demo_accounts(postgres_server):
    url = postgres_server.create_database("qa_new_real")
    prepare_database(
        replace(settings_from_env({"QA_DEMO": "1"}), database_url=url, migrate_on_start=True)
    )
    with session_factory(url)() as session:
        assert database_kind.kind_of(session) == "real"
        assert session.scalars(select(User)).all() == []
    engine_for(url).dispose()


def test_the_system_actor_may_fill_a_new_demo_database(demo_sqlite_url):
    with session_scope(demo_sqlite_url) as session:
        summary = demo.fill_demo_database(session, SYSTEM, plans=4, months=1)
    assert summary.plans == 4 and password_holders(demo_sqlite_url) == set(
        accounts.DEMO_SIGN_IN_ACCOUNTS
    )


def test_a_demo_backup_is_never_restored_into_a_real_database(demo_database, sqlite_url, tmp_path):
    from qa_app.services.backup import BackupRefused, backup, restore

    archive = backup(demo_database(plans=4, seed=1, months=1), tmp_path / "demo.backup").path
    with pytest.raises(BackupRefused, match="demo database"):
        restore(sqlite_url, archive)
    assert kind(sqlite_url) == "real"
    with session_scope(sqlite_url) as session:
        assert (
            session.scalars(select(Plan)).all() == [] and session.scalars(select(User)).all() == []
        )

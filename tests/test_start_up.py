"""Settings are read strictly, and only the commands allowed to create or migrate a
database do so: every other command, and a start-up that may not migrate, refuses a
database that is behind and says to run ``qa-app db upgrade``."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import inspect

from qa_app.cli import main
from qa_app.services.bootstrap import prepare_database
from qa_app.settings import PROJECT_ROOT, Settings, SettingsError, get_settings, settings_from_env
from qa_app.store.engine import DatabaseBehind, engine_for, upgrade

OLDER_REVISION = "0003_audit_log_append_only"
_databases = itertools.count()


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("0", False), ("true", True), ("FALSE", False), ("True", True)]
)
def test_booleans_accept_only_one_zero_true_and_false(raw, value):
    assert settings_from_env({"QA_DEMO": raw, "QA_SHOW_AUDITOR_NAMES": raw}).demo is value


@pytest.mark.parametrize("raw", ["", "yes", "on", "no", "2", " ", "truee"])
def test_any_other_boolean_value_stops_with_the_variable_named(raw):
    with pytest.raises(SettingsError, match="QA_DEMO must be 1, 0, true or false"):
        settings_from_env({"QA_DEMO": raw})


def test_a_number_that_is_not_one_names_its_variable():
    with pytest.raises(SettingsError, match="QA_SUPPRESSION_SIZE must be a number"):
        settings_from_env({"QA_SUPPRESSION_SIZE": "five"})


def test_migrate_on_start_defaults_to_sqlite_only():
    assert Settings(database_url="sqlite:///x.sqlite3").migrates_on_start
    assert not Settings(database_url="postgresql+psycopg://qa@db/qa").migrates_on_start
    assert settings_from_env(
        {"QA_DATABASE_URL": "postgresql+psycopg://qa@db/qa", "QA_MIGRATE_ON_START": "1"}
    ).migrates_on_start
    assert not settings_from_env({"QA_MIGRATE_ON_START": "0"}).migrates_on_start


@pytest.fixture
def cli(monkeypatch, capsys):
    def run(*argv: str, **environment: str) -> tuple[int, str]:
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    yield run
    get_settings.cache_clear()


def test_a_bad_boolean_stops_every_command_before_it_touches_the_database(cli, tmp_path):
    database = tmp_path / "never.sqlite3"
    for argv in (["users", "list"], ["db", "upgrade"], ["demo", "--plans", "1"], ["ready"]):
        code, out = cli(*argv, QA_DATABASE_URL=f"sqlite:///{database}", QA_DEMO="yes")
        assert code == 2 and "QA_DEMO must be 1, 0, true or false, not 'yes'" in out
    assert not database.exists()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"qa_empty_{next(_databases)}")


def _tables(url: str) -> set[str]:
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        return set()
    tables = set(inspect(engine_for(url)).get_table_names())
    engine_for(url).dispose()
    return tables


def _revision(url: str) -> str:
    with engine_for(url).connect() as connection:
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()


def test_commands_refuse_an_empty_database_and_create_nothing(cli, empty_url):
    for argv in (
        ["users", "list"],
        ["purge", "--dry-run"],
        ["export", "--from", "2026-01-01", "--to", "2026-02-01", "--out", "/dev/null"],
    ):
        code, out = cli(*argv, QA_DATABASE_URL=empty_url, QA_DEMO="0")
        assert code == 2 and "run `qa-app db upgrade`" in out, out
    assert _tables(empty_url) == set()


def test_commands_refuse_a_database_that_is_behind_and_leave_it_there(cli, empty_url):
    upgrade(empty_url, OLDER_REVISION)
    code, out = cli("users", "list", QA_DATABASE_URL=empty_url, QA_DEMO="0")
    assert code == 2 and f"at {OLDER_REVISION}" in out and "run `qa-app db upgrade` first" in out
    assert _revision(empty_url) == OLDER_REVISION
    code, out = cli("db", "upgrade", QA_DATABASE_URL=empty_url, QA_DEMO="0")
    assert code == 0
    code, out = cli("users", "list", QA_DATABASE_URL=empty_url, QA_DEMO="0")
    assert code == 0


def test_start_up_migrates_only_when_allowed(empty_url):
    upgrade(empty_url, OLDER_REVISION)
    rubrics_dir = str(PROJECT_ROOT / "rubrics")
    refusing = Settings(
        database_url=empty_url, rubrics_dir=rubrics_dir, demo=False, migrate_on_start=False
    )
    with pytest.raises(DatabaseBehind, match="qa-app db upgrade"):
        prepare_database(refusing)
    assert _revision(empty_url) == OLDER_REVISION
    allowed = Settings(
        database_url=empty_url, rubrics_dir=rubrics_dir, demo=False, migrate_on_start=True
    )
    assert prepare_database(allowed) == []
    assert _revision(empty_url) != OLDER_REVISION
    engine_for(empty_url).dispose()


def test_the_app_does_not_start_on_a_bad_setting_or_a_database_behind(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    database = tmp_path / "app.sqlite3"
    monkeypatch.setenv("QA_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("QA_DEMO", "")
    get_settings.cache_clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "qa_app" / "ui_script.py"), default_timeout=60).run()
    assert "QA_DEMO must be 1, 0, true or false" in at.error[0].value and not database.exists()

    upgrade(f"sqlite:///{database}", OLDER_REVISION)
    monkeypatch.setenv("QA_DEMO", "0")
    monkeypatch.setenv("QA_MIGRATE_ON_START", "false")
    get_settings.cache_clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "qa_app" / "ui_script.py"), default_timeout=60).run()
    assert "run `qa-app db upgrade` first" in at.error[0].value
    assert _revision(f"sqlite:///{database}") == OLDER_REVISION
    get_settings.cache_clear()


@pytest.mark.postgres
def test_a_database_error_is_a_plain_message_never_the_exception(postgres_url, configuration):
    from streamlit.testing.v1 import AppTest

    from qa_app.ui.app import DATABASE_ERROR

    with engine_for(postgres_url).begin() as connection:
        connection.exec_driver_sql("ALTER TABLE rubric_versions DROP COLUMN title")
    engine_for(postgres_url).dispose()
    configuration.set("QA_DATABASE_URL", postgres_url)
    configuration.set("QA_DEMO", "0")
    at = AppTest.from_file(str(PROJECT_ROOT / "qa_app" / "ui_script.py"), default_timeout=60)
    at = configuration.hand_to(at).run()
    assert not at.exception
    assert [error.value for error in at.error] == [DATABASE_ERROR]

"""Shared fixtures: fresh migrated databases on SQLite and on a throwaway PostgreSQL
server, with the shipped rubrics registered.

Every database here is a real one (as ``qa-app db upgrade`` makes), unless named demo:
``demo_sqlite_url`` is an empty demo database (as ``qa-app demo`` starts one) and
``demo_database(plans=, seed=, months=)`` a demo database with that demo data.
``db_url`` is parametrised over both back-ends; tests that need only one use
``sqlite_url`` or ``postgres_url``. Where PostgreSQL's server binaries are missing the
PostgreSQL cases are skipped with the reason (CI installs them, so there they run).

For Streamlit's AppTest: ``point_app_at(url)`` makes the app open that database and
``run_page(page_name, actor)`` renders one page as that signed-in actor;
``suppression(size)`` sets the small-number suppression size. Both fill ``configuration``,
a mapping of ``QA_*`` variables read as the entry points read the environment, and return
the ``Settings`` it makes; ``configuration.hand_to(at)`` gives them to an AppTest run and
``main(argv, settings=...)`` to a ``qa-app`` command. No test changes the process's own
environment.
"""

from __future__ import annotations

import functools
import itertools
import shutil
from datetime import date
from pathlib import Path

import pytest

from qa_app.benchmarks.postgres import PostgresUnavailable, ThrowawayPostgres
from qa_app.services import database_kind, rubrics
from qa_app.services.access import SYSTEM
from qa_app.services.accounts import open_demo_accounts
from qa_app.services.demo import seed_demo
from qa_app.settings import PROJECT_ROOT, Settings, settings_from_env
from qa_app.store.engine import engine_for, session_factory, session_scope, upgrade

_counter = itertools.count()
DEMO_UNTIL = date(2026, 6, 30)
# A ceiling on one AppTest run, not a speed target: the slowest pages build whole reports.
PAGE_TIMEOUT_SECONDS = 120


def _prepare(url: str, kind: str = database_kind.REAL) -> None:
    upgrade(url)
    with session_scope(url) as session:
        database_kind.settle_kind(session, kind)
        rubrics.register_rubric_files(session, SYSTEM, PROJECT_ROOT / "rubrics")


def _template(tmp_path_factory, kind: str) -> Path:
    path = tmp_path_factory.mktemp("template") / f"{kind}.sqlite3"
    url = f"sqlite:///{path}"
    _prepare(url, kind)
    engine_for(url).dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory, database_kind.REAL)


@pytest.fixture(scope="session")
def demo_sqlite_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory, database_kind.DEMO)


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server = ThrowawayPostgres().start()
    except PostgresUnavailable as reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    _prepare(server.create_database("qa_template"))
    engine_for(server.url("qa_template")).dispose()
    yield server
    server.stop()


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    path = tmp_path / "qa.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def demo_sqlite_url(demo_sqlite_template, tmp_path) -> str:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def demo_database(demo_sqlite_template, tmp_path_factory):
    """``demo_database(plans=, seed=, months=)``: the URL of a new SQLite demo database
    holding that much demo data, ending on 30 June 2026."""

    def build(*, plans: int, seed: int, months: int) -> str:
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        shutil.copy(demo_sqlite_template, path)
        url = f"sqlite:///{path}"
        with session_scope(url) as session:
            seed_demo(session, SYSTEM, plans=plans, seed=seed, months=months, until=DEMO_UNTIL)
            open_demo_accounts(session)
        engine_for(url).dispose()
        return url

    return build


@pytest.fixture
def postgres_url(postgres_server) -> str:
    url = postgres_server.create_database(f"qa_test_{next(_counter)}", template="qa_template")
    yield url
    engine_for(url).dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def session(db_url):
    """A session on a fresh database (both back-ends); committed work is visible to
    other sessions on the same URL."""
    with session_factory(db_url)() as session:
        yield session


class Configuration:
    """The ``QA_*`` variables a test runs the app with, held as a mapping."""

    def __init__(self) -> None:
        self.variables: dict[str, str] = {}

    @property
    def settings(self) -> Settings:
        return settings_from_env(self.variables)

    def set(self, name: str, value: str) -> Settings:
        self.variables[name] = value
        return self.settings

    def hand_to(self, at):
        """Give these settings to an AppTest session, as the app's start gives its own."""
        from qa_app.ui.app_settings import SETTINGS_KEY

        at.session_state[SETTINGS_KEY] = self.settings
        return at


@pytest.fixture
def configuration() -> Configuration:
    return Configuration()


@pytest.fixture
def point_app_at(configuration):
    """``point_app_at(url)``: the app's settings name that database (whether it is a demo
    one is the database's own record); a command given the settings it returns opens it too."""

    def point(url: str) -> Settings:
        return configuration.set("QA_DATABASE_URL", url)

    return point


@pytest.fixture
def suppression(configuration):
    """``suppression(size)``: the app's small-number suppression size."""

    def set_size(size: int) -> Settings:
        return configuration.set("QA_SUPPRESSION_SIZE", str(size))

    return set_size


def _render(page_name: str) -> None:
    # AppTest runs this function's source as the script, so it imports what it needs.
    import importlib

    importlib.import_module(f"qa_app.ui.pages.{page_name}").render()


def _run_page(
    configuration: Configuration,
    page_name: str,
    actor,
    query: dict | None = None,
    state: dict | None = None,
):
    # Imported here so that tests without pages do not pay for loading Streamlit.
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_render, args=(page_name,), default_timeout=PAGE_TIMEOUT_SECONDS)
    configuration.hand_to(at)
    at.session_state["actor"] = actor
    for name, value in (state or {}).items():
        at.session_state[name] = value
    for name, value in (query or {}).items():
        at.query_params[name] = str(value)
    return at.run()


@pytest.fixture
def run_page(configuration):
    """``run_page(page_name, actor, query=None, state=None)``: a fresh AppTest session
    (like a browser refresh) with the test's settings, signed in as ``actor``, with those
    query parameters and session-state values, after rendering
    ``qa_app.ui.pages.<page_name>``."""
    return functools.partial(_run_page, configuration)

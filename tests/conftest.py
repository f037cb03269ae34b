"""Shared fixtures: fresh migrated databases on SQLite and on a throwaway PostgreSQL
server, with the shipped rubrics registered.

``db_url`` is parametrised over both back-ends; tests that need only one use
``sqlite_url`` or ``postgres_url``. Where PostgreSQL's server binaries are missing the
PostgreSQL cases are skipped with the reason (CI installs them, so there they run).
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from qa_app.services import rubrics
from qa_app.services.access import SYSTEM
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for, session_factory, session_scope, upgrade
from qa_app.testing.postgres import PostgresUnavailable, ThrowawayPostgres

_counter = itertools.count()


def _prepare(url: str) -> None:
    upgrade(url)
    with session_scope(url) as session:
        rubrics.register_rubric_files(session, SYSTEM, PROJECT_ROOT / "rubrics")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    url = f"sqlite:///{path}"
    _prepare(url)
    engine_for(url).dispose()
    return path


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

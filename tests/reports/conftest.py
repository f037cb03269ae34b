"""Seeded demo databases for report tests: built once, copied for each test."""

from __future__ import annotations

import shutil

import pytest

from qa_app.services.learning_reports import ReportRequest, build_report
from qa_app.store.engine import engine_for, session_scope
from tests.reports.helpers import PERIOD, Docx, actor_named, seed


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("reports") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    seed(url)
    engine_for(url).dispose()
    return path


@pytest.fixture
def demo_url(demo_template, tmp_path) -> str:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    yield url
    engine_for(url).dispose()


@pytest.fixture(scope="session")
def learning_report(demo_template, tmp_path_factory):
    """The learning report for the period, built once on a copy of the seeded database,
    which the tests using it only read."""
    path = tmp_path_factory.mktemp("learning") / "demo.sqlite3"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    with session_scope(url) as session:
        report = build_report(
            session, actor_named(session, "demo_training"), ReportRequest(*PERIOD)
        )
    engine_for(url).dispose()
    return url, Docx.load(report.content)

"""The Reports page: choose a period, build, and get a download, as a training user."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from qa_app.store.engine import session_scope
from qa_app.store.models import EventLogEntry
from tests.reports.helpers import PERIOD, actor_named


@pytest.fixture
def configured(demo_url, point_app_at):
    point_app_at(demo_url)
    return demo_url


def _actor(url: str, username: str):
    with session_scope(url) as session:
        return actor_named(session, username)


def test_training_user_builds_a_report_for_the_chosen_period(configured, run_page):
    at = run_page("reports", _actor(configured, "demo_training"))
    assert not at.exception
    assert at.title[0].value == "Learning reports"
    at.date_input(key="report_from").set_value(PERIOD[0])
    at.date_input(key="report_to").set_value(PERIOD[1])
    at.selectbox(key="report_team").select("North locality")
    at = at.button(key="report_build").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Report ready: it covers ")
    with session_scope(configured) as session:
        logged = session.scalar(
            select(func.count())
            .select_from(EventLogEntry)
            .where(EventLogEntry.action == "download")
        )
    assert logged == 1
    at.date_input(key="report_from").set_value(date(2026, 2, 1))
    at = at.run()
    assert not at.success  # the built report no longer matches the choices


def test_an_auditor_is_refused(configured, run_page):
    at = run_page("reports", _actor(configured, "demo_auditor"))
    assert not at.exception
    assert "does not allow you to download learning reports" in at.error[0].value


def test_a_report_of_no_audits_says_what_it_needs_and_how_audits_are_counted(configured, run_page):
    at = run_page("reports", _actor(configured, "demo_training"))
    at.date_input(key="report_from").set_value(date(2020, 1, 1))
    at.date_input(key="report_to").set_value(date(2020, 3, 31))
    at = at.button(key="report_build").click().run()
    assert not at.exception
    assert not at.success and not at.get("download_button")  # no empty document is handed over
    assert (
        "No audit matches these choices" in at.error[0].value
        and "It needs 5 more submitted audit(s)" in at.error[0].value
    )
    assert any("double-rated counts once" in caption.value for caption in at.caption)

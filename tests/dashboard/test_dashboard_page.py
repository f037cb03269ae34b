"""The Trends page in Streamlit's AppTest, against a real SQLite database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture(autouse=True)
def db_url(sqlite_url, point_app_at):
    """SQLite only, and the app opens the same database."""
    point_app_at(sqlite_url)
    return sqlite_url


@pytest.fixture
def audited(build, session):
    """Jan 2026: North audits graded 4,3,3,2,1,1; Feb 2026: health audits of SEMH plans
    in special schools graded 3,3,2,2,2."""
    for grade in (4, 3, 3, 2, 1, 1):
        build.add_audit("2026-01", grade, {"a_child_voice": grade}, team="North", plan_type="new")
    for grade in (3, 3, 2, 2, 2):
        build.add_audit(
            "2026-02",
            grade,
            {"c_health_needs": grade},
            team="South",
            agency="health",
            need="SEMH",
            key_stage="KS4",
            setting="special",
            year_group=10,
        )
    session.commit()


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_page_shows_headlines_and_charts(audited, lead, run_page):
    at = run_page("dashboard", lead)
    assert not at.exception
    shown = metrics(at)
    assert shown["Audits completed"] == "11"
    assert shown["Good or better"] == "45%"
    assert shown["Flagged for weak outcomes"] == "No data"
    assert len(at.get("vega_lite_chart")) >= 5


@pytest.mark.parametrize(
    "name, value",
    [
        ("dash_team", "South"),
        ("dash_agency", "health"),
        ("dash_primary_need", "SEMH"),
        ("dash_key_stage", "KS4"),
        ("dash_setting_type", "special"),
        ("dash_plan_type", "new"),
    ],
)
def test_each_filter_narrows_the_figures(audited, lead, name, value, run_page):
    at = run_page("dashboard", lead)
    at.selectbox(key=name).set_value(value).run()
    assert not at.exception
    expected = "6" if value == "new" else "5"
    assert metrics(at)["Audits completed"] == expected


def test_months_rubric_and_quarters(audited, lead, run_page):
    at = run_page("dashboard", lead)
    at.select_slider(key="dash_months").set_value(("2026-02", "2026-02")).run()
    assert not at.exception
    assert metrics(at)["Audits completed"] == "5"
    at.radio(key="dash_period").set_value("quarter").run()
    assert not at.exception
    at.selectbox(key="dash_rubric").set_value("health_advice").run()
    assert not at.exception
    assert metrics(at)["Audits completed"] == "0"


def test_small_selection_is_suppressed_on_the_page(audited, lead, run_page):
    at = run_page("dashboard", lead)
    at.selectbox(key="dash_team").set_value("South").run()
    at.select_slider(key="dash_months").set_value(("2026-01", "2026-01")).run()
    assert not at.exception
    assert metrics(at)["Good or better"] in ("No data", "Suppressed")


def test_auditors_are_refused(audited, auditor, run_page):
    at = run_page("dashboard", auditor)
    assert not at.exception
    assert "does not allow" in at.error[0].value

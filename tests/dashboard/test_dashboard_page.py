"""The Trends page in Streamlit's AppTest, against a real SQLite database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa_app.benchmarks import workload
from qa_app.ingest import read_plan
from qa_app.services import audits
from qa_app.services.access import Actor, actor_for
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.store.models import Audit, User, UserRole
from qa_app.ui.components.plain import plain
from tests.conftest import PAGE_TIMEOUT_SECONDS
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import numbered_with_letter


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


def test_the_filters_chosen_are_written_out_in_full(audited, lead, run_page):
    at = run_page("dashboard", lead)
    assert not [c for c in at.caption if c.value.startswith("Showing plans with")]
    at.selectbox(key="dash_primary_need").set_value("SEMH").run()
    at.selectbox(key="dash_setting_type").set_value("special").run()
    assert plain(
        "Showing plans with primary need SEMH — Social, emotional and mental health; setting "
        "Special school."
    ) in [c.value for c in at.caption]


def test_the_short_codes_on_the_charts_are_spelled_out_below_them(audited, lead, run_page):
    at = run_page("dashboard", lead)
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert (
        plain(
            "Each segment is marked with its grade's letters and share: O Outstanding, G Good, "
            "RI Requires improvement, I Inadequate."
        )
        in captions
    )
    sections = next(c for c in captions if c.startswith("Each criterion is named after its"))
    assert plain("A, Section A - views, interests and aspirations") in sections
    assert plain("C, Section C - health needs") in sections
    stages = next(c for c in captions if c.startswith("Key stages"))
    assert plain("KS2, key stage 2, Years 3 to 6") in stages
    assert plain("KS4, key stage 4") in stages


@pytest.fixture
def target(configuration):
    """``target(pct)``: the share Good or better the app aims at."""

    def set_target(pct: float) -> None:
        configuration.set("QA_GOOD_TARGET_PCT", str(pct))

    return set_target


def target_sentence(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Changes are against"))


@pytest.mark.parametrize(
    "pct, said",
    [
        (
            100,
            "45% of graded plans are Good or better (5 of 11); the target is all of them (100%): "
            "6 plans short.",
        ),
        (80, "45% of graded plans are Good or better (5 of 11); the target is 80%: 4 plans short."),
        (
            40,
            "45% of graded plans are Good or better (5 of 11); the target is 40%, and this period "
            "meets it.",
        ),
    ],
)
def test_the_headline_says_how_far_the_share_is_from_the_target(
    audited, lead, run_page, target, pct, said
):
    target(pct)
    at = run_page("dashboard", lead)
    assert not at.exception
    assert target_sentence(at).endswith(" " + said)


def test_the_target_sentence_with_no_graded_plans_or_too_few(audited, lead, run_page, suppression):
    at = run_page("dashboard", lead)
    at.selectbox(key="dash_team").set_value("South").run()
    at.select_slider(key="dash_months").set_value(("2026-01", "2026-01")).run()
    assert target_sentence(at).endswith(
        " No plans were graded in these months to set against the target of all plans Good or "
        "better (100%)."
    )
    suppression(6)
    at = run_page("dashboard", lead)
    at.selectbox(key="dash_team").set_value("South").run()
    assert metrics(at)["Good or better"] == "Suppressed"
    assert target_sentence(at).endswith(
        " The share Good or better is not shown, as it rests on fewer than 6 graded plans; the "
        "target is all plans Good or better (100%)."
    )


def test_auditors_are_refused(audited, auditor, run_page):
    at = run_page("dashboard", auditor)
    assert not at.exception
    assert "does not allow" in at.error[0].value


def _app_on(page_name: str) -> None:
    # AppTest runs this function's source as the script: the signed-in person's pages, as the
    # app registers them, opened on ``page_name``, so that one page can send them to another.
    import streamlit as st

    from qa_app.services.access import allowed
    from qa_app.ui.app import PAGES
    from qa_app.ui.navigation import remember

    actor = st.session_state["actor"]
    pages = {
        name: st.Page(render, title=title, url_path=path, default=name == page_name)
        for name, action, render, title, _icon, path in PAGES
        if allowed(actor, action)
    }
    remember(pages)
    st.navigation(list(pages.values()), position="hidden").run()


def run_app_on(configuration, page_name: str, actor: Actor) -> AppTest:
    at = AppTest.from_function(_app_on, args=(page_name,), default_timeout=PAGE_TIMEOUT_SECONDS)
    configuration.hand_to(at)
    at.session_state["actor"] = actor
    return at.run()


@pytest.fixture
def imported_audit(session) -> tuple[Actor, Audit]:
    """A real plan imported from Word, audited and submitted by an auditor: the QA lead who
    imported it, and the audit."""
    lead_user = User(username="lead", display_name="Lead", role_rows=[UserRole(role="qa_lead")])
    auditor_user = User(
        username="edu", display_name="Edu", agency="education", role_rows=[UserRole(role="auditor")]
    )
    session.add_all([lead_user, auditor_user])
    session.flush()
    lead, auditor = actor_for(lead_user), actor_for(auditor_user)
    parsed = read_plan(
        build_docx(numbered_with_letter().items), "Sam Carter.docx", date(2026, 3, 1)
    )
    plan = import_plan(session, lead, parsed, PlanDetails.from_parsed(parsed, team="South"))
    (audit_id,) = workload.assign(session, lead, [plan.id], [auditor])
    version = workload.fill(session, auditor, audit_id)
    audits.submit(session, auditor, audit_id, expected_version=version)
    session.commit()
    return lead, session.scalar(select(Audit).where(Audit.id == audit_id))


def test_an_audit_listed_behind_a_bar_opens_from_the_keyboard_list(
    imported_audit, suppression, configuration
):
    suppression(1)
    lead, audit = imported_audit
    at = run_app_on(configuration, "dashboard", lead)
    assert not at.exception
    at.selectbox(key="good_or_better_list").select_index(0).run()
    listed = at.dataframe[0].value
    assert list(listed.columns[:4]) == ["Plan", "Grade", "Submitted", "Audit"]
    assert list(listed["Plan"]) == [audit.plan.reference]
    opener = at.selectbox(key="good_or_better_open")
    assert opener.label == "Open one of these audits"
    assert opener.options[0].startswith(f"Plan {audit.plan.reference} · Good · submitted ")
    at = opener.set_value(audit.id).run()
    assert not at.exception
    assert at.query_params["audit"] == str(audit.id)
    assert at.title[0].value == f"Audit of plan {audit.plan.reference}"
    assert "Submitted (locked)" in at.caption[0].value

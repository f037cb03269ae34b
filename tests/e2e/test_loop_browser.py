"""The QA loop in a real headless Chromium against ``streamlit run``: an audit graded
Requires improvement, then an action recorded on it, then the amended plan imported as a
new version of the case, then a re-audit, then the change on the dashboard. Scoring is
set up through the services; recording the action, importing the new version and reading
the dashboard are done in the browser, each waiting for the state it asserts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from qa_app.benchmarks.workload import PASSWORD, actor_named, add_auditors, add_lead, assign, fill
from qa_app.ingest import read_plan_file
from qa_app.services import audits, rubrics
from qa_app.services.access import SYSTEM
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for, session_scope, upgrade
from qa_app.store.models import ImprovementAction, Plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import heading_styles
from tests.support import browser as ui
from tests.support.app_server import AppServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _audited(url: str, plan_id: int, level: int) -> int:
    """The plan audited by the loop's auditor at ``level`` and submitted; the audit id."""
    with session_scope(url) as session:
        lead = actor_named(session, "loop_lead")
        auditor = actor_named(session, "loop_auditor_0")
        (audit_id,) = assign(session, lead, [plan_id], [auditor], name=f"Loop {plan_id}")
        audits.submit(
            session, auditor, audit_id, expected_version=fill(session, auditor, audit_id, level)
        )
    return audit_id


@pytest.fixture
def loop(tmp_path):
    if ui.chromium_path() is None:
        pytest.skip("browser tests skipped: chromium is not installed")
    url = f"sqlite:///{tmp_path / 'loop.sqlite3'}"
    upgrade(url)
    plan_file = tmp_path / "plan.docx"
    plan_file.write_bytes(build_docx(heading_styles().items))
    with session_scope(url) as session:
        rubrics.register_rubric_files(session, SYSTEM, PROJECT_ROOT / "rubrics")
        lead = add_lead(session, "loop_lead")
        add_auditors(session, 1, prefix="loop_auditor")
        first = import_plan(
            session, lead, read_plan_file(str(plan_file)), PlanDetails(team="North locality")
        )
        plan_id, reference = first.id, first.reference
    audit_id = _audited(url, plan_id, 2)
    engine_for(url).dispose()
    app = AppServer(
        url, log_dir=tmp_path, environment={"QA_DEMO": "0", "QA_SUPPRESSION_SIZE": "1"}
    ).start()
    yield app.base_url, url, audit_id, reference, plan_file
    app.stop()


def test_an_action_a_new_version_and_a_reaudit_show_on_the_dashboard(loop):
    base_url, url, audit_id, reference, plan_file = loop
    with sync_playwright() as playwright:
        browser = ui.launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # The audit's address, then signing in, opens the audit.
        page.goto(f"{base_url}/audit?audit={audit_id}")
        ui.settle(page)
        ui.submit_sign_in(page, "loop_lead", PASSWORD)
        page.get_by_role("heading", name=f"Audit of plan {reference}").wait_for(
            timeout=ui.TIMEOUT_MS
        )
        expect(
            page.get_by_text(re.compile(r"criteria were graded Requires improvement or Inadequate"))
        ).to_be_visible()
        page.get_by_role("button", name="Record action").click()
        page.get_by_text("Action recorded.").wait_for(timeout=ui.TIMEOUT_MS)
        expect(
            page.get_by_text(re.compile(r"was graded Requires improvement\.")).first
        ).to_be_visible()

        ui.go_to_page(page, "Import plans")
        ui.choose_files(page, str(plan_file), count=1)
        page.get_by_role("button", name="Read files").click()
        ui.settle(page)
        page.get_by_role("textbox", name="New version of (plan reference)").fill(reference)
        page.get_by_role("button", name="Save plan").click()
        saved = page.get_by_text(
            re.compile(r"Saved \S+ as plan \S+, with .*Version 2 of the case")
        ).first
        saved.wait_for(state="visible", timeout=ui.TIMEOUT_MS)

        with session_scope(url) as session:
            action = session.scalar(select(ImprovementAction))
            assert (action.audit_id, action.kind, action.status) == (audit_id, "amend_plan", "open")
            amended = session.scalar(select(Plan).where(Plan.version_number == 2))
            assert amended.case_plan_id is not None and amended.team == "North locality"
            amended_id = amended.id
        _audited(url, amended_id, 3)

        ui.go_to_page(page, "Trends")
        page.get_by_role("tab", name="Re-audits and impact").click()
        ui.settle(page)
        impact = page.get_by_test_id("stMetric").filter(has_text="Improved")
        impact.wait_for(timeout=ui.TIMEOUT_MS)
        expect(impact).to_contain_text("100%")
        expect(page.get_by_test_id("stMetric").filter(has_text="Re-audited plans")).to_contain_text(
            "1"
        )
        expect(
            page.get_by_test_id("stMetric").filter(has_text="Mean grade change")
        ).to_contain_text("+")
        assert page.locator("[data-testid='stException']").count() == 0
        browser.close()

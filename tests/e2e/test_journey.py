"""One whole journey in a real headless Chromium against ``streamlit run``: a QA lead
imports a Word plan and assigns it double-rated; two auditors score it blind and submit;
the QA lead moderates; the dashboard counts the new audits; a training user downloads a
learning report that names nobody."""

from __future__ import annotations

import re
from datetime import date, timedelta

import docx
import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import func, select

from qa_app.benchmarks.workload import PASSWORD
from qa_app.services import rubrics
from qa_app.services.access import OPERATOR, SYSTEM
from qa_app.services.accounts import add_user
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for, session_scope, upgrade
from qa_app.store.models import Audit, Moderation, Plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import heading_styles
from tests.support import browser as ui
from tests.support.app_server import AppServer

pytestmark = pytest.mark.browser

PEOPLE = {
    "journey_lead": ("Journey Lead Person", {"qa_lead"}, None),
    "journey_first": ("Journey First Auditor", {"auditor"}, "education"),
    "journey_second": ("Journey Second Auditor", {"auditor"}, "education"),
    "journey_trainer": ("Journey Training Person", {"training"}, None),
}
# Words from the Word plan that identify the child or the school.
PLAN_IDENTIFIERS = ("Sam", "Carter", "Oakfield")
NOTHING_CHARTED = "No audits have been submitted yet"


@pytest.fixture
def server(tmp_path):
    if ui.chromium_path() is None:
        pytest.skip("browser tests skipped: chromium is not installed")
    url = f"sqlite:///{tmp_path / 'journey.sqlite3'}"
    upgrade(url)
    with session_scope(url) as session:
        rubrics.register_rubric_files(session, SYSTEM, PROJECT_ROOT / "rubrics")
        for username, (name, roles, agency) in PEOPLE.items():
            add_user(session, OPERATOR, username, name, roles, agency=agency, password=PASSWORD)
    engine_for(url).dispose()
    # One auditor pair is too few for the default suppression, which would hide it all.
    app = AppServer(
        url, log_dir=tmp_path, environment={"QA_DEMO": "0", "QA_SUPPRESSION_SIZE": "1"}
    ).start()
    yield app, url
    app.stop()


def _page(browser, server, username):
    page = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    ).new_page()
    ui.sign_in(page, server.base_url, username, PASSWORD)
    return page


def _import_plan(page) -> str:
    ui.go_to_page(page, "Import plans")
    ui.choose_files(
        page,
        [
            {
                "name": "plan.docx",
                "buffer": build_docx(heading_styles().items),
                "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            }
        ],
        count=1,
    )
    page.get_by_role("button", name="Read files").click()
    ui.settle(page)
    page.get_by_role("textbox", name="Team").fill("North locality")
    page.get_by_role("button", name="Save plan").click()
    ui.settle(page)
    saved = page.get_by_text(re.compile(r"Saved \S+ as plan \S+, with")).first
    saved.wait_for(state="visible", timeout=ui.TIMEOUT_MS)
    return re.search(r"as plan (\S+), with", saved.text_content()).group(1)


def _pick(page, label, option, *, multiple: bool = False) -> None:
    box = page.get_by_role("combobox", name=label).first
    box.click()
    box.press("ArrowDown")
    page.get_by_role("option", name=option).first.click()
    # A multiselect keeps its list open, hiding the rest of the page from the accessibility
    # tree, so Escape closes it. A selectbox closes its own list, and Escape pressed on a
    # closed selectbox would clear the choice.
    if multiple:
        page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)
    ui.settle(page)


def _assign(page, reference: str) -> None:
    ui.go_to_page(page, "Assign")
    page.get_by_test_id("stRadioOption").filter(has_text="Picked by hand").click()
    ui.settle(page)
    _pick(page, re.compile("^Plans"), re.compile(re.escape(reference)), multiple=True)
    _pick(page, "Education auditors", "Journey First Auditor", multiple=True)
    _pick(page, "Education auditors", "Journey Second Auditor", multiple=True)
    page.get_by_role("slider").first.focus()
    page.get_by_role("slider").first.press("End")
    ui.settle(page)
    page.get_by_role("button", name="Draw and assign").click()
    ui.settle(page)
    expect(page.get_by_text("2 audits assigned, 1 plans double-rated blind")).to_be_visible()


def _score_and_submit(page, levels: dict[int, str], default: str) -> None:
    """On an open audit, score every criterion and submit."""
    count = page.locator(ui.CRITERION_LEVELS).count()
    assert count > 10
    for index in range(count):
        ui.choose_level(page, index, levels.get(index, default))
    page.get_by_role("button", name="Submit audit").click()
    page.get_by_role("dialog").get_by_role("button", name="Submit and lock").click()
    ui.settle(page)
    expect(page.get_by_text("The audit is submitted and locked.")).to_be_visible()


def _moderate(page) -> None:
    ui.go_to_page(page, "Moderation")
    ui.select_row(page, "moderation_pairs", 0)
    page.get_by_role("button", name=re.compile("^Moderate")).click()
    ui.settle(page)
    page.get_by_text("Show disagreements only").click()
    ui.settle(page)
    _pick(page, "Agreed level", "Good")
    rationale = page.get_by_role("textbox", name="Rationale", exact=True)
    rationale.fill("Both readings are defensible; the plan meets the standard.")
    ui.wait_until_field_saved(page, rationale)
    ui.settle(page)
    _pick(page, "Agreed overall grade", "Good")
    overall = page.get_by_role("textbox", name="Rationale for the agreed grade")
    overall.fill("Agreed at moderation.")
    ui.wait_until_field_saved(page, overall)
    ui.settle(page)
    page.get_by_role("button", name="Close the moderation").click()
    ui.settle(page)
    expect(page.get_by_text("This moderation is agreed.")).to_be_visible()


def _report_text(page) -> str:
    ui.go_to_page(page, "Reports")
    for label, day in (("From", date.today() - timedelta(days=7)), ("To", date.today())):
        # A date field of day, month and year segments: typing fills them in turn.
        field = page.get_by_test_id("stDateInput").filter(has=page.get_by_text(label, exact=True))
        field.get_by_role("spinbutton").first.click()
        page.keyboard.type(day.strftime("%d%m%Y"))
        page.keyboard.press("Enter")
        ui.settle(page)
    page.get_by_role("button", name="Build report").click()
    ui.settle(page)
    with page.expect_download(timeout=ui.TIMEOUT_MS) as download:
        page.get_by_role("button", name=re.compile("^Download")).click()
    document = docx.Document(str(download.value.path()))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_plan_from_import_to_learning_report(server):
    app, url = server
    with sync_playwright() as playwright:
        browser = ui.launch(playwright)
        lead = _page(browser, app, "journey_lead")
        ui.go_to_page(lead, "Trends")
        expect(lead.get_by_text(NOTHING_CHARTED)).to_be_visible()
        reference = _import_plan(lead)
        _assign(lead, reference)

        first = _page(browser, app, "journey_first")
        ui.open_first_audit(first)
        _score_and_submit(first, {}, "3 · Good")

        second = _page(browser, app, "journey_second")
        ui.open_first_audit(second)
        # Blind: nothing of the first auditor's is shown to the second.
        assert second.locator(f"{ui.CRITERION_LEVELS} input:checked").count() == 0
        assert second.get_by_text("Journey First Auditor").count() == 0
        _score_and_submit(second, {0: "4 · Outstanding"}, "3 · Good")

        _moderate(lead)
        ui.go_to_page(lead, "Trends")
        completed = lead.get_by_test_id("stMetric").filter(has_text="Audits completed")
        expect(completed.get_by_test_id("stMetricValue")).to_have_text(re.compile(r"^[1-9]"))
        assert lead.get_by_text(NOTHING_CHARTED).count() == 0

        trainer = _page(browser, app, "journey_trainer")
        text = _report_text(trainer)
        browser.close()

    with session_scope(url) as session:
        plan_id = session.scalar(select(Plan.id).where(Plan.reference == reference))
        statuses = sorted(session.scalars(select(Audit.status).where(Audit.plan_id == plan_id)))
        agreed = session.scalar(
            select(func.count())
            .select_from(Moderation)
            .where(Moderation.plan_id == plan_id, Moderation.status == "agreed")
        )
    assert statuses == ["moderated", "moderated"] and agreed == 1
    assert len(text) > 200
    identifiers = [reference, *PLAN_IDENTIFIERS, *PEOPLE, *(name for name, _, _ in PEOPLE.values())]
    assert [word for word in identifiers if re.search(rf"\b{re.escape(word)}\b", text)] == []

"""Importing plans in a real headless Chromium at 1400×900: saving one file of several
confirms it where the person pressed Save (in that file's own panel, on screen, with the
keyboard focus on the confirmation), and the confirmation's link opens the Assign page
with the plan picked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qa_app.services import accounts
from qa_app.services.access import OPERATOR
from qa_app.store.engine import engine_for, session_scope
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import heading_styles
from tests.support import browser as ui
from tests.support.app_server import AppServer

pytestmark = pytest.mark.browser

PASSWORD = "a long enough lead password"
FILES = ("first.docx", "second.docx", "third.docx")


@pytest.fixture
def app_server(sqlite_url, tmp_path):
    with session_scope(sqlite_url) as session:
        accounts.add_user(session, OPERATOR, "lead", "Lea Lead", {"qa_lead"}, password=PASSWORD)
    engine_for(sqlite_url).dispose()
    app = AppServer(sqlite_url, log_dir=tmp_path, environment={"QA_DEMO": "0"}).start()
    yield app.base_url
    app.stop()


@pytest.fixture
def plan_files(tmp_path):
    content = build_docx(heading_styles().items)
    paths = [tmp_path / name for name in FILES]
    for path in paths:
        path.write_bytes(content)
    return paths


@pytest.fixture
def page():
    if ui.chromium_path() is None:
        pytest.skip("browser test skipped: chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = ui.launch(playwright)
        yield browser.new_page(viewport={"width": 1400, "height": 900})
        browser.close()


def test_a_saved_plan_is_confirmed_where_save_was_pressed(app_server, plan_files, page):
    ui.sign_in(page, app_server, "lead", PASSWORD)
    ui.go_to_page(page, "Import plans")
    ui.choose_files(page, plan_files, count=len(plan_files))
    page.get_by_role("button", name="Read files").click()
    expect(page.get_by_role("heading", name="3 of 3 files read")).to_be_visible(
        timeout=ui.TIMEOUT_MS
    )
    ui.settle(page)

    panel = page.get_by_test_id("stExpander").filter(has_text="second.docx")
    save = panel.get_by_role("button", name="Save plan")
    save.scroll_into_view_if_needed()
    save.click()
    confirmation = panel.locator(".st-key-import_saved_1").get_by_test_id("stAlert")
    expect(confirmation).to_contain_text("Saved second.docx as plan PLN-", timeout=60_000)
    ui.settle(page)
    expect(confirmation).to_be_in_viewport()
    expect(confirmation).to_be_focused()
    expect(confirmation.get_by_role("status")).to_have_count(1)
    # The other files are still waiting, their forms where they were.
    for other in ("first.docx", "third.docx"):
        expect(
            page.get_by_test_id("stExpander")
            .filter(has_text=other)
            .get_by_role("button", name="Save plan")
        ).to_have_count(1)

    reference = confirmation.inner_text().split("as plan ")[1].split(",")[0]
    panel.get_by_role("link", name=f"Assign plan {reference} for audit").click()
    expect(page.get_by_role("heading", name="Assign audits")).to_be_visible(timeout=60_000)
    ui.settle(page)
    expect(page.get_by_role("radio", name="Picked by hand")).to_be_checked()
    expect(page.get_by_test_id("stMultiSelect").first).to_contain_text(reference)

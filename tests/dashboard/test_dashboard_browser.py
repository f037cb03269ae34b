"""The Trends page in a real headless Chromium against ``streamlit run`` on a demo
database: clicking a bar lists the audits behind it; the filters show their choices whole;
on a phone the list shows its key columns first, and an audit listed opens from the
keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qa_app.services.accounts import DEMO_PASSWORD
from tests.support import browser as ui
from tests.support.app_server import AppServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_app(demo_database, tmp_path_factory):
    if ui.chromium_path() is None:
        pytest.skip("Debian's chromium is not installed")
    url = demo_database(plans=90, seed=5, months=3)
    app = AppServer(url, log_dir=tmp_path_factory.mktemp("dashboard_browser")).start()
    yield app.base_url
    app.stop()


def test_clicking_a_bar_lists_the_audits_behind_it(demo_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = ui.launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        ui.sign_in(page, demo_app, "demo_qa_lead", DEMO_PASSWORD)
        page.get_by_role("link", name="Trends").click()
        page.get_by_text("Audits completed", exact=True).wait_for(timeout=120_000)
        ui.settle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        expect(page.get_by_role("button", name="PNG").nth(1)).to_be_visible(timeout=60_000)
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        # the middle of the plot's lower half: inside the bar of a middle period
        page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.6)
        ui.settle(page)
        heading = page.get_by_text(re.compile(r"^Audits behind "))
        heading.wait_for(timeout=60_000)
        assert "2026" in heading.first.inner_text()
        assert page.get_by_text("DEMO-").count() >= 1
        browser.close()


# Each filter's input is wide enough for the text it shows when the text fits inside it.
OVERFLOWING_FILTERS = """() => [...document.querySelectorAll("[class*='st-key-dash_'] input[role='combobox']")]
    .filter(input => input.scrollWidth > input.clientWidth)
    .map(input => input.getAttribute("aria-label") + ": " + input.value)"""


def _choose_longest(page, label: str) -> str:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    expect(page.get_by_role("option").first).to_be_visible(timeout=60_000)
    names = page.get_by_role("option").all_inner_texts()
    longest = max(names, key=len)
    page.get_by_role("option", name=longest, exact=True).click()
    ui.settle(page)
    expect(box).to_have_value(longest)
    return longest


def _pick_first_by_keyboard(page, box) -> None:
    """Focus a select box, open its list with the down arrow, and take the first choice
    with Enter."""
    box.focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option").first).to_be_visible(timeout=60_000)
    page.keyboard.press("Enter")
    ui.settle(page)


def test_filters_whole_and_on_a_phone_the_key_columns_and_the_audit_by_keyboard(demo_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = ui.launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        ui.sign_in(page, demo_app, "demo_qa_lead", DEMO_PASSWORD)
        ui.go_to_page(page, "Trends")
        page.get_by_text("Audits completed", exact=True).wait_for(timeout=120_000)
        ui.settle(page)
        for label in ("Primary need", "Setting"):
            _choose_longest(page, label)
        assert page.evaluate(OVERFLOWING_FILTERS) == []
        for label in ("Primary need", "Setting"):
            page.get_by_role("combobox", name=label, exact=True).click()
            page.get_by_role("option").first.click()
            ui.settle(page)
            expect(page.get_by_role("combobox", name=label, exact=True)).to_have_value(
                re.compile("^All ")
            )

        page.set_viewport_size({"width": 390, "height": 844})
        collapse = page.get_by_test_id("stSidebarCollapseButton").get_by_role("button")
        if collapse.is_visible():
            collapse.click()
        ui.settle(page)
        chooser = page.get_by_role("combobox", name="List the audits behind this").first
        assert chooser.get_attribute("tabindex") == "0"  # on the Tab key's path
        _pick_first_by_keyboard(page, chooser)
        grid = page.locator(".st-key-good_or_better_audits")
        grid.wait_for(timeout=60_000)
        grid.scroll_into_view_if_needed()
        # The data grid puts only the columns in view into the page, for screen readers.
        headers = grid.locator("[role='columnheader']")
        headers.first.wait_for(state="attached", timeout=60_000)
        shown = [text.strip() for text in headers.all_text_contents() if text.strip()]
        assert shown[:2] == ["Plan", "Grade"], shown
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        opener = page.get_by_role("combobox", name="Open one of these audits")
        cells = grid.locator("[role='gridcell']").all_text_contents()
        listed = next(cell.strip() for cell in cells if cell.strip().startswith("DEMO-"))
        _pick_first_by_keyboard(page, opener)
        expect(page.get_by_role("heading", name=f"Audit of plan {listed}")).to_be_visible(
            timeout=120_000
        )
        ui.settle(page)
        assert "audit=" in page.url
        assert page.get_by_text(re.compile(r"(Submitted|Moderated) \(locked\)")).count() >= 1
        browser.close()

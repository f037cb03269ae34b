"""The Trends page in a real headless Chromium against ``streamlit run`` on a demo
database: clicking a bar lists the audits behind it."""

from __future__ import annotations

import re

import pytest

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
        page.get_by_text("Audits completed").wait_for(timeout=120_000)
        ui.settle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_role("button", name="PNG").count() >= 2
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

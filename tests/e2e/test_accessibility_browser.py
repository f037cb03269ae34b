"""axe-core on every page for every role, in real headless Chromium against ``streamlit
run`` on a demo database: no serious or critical WCAG 2.0/2.1/2.2 A or AA violation.

Besides each page in the navigation it checks the sign-in page, the accessibility
statement while signed out, an open audit, an open plan and an open moderation."""

from __future__ import annotations

import pytest

from qa_app.services.accounts import DEMO_PASSWORD
from tests.support import axe
from tests.support import browser as ui
from tests.support.app_server import AppServer

pytestmark = pytest.mark.browser

ROLES = ["demo_qa_lead", "demo_auditor", "demo_training", "demo_admin"]


@pytest.fixture(scope="module")
def demo_app(demo_database, tmp_path_factory):
    if ui.chromium_path() is None:
        pytest.skip("Debian's chromium is not installed")
    url = demo_database(plans=40, seed=17, months=4)
    app = AppServer(url, log_dir=tmp_path_factory.mktemp("axe")).start()
    yield app.base_url
    app.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = ui.launch(playwright)
        yield chromium
        chromium.close()


def _check(page, where: str, found: dict) -> None:
    violations = axe.blocking_violations(page)
    found[where] = violations
    print(f"axe {where}: {sum(len(v['nodes']) for v in violations)} serious or critical")


def _open_by_keyboard_choice(page, label: str) -> None:
    """Pick the first option of a page's keyboard route (a select box beside a table)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.get_by_role("option").first.click()
    ui.settle(page)


def test_signed_out_pages_have_no_serious_violations(demo_app, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(demo_app)
    ui.settle(page)
    found = {}
    page.get_by_role("textbox", name="Password").wait_for(timeout=ui.TIMEOUT_MS)
    _check(page, "sign-in", found)
    page.get_by_role("link", name="Accessibility statement").click()
    ui.settle(page)
    page.get_by_role("heading", name="Accessibility statement").wait_for(timeout=ui.TIMEOUT_MS)
    _check(page, "accessibility statement (signed out)", found)
    problems = [
        line for where, violations in found.items() for line in axe.describe(where, violations)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_every_role_has_no_serious_violations(demo_app, browser, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    ui.sign_in(page, demo_app, username, DEMO_PASSWORD)
    nav = page.locator(ui.NAV)
    nav.get_by_role("link").first.wait_for(timeout=ui.TIMEOUT_MS)
    # Each link's text is its icon's ligature name, then its title.
    titles = [text.split("\n")[-1].strip() for text in nav.get_by_role("link").all_inner_texts()]
    assert "Accessibility" in titles
    found = {}
    for title in titles:
        ui.go_to_page(page, title)
        _check(page, f"{username} {title}", found)
        if title == "My audits" and username == "demo_auditor":
            if page.get_by_role("combobox", name="Open an audit").count() == 0:
                # The demo auditor may have finished every audit: list the finished ones.
                page.get_by_text("Show submitted and moderated audits").click()
                ui.settle(page)
            _open_by_keyboard_choice(page, "Open an audit")
            page.get_by_role("heading", name="Audit of plan").wait_for(timeout=ui.TIMEOUT_MS)
            ui.settle(page)
            _check(page, f"{username} an open audit", found)
        if title == "Plans" and username == "demo_qa_lead":
            _open_by_keyboard_choice(page, "Open a plan")
            page.get_by_role("heading", name="Plan ").first.wait_for(timeout=ui.TIMEOUT_MS)
            _check(page, f"{username} an open plan", found)
        if title == "Moderation" and username == "demo_qa_lead":
            _open_by_keyboard_choice(page, "Open a pair")
            _check(page, f"{username} a chosen pair", found)
    context.close()
    problems = [
        line for where, violations in found.items() for line in axe.describe(where, violations)
    ]
    assert not problems, "\n".join(problems)

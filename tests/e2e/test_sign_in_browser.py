"""Signing in through a real headless Chromium against ``streamlit run`` on a demo
database (the only kind where demo accounts sign in): the demo credentials work, a link to a page survives signing in, and script
planted in plan text stays text."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from qa_app.services.accounts import DEMO_PASSWORD
from qa_app.store.engine import engine_for, session_scope
from qa_app.store.models import Audit, PlanSection, User
from tests.support import browser as ui
from tests.support.app_server import serving

pytestmark = pytest.mark.browser

PLANTED = '<img src=x onerror="window.__xss=1">Planted words<script>window.__xss=2</script>'


@pytest.fixture(scope="module")
def demo_app(demo_database, tmp_path_factory):
    if ui.chromium_path() is None:
        pytest.skip("Debian's chromium is not installed")
    url = demo_database(plans=12, seed=9, months=3)
    with session_scope(url) as session:
        auditor = session.scalar(select(User).where(User.username == "demo_auditor"))
        plan_id = session.scalar(
            select(Audit.plan_id).where(Audit.auditor_id == auditor.id).order_by(Audit.id)
        )
        section = session.scalar(
            select(PlanSection).where(PlanSection.plan_id == plan_id, PlanSection.letter == "A")
        )
        section.text = PLANTED
    engine_for(url).dispose()
    with serving(url, tmp_path_factory.mktemp("browser")) as base_url:
        yield base_url, plan_id


@pytest.fixture
def page(demo_app):
    with ui.chromium_page(1300, 900) as page:
        yield page


def test_demo_credentials_on_the_sign_in_page_work(demo_app, page):
    base, _ = demo_app
    page.goto(base)
    ui.settle(page)
    assert page.get_by_text(DEMO_PASSWORD).count() == 1
    ui.submit_sign_in(page, "demo_training", "a wrong password", refused=True)
    assert page.get_by_text("do not match an active account").count() == 1
    ui.submit_sign_in(page, "demo_training", DEMO_PASSWORD)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("Demo training lead").count() == 1
    nav = page.locator(ui.NAV).inner_text()
    assert "Plans" not in nav and "Audit log" not in nav
    sidebar.get_by_role("button", name="Sign out").click()
    ui.settle(page)
    page.get_by_role("textbox", name="Password").wait_for(timeout=ui.TIMEOUT_MS)
    assert page.get_by_role("textbox", name="Password").count() == 1


def test_a_link_to_a_plan_leads_there_after_signing_in_and_its_text_stays_text(demo_app, page):
    base, plan_id = demo_app
    page.goto(f"{base}/plan?plan={plan_id}")
    ui.settle(page)
    assert page.get_by_text("Page not found").count() == 0
    ui.submit_sign_in(page, "demo_auditor", DEMO_PASSWORD)
    assert page.url.endswith(f"/plan?plan={plan_id}")
    page.get_by_role("tab", name="All sections").click()
    ui.settle(page)
    assert page.get_by_text("Planted words", exact=False).count() >= 1
    assert page.evaluate("window.__xss") is None
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0


def _session_cookie(context, timeout_s: float = 30) -> dict:
    """Wait for the app's route to hand the browser its session cookie."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        cookie = next((c for c in context.cookies() if c["name"] == "qa_session"), None)
        if cookie:
            return cookie
        time.sleep(0.2)
    raise AssertionError("the session cookie was never set")


def test_a_reload_keeps_the_sign_in_and_an_old_cookie_after_sign_out_signs_nobody_in(
    demo_app, page
):
    base, _ = demo_app
    ui.sign_in(page, base, "demo_training", DEMO_PASSWORD)
    cookie = _session_cookie(page.context)
    assert (cookie["httpOnly"], cookie["secure"], cookie["sameSite"]) == (True, True, "Strict")
    assert page.evaluate("document.cookie").find("qa_session") == -1
    page.reload()
    ui.settle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Demo training lead").wait_for(timeout=ui.TIMEOUT_MS)
    sidebar.get_by_role("button", name="Sign out").click()
    ui.settle(page)
    assert page.get_by_role("textbox", name="Password").count() == 1
    replay = page.context.browser.new_context()
    replay.add_cookies([cookie])
    again = replay.new_page()
    again.goto(base)
    ui.settle(again)
    assert again.get_by_role("textbox", name="Password").count() == 1
    assert again.get_by_test_id("stSidebar").get_by_text("Demo training lead").count() == 0
    replay.close()

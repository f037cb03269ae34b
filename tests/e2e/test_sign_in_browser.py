"""Signing in through a real headless Chromium against ``streamlit run`` on a demo
database (the only kind where demo accounts sign in): the demo credentials work, a link to a page survives signing in, and script
planted in plan text stays text."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from qa_app.services import browser_sessions
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
    expect(page.get_by_role("textbox", name="Password")).to_have_count(1, timeout=ui.TIMEOUT_MS)
    replay = page.context.browser.new_context()
    replay.add_cookies([cookie])
    again = replay.new_page()
    again.goto(base)
    expect(again.get_by_role("textbox", name="Password")).to_have_count(1, timeout=ui.TIMEOUT_MS)
    ui.settle(again)
    assert again.get_by_test_id("stSidebar").get_by_text("Demo training lead").count() == 0
    replay.close()


def _post(base: str, path: str, fields: dict, *, origin: str | None, token: str | None) -> tuple:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if origin is not None:
        headers["Origin"] = origin
    if token is not None:
        headers["Cookie"] = f"qa_session={token}"
    request = urllib.request.Request(
        base + path, data=urllib.parse.urlencode(fields).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def test_the_routes_refuse_other_sites_a_missing_csrf_token_and_an_ended_session(demo_app, page):
    """The two posts beside the app: the cookie hand-over after signing in and the save a
    closing page sends. Another site's page, a forged or missing CSRF token, and the
    cookie of a session that has ended are all refused; a signed-in save is still
    checked like any other (a training lead may not write into an audit)."""
    base, _ = demo_app
    ui.sign_in(page, base, "demo_training", DEMO_PASSWORD)
    token = _session_cookie(page.context)["value"]
    csrf = browser_sessions.csrf_token(token)
    save = {"kind": "note", "record": "1", "target": "a_aspirations", "version": "0"}
    save["text"] = "typed just before the tab closed"

    assert (
        _post(base, "/api/session", {"token": token}, origin="http://evil.example", token=None)[0]
        == 403
    )
    assert _post(base, "/api/session", {"token": token}, origin=None, token=None)[0] == 403
    assert _post(base, "/api/session", {"token": token}, origin=base, token=None)[0] == 403
    for fields, origin in (
        ({**save, "csrf": csrf}, "http://evil.example"),
        ({**save, "csrf": "forged"}, base),
        (save, base),
    ):
        assert _post(base, "/api/autosave", fields, origin=origin, token=token)[0] == 403
    status, body = _post(base, "/api/autosave", {**save, "csrf": csrf}, origin=base, token=token)
    assert status == 409 and "does not allow" in body

    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    page.get_by_role("textbox", name="Password").wait_for(timeout=ui.TIMEOUT_MS)
    status, body = _post(base, "/api/autosave", {**save, "csrf": csrf}, origin=base, token=token)
    assert (status, json.loads(body)["problem"]) == (401, "not signed in")

"""Signing in through a real headless Chromium against ``streamlit run`` on a demo
database: the demo credentials work, a link to a page survives signing in, and script
planted in plan text stays text."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date

import pytest
from sqlalchemy import select

from qa_app.services import demo, rubrics
from qa_app.services.access import SYSTEM
from qa_app.services.accounts import DEMO_PASSWORD
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for, session_scope, upgrade
from qa_app.store.models import Audit, PlanSection, User

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PLANTED = '<img src=x onerror="window.__xss=1">Planted words<script>window.__xss=2</script>'


def _settle(page) -> None:
    for _ in range(2):
        page.wait_for_timeout(300)
        page.wait_for_selector(IDLE, timeout=60_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    upgrade(url)
    with session_scope(url) as session:
        rubrics.register_rubric_files(session, SYSTEM, PROJECT_ROOT / "rubrics")
        demo.seed_demo(session, SYSTEM, plans=12, seed=9, months=3, until=date(2026, 6, 30))
        auditor = session.scalar(select(User).where(User.username == "demo_auditor"))
        plan_id = session.scalar(select(Audit.plan_id).where(Audit.auditor_id == auditor.id).order_by(Audit.id))
        section = session.scalar(select(PlanSection).where(PlanSection.plan_id == plan_id, PlanSection.letter == "A"))
        section.text = PLANTED
    engine_for(url).dispose()
    port = _free_port()
    environment = {**os.environ, "QA_DATABASE_URL": url, "QA_DEMO": "1"}
    with open(folder / "streamlit.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    yield base, plan_id
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


@pytest.fixture
def page(demo_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser.new_page(viewport={"width": 1300, "height": 900})
        browser.close()


def _sign_in(page, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    _settle(page)


def test_demo_credentials_on_the_sign_in_page_work(demo_app, page):
    base, _ = demo_app
    page.goto(base)
    _settle(page)
    assert page.get_by_text(DEMO_PASSWORD).count() == 1
    _sign_in(page, "demo_training", "a wrong password")
    assert page.get_by_text("do not match an active account").count() == 1
    _sign_in(page, "demo_training", DEMO_PASSWORD)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("Demo training lead").count() == 1
    nav = page.get_by_test_id("stSidebarNav").inner_text()
    assert "Plans" not in nav and "Audit log" not in nav
    sidebar.get_by_role("button", name="Sign out").click()
    _settle(page)
    assert page.get_by_role("textbox", name="Password").count() == 1


def test_a_link_to_a_plan_leads_there_after_signing_in_and_its_text_stays_text(demo_app, page):
    base, plan_id = demo_app
    page.goto(f"{base}/plan?plan={plan_id}")
    _settle(page)
    assert page.get_by_text("Page not found").count() == 0
    _sign_in(page, "demo_auditor", DEMO_PASSWORD)
    assert page.url.endswith(f"/plan?plan={plan_id}")
    page.get_by_role("tab", name="All sections").click()
    _settle(page)
    assert page.get_by_text("Planted words", exact=False).count() >= 1
    assert page.evaluate("window.__xss") is None
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0

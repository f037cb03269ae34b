"""The Trends page in a real headless Chromium against ``streamlit run`` on a demo
database: clicking a bar lists the audits behind it."""

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

from qa_app.services import demo, rubrics
from qa_app.services.access import SYSTEM
from qa_app.services.accounts import DEMO_PASSWORD
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for, session_scope, upgrade

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _settle(page) -> None:
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_selector(IDLE, timeout=120_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    folder = tmp_path_factory.mktemp("dashboard_browser")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    upgrade(url)
    with session_scope(url) as session:
        rubrics.register_rubric_files(session, SYSTEM, PROJECT_ROOT / "rubrics")
        demo.seed_demo(session, SYSTEM, plans=90, seed=5, months=3, until=date(2026, 6, 30))
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
    yield base
    os.killpg(server.pid, signal.SIGTERM)


def test_clicking_a_bar_lists_the_audits_behind_it(demo_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(demo_app)
        _settle(page)
        page.locator("input[type='text']").first.fill("demo_qa_lead")
        page.locator("input[type='password']").first.fill(DEMO_PASSWORD)
        page.keyboard.press("Enter")
        _settle(page)
        page.get_by_role("link", name="Trends").click()
        page.get_by_text("Audits completed").wait_for(timeout=120_000)
        _settle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_role("button", name="PNG").count() >= 2
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        # the middle of the plot's lower half: inside the bar of a middle period
        page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.6)
        _settle(page)
        heading = page.get_by_text("Audits behind")
        heading.wait_for(timeout=60_000)
        assert "2026" in heading.first.inner_text()
        assert page.get_by_text("DEMO-").count() >= 1
        browser.close()

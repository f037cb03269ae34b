"""Markdown and HTML planted in plan text, names and evidence notes stay text in a real
headless Chromium: no image is fetched from, and no link points to, the planted host,
which is a real server here that records every request it gets."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from qa_app.benchmarks import workload
from qa_app.store.engine import engine_for
from tests.security.markdown_planting import MARKER, plant
from tests.support import browser as ui
from tests.support.app_server import serving

pytestmark = pytest.mark.browser


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 (one list shared by the handler's instances)

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *_):
        pass


@pytest.fixture(scope="module")
def hostile_host():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()


@pytest.fixture(scope="module")
def planted_app(hostile_host, sqlite_template, tmp_path_factory):
    if ui.chromium_path() is None:
        pytest.skip("browser test skipped: chromium is not installed")
    host, _ = hostile_host
    path = tmp_path_factory.mktemp("plain_browser") / "qa.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    planted = plant(f"sqlite:///{path}", host)
    engine_for(planted.url).dispose()
    with serving(planted.url, path.parent) as base_url:
        yield base_url, planted


@pytest.fixture
def page(planted_app):
    with ui.chromium_page() as page:
        yield page


def _open_signed_in(page, address: str, username: str, heading: str) -> None:
    page.goto(address)
    ui.settle(page)
    page.keyboard.press("Escape")  # "page not found" notice while signed out
    ui.submit_sign_in(page, username, workload.PASSWORD)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    ui.settle(page)


def _shown(page, where: str = "stMain") -> str:
    """The visible text, without the invisible word joiners that keep addresses unlinked."""
    return page.locator(f"[data-testid='{where}']").inner_text().replace("\u2060", "")


def _assert_inert(page, host: str, hits: list[str]) -> None:
    main = page.locator("[data-testid='stApp']")
    assert main.locator(f"img[src^='{host}']").count() == 0
    assert main.locator(f"a[href^='{host}']").count() == 0
    assert (
        main.locator(
            "a[href^='mailto:'], a[href*='evil.example'], img[src*='evil.example']"
        ).count()
        == 0
    )
    assert hits == [], f"the browser fetched from the planted host: {hits}"


def test_the_moderation_page_shows_planted_notes_as_text(planted_app, hostile_host, page):
    base, planted = planted_app
    host, hits = hostile_host
    _open_signed_in(
        page, f"{base}/moderation?moderation={planted.moderation_id}", "lead", "Moderation"
    )
    page.get_by_text("notefirst", exact=False).first.wait_for(timeout=60_000)
    text = _shown(page)
    assert f"![]({host}/notefirst.png)" in text and "notesecond" in text
    assert f"{MARKER} ![]({host}/lead.png)" in _shown(page, "stSidebar")  # the lead's name
    _assert_inert(page, host, hits)


def test_the_audit_page_shows_planted_outcomes_and_team_as_text(planted_app, hostile_host, page):
    base, planted = planted_app
    host, hits = hostile_host
    _open_signed_in(
        page, f"{base}/audit?audit={planted.audit_id}", "first", "Audit of plan PLN-PLANTED"
    )
    page.get_by_text("outcome", exact=False).first.wait_for(timeout=60_000)
    text = _shown(page)
    assert f"![]({host}/outcome.png)" in text and f'<img src="{host}/outcome-tag.png">' in text
    assert f"![]({host}/team.png)" in text
    _assert_inert(page, host, hits)

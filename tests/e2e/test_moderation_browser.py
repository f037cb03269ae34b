"""The moderation page's rationales in a real headless Chromium: text typed and then
reloaded at once (F5) is kept, saved through the same save-as-you-type field as the audit
page's notes."""

from __future__ import annotations

import pytest

from qa_app.benchmarks import workload
from qa_app.services import moderation
from qa_app.services.access import actor_for
from qa_app.store.engine import engine_for, session_scope
from qa_app.store.models import Moderation
from tests.support import browser as ui
from tests.support.app_server import serving
from tests.support.seeding import account
from tests.support.stored import wait_until_stored

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
TYPED = "Both readings hold; the outcome names no date — agreed as Requires improvement."


@pytest.fixture
def open_moderation(sqlite_url):
    """A real database with a double-rated plan both auditors submitted (Good against
    Requires improvement), and its moderation started by the QA lead."""
    url = sqlite_url
    with session_scope(url) as session:
        lead, first, second = (
            account(name, name.title(), role, password=PASSWORD, agency=agency)
            for name, role, agency in (
                ("lead", "qa_lead", None),
                ("auditor1", "auditor", "education"),
                ("auditor2", "auditor", "education"),
            )
        )
        session.add_all([lead, first, second])
        session.flush()
        first_id, _ = workload.submitted_pair(
            session, actor_for(lead), actor_for(first), actor_for(second)
        )
        moderation_id = moderation.start_moderation(session, actor_for(lead), first_id)
    engine_for(url).dispose()
    yield url, moderation_id
    engine_for(url).dispose()


@pytest.fixture
def app_server(open_moderation, tmp_path):
    with serving(open_moderation[0], tmp_path, environment={"QA_DEMO": "0"}) as base_url:
        yield base_url


@pytest.fixture
def page():
    with ui.chromium_page() as page:
        yield page


def _stored_rationale(url: str, moderation_id: int) -> str | None:
    with session_scope(url) as session:
        return session.get(Moderation, moderation_id).rationale


def test_a_rationale_typed_then_reloaded_at_once_is_kept(open_moderation, app_server, page):
    url, moderation_id = open_moderation
    page.goto(f"{app_server}/moderation?moderation={moderation_id}")
    ui.settle(page)
    page.keyboard.press("Escape")  # "page not found" notice while signed out
    ui.submit_sign_in(page, "lead", PASSWORD)
    key = f"mod-{moderation_id}-overall-rationale-autosave"
    ui.typed_field(page, key).wait_for(timeout=ui.TIMEOUT_MS)
    ui.type_then_reload_at_once(page, key, TYPED)
    wait_until_stored(lambda: _stored_rationale(url, moderation_id), TYPED)
    ui.typed_field(page, key).wait_for(timeout=ui.TIMEOUT_MS)
    ui.settle(page)
    ui.wait_for_field_text(page, key, TYPED)

    # Typed again, the field confirms the save with its time.
    ui.typed_field(page, key).fill(TYPED + " Reviewed.")
    ui.wait_until_saved(page, key)
    assert page.locator(f".st-key-{key} .qa-autosave-status").inner_text().startswith("Saved ")
    assert _stored_rationale(url, moderation_id) == TYPED + " Reviewed."

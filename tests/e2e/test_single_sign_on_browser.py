"""Single sign-on end to end in a real headless Chromium: the app's sign-in button, a
real OpenID Connect provider started here (``oidc_provider``: discovery, signed ID
tokens, PKCE), the callback, and the account it maps to. Someone the provider knows but
the app has no account for is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.services import accounts
from qa_app.services.access import OPERATOR
from qa_app.store.engine import engine_for, session_scope
from qa_app.store.models import EventLogEntry, User
from tests.e2e.oidc_provider import Person, TestProvider
from tests.support import browser as ui
from tests.support.app_server import AppServer, free_port

pytestmark = pytest.mark.browser

LEAD = Person(subject="idp-7f3a", email="Lena.Lead@council.example", name="Lena Lead")
STRANGER = Person(subject="idp-99c1", email="stranger@elsewhere.example", name="Sam Stranger")


@pytest.fixture
def accounts_db(sqlite_url):
    """A real database where only the QA lead has an account (by email, no subject yet)."""
    with session_scope(sqlite_url) as session:
        accounts.add_user(
            session, OPERATOR, "lena", "Lena Lead", {"qa_lead"}, email="lena.lead@council.example"
        )
    engine_for(sqlite_url).dispose()
    yield sqlite_url
    engine_for(sqlite_url).dispose()


@pytest.fixture
def app_with_provider(accounts_db, tmp_path):
    port = free_port()
    provider = TestProvider(
        [LEAD, STRANGER],
        client_id="qa-app",
        client_secret="test-client-secret",
        redirect_uri=f"http://127.0.0.1:{port}/oauth2callback",
    ).start()
    auth = (
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length-0123456789"\n'
        'client_id = "qa-app"\n'
        'client_secret = "test-client-secret"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n'
    )
    app = AppServer(
        accounts_db, port=port, log_dir=tmp_path, environment={"QA_DEMO": "0"}, secrets=auth
    ).start()
    yield app.base_url, provider
    app.stop()
    provider.stop()


@pytest.fixture
def browser():
    if ui.chromium_path() is None:
        pytest.skip("browser test skipped: chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = ui.launch(playwright)
        yield launched
        launched.close()


def _sign_in_through_the_provider(page, base: str, person: Person) -> None:
    page.goto(base)
    ui.settle(page)
    page.get_by_role("button", name="Sign in with your organisation account").click()
    page.get_by_role("heading", name="Test identity provider").wait_for(timeout=ui.TIMEOUT_MS)
    page.get_by_role("button", name=f"Continue as {person.name}").click()
    page.wait_for_url(f"{base}/**", timeout=ui.TIMEOUT_MS)
    ui.settle(page)


def test_single_sign_on_signs_in_the_mapped_account_and_refuses_a_stranger(
    accounts_db, app_with_provider, browser
):
    base, provider = app_with_provider
    page = browser.new_context().new_page()
    _sign_in_through_the_provider(page, base, LEAD)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Sign out").wait_for(timeout=ui.TIMEOUT_MS)
    assert sidebar.get_by_text("Lena Lead").first.is_visible()
    assert not provider.codes  # the code was exchanged once and is gone
    with session_scope(accounts_db) as session:
        lena = session.scalar(select(User).where(User.username == "lena"))
        assert lena.oidc_subject == LEAD.subject
        signed_in = session.scalars(
            select(EventLogEntry).where(EventLogEntry.action == "sign_in")
        ).all()
        assert [(e.actor_id, e.detail) for e in signed_in] == [(lena.id, "single sign-on")]

    # A reload keeps the session (the app's own cookie).
    page.reload()
    ui.settle(page)
    sidebar.get_by_role("button", name="Sign out").wait_for(timeout=ui.TIMEOUT_MS)

    stranger = browser.new_context().new_page()
    _sign_in_through_the_provider(stranger, base, STRANGER)
    stranger.get_by_text("Your organisation account is not set up for this app").first.wait_for(
        timeout=ui.TIMEOUT_MS
    )
    assert not stranger.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").count()
    with session_scope(accounts_db) as session:
        assert session.scalar(select(User).where(User.oidc_subject == STRANGER.subject)) is None
        refused = session.scalars(
            select(EventLogEntry).where(EventLogEntry.action == "sign_in_failed")
        ).all()
        assert len(refused) == 1 and "stranger" not in str(refused[0].detail)

"""The sign-in gate of the whole app, run through AppTest from the app's script."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from qa_app.services import accounts, demo
from qa_app.services.access import OPERATOR, Actor
from qa_app.settings import DEFAULTS, PROJECT_ROOT
from qa_app.store.engine import session_factory
from qa_app.store.models import BrowserSession, EventLogEntry, User
from qa_app.ui.app import pages_for

APP = str(PROJECT_ROOT / "qa_app" / "ui_script.py")


@pytest.fixture
def app_db(demo_database, point_app_at):
    """A small demo database the app opens in demo mode."""
    url = demo_database(plans=12, seed=3, months=3)
    point_app_at(url)
    return url


@pytest.fixture
def real_app_db(sqlite_url, point_app_at):
    """A real database the app opens."""
    point_app_at(sqlite_url)
    return sqlite_url


@pytest.fixture
def start(configuration):
    """``start()``: the whole app in a fresh AppTest session with the test's settings."""

    def start_() -> AppTest:
        return configuration.hand_to(AppTest.from_file(APP, default_timeout=60)).run()

    return start_


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    username_box, password_box = at.text_input[0], at.text_input[1]
    username_box.input(username)
    password_box.input(password)
    return at.button[0].click().run()


def actions(url: str) -> list[str]:
    with session_factory(url)() as session:
        return list(
            session.scalars(
                select(EventLogEntry.action)
                .where(EventLogEntry.entity == "user")
                .order_by(EventLogEntry.id)
            )
        )


def test_demo_mode_shows_the_demo_accounts_and_nothing_else(app_db, start):
    at = start()
    assert not at.exception
    assert at.title[0].value == "EHCP quality assurance"
    assert "actor" not in at.session_state
    table = at.dataframe[0].value
    assert list(table["Username"]) == [
        "demo_qa_lead",
        "demo_auditor",
        "demo_training",
        "demo_admin",
    ]
    assert any(accounts.DEMO_PASSWORD in caption.value for caption in at.caption)
    assert any("qa-app db upgrade" in caption.value for caption in at.caption)


def test_signing_in_and_out(app_db, start):
    at = sign_in(start(), "demo_qa_lead", accounts.DEMO_PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Plans"
    assert at.session_state["actor"].roles == {"qa_lead"}
    at = at.sidebar.button(key="sign_out").click().run()
    assert "actor" not in at.session_state
    assert at.title[0].value == "EHCP quality assurance"
    assert actions(app_db)[-2:] == ["sign_in", "sign_out"]


def test_a_wrong_password_keeps_the_gate_shut(app_db, start):
    at = sign_in(start(), "demo_qa_lead", "not the demo password")
    assert at.error[0].value == accounts.WRONG_CREDENTIALS
    assert "actor" not in at.session_state
    assert actions(app_db)[-1] == "sign_in_failed"


def test_a_real_database_shows_no_demo_credentials_and_demo_accounts_stay_out(real_app_db, start):
    with session_factory(real_app_db)() as session:
        demo.ensure_demo_users(session)
        lead = session.scalar(select(User).where(User.username == "demo_qa_lead"))
        lead.password_hash = accounts.hash_password(accounts.DEMO_PASSWORD)
        session.commit()
    at = start()
    assert not at.exception
    assert not at.dataframe
    assert not any(accounts.DEMO_PASSWORD in caption.value for caption in at.caption)
    at = sign_in(at, "demo_qa_lead", accounts.DEMO_PASSWORD)
    assert "actor" not in at.session_state


def test_idle_sessions_end(app_db, start):
    at = sign_in(start(), "demo_auditor", accounts.DEMO_PASSWORD)
    assert "actor" in at.session_state
    with session_factory(app_db)() as session:
        session.execute(
            update(BrowserSession).values(idle_expires_at=datetime.now(UTC) - timedelta(seconds=5))
        )
        session.commit()
    at = at.run()
    assert "actor" not in at.session_state
    assert "30 minutes without activity" in at.warning[0].value
    assert actions(app_db)[-1] == "sign_out"


def test_a_session_ends_when_an_admin_disables_the_account(real_app_db, start):
    app_db = real_app_db
    with session_factory(app_db)() as session:
        accounts.add_user(
            session, OPERATOR, "lee", "Lee Lead", {"qa_lead"}, password="lee's long password"
        )
        session.commit()
    at = sign_in(start(), "lee", "lee's long password")
    assert at.title[0].value == "Plans"
    with session_factory(app_db)() as session:
        accounts.disable_user(session, OPERATOR, "lee")
        session.commit()
    at = at.run()
    assert "actor" not in at.session_state
    assert "disabled" in at.warning[0].value


ROLE_PAGES = {
    "qa_lead": {"plans", "plan", "event_log"},
    "auditor": {"plans", "plan"},
    "training": set(),
    "admin": {"event_log", "admin_users"},
}
PLAN_TEXT_PAGES = {"plans", "plan"}


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_navigation_follows_the_role(role):
    pages = set(
        pages_for(Actor(1, role, frozenset({role}), "education" if role == "auditor" else None))
    )
    assert ROLE_PAGES[role] <= pages
    if role in ("training", "admin"):
        assert not pages & PLAN_TEXT_PAGES
    if role != "admin":
        assert "admin_users" not in pages
    if role in ("auditor", "training"):
        assert "event_log" not in pages


SINGLE_SIGN_ON = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a test cookie secret of reasonable length",
        "client_id": "qa-app",
        "client_secret": "not a real secret",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    }
}


@pytest.fixture
def start_with_identity(configuration):
    """``start_with_identity(claims)``: the app as single sign-on hands it that identity."""

    def start_(claims: dict) -> AppTest:
        at = configuration.hand_to(AppTest.from_file(APP, default_timeout=60))
        at.secrets = SINGLE_SIGN_ON
        at.user = {"is_logged_in": True, **claims}
        return at.run()

    return start_


@pytest.fixture
def sso_lead(real_app_db):
    with session_factory(real_app_db)() as session:
        accounts.add_user(
            session, OPERATOR, "lena", "Lena Lead", {"qa_lead"}, email="lena@council.gov.uk"
        )
        session.commit()
    return real_app_db


def test_single_sign_on_signs_in_the_matching_account(sso_lead, start_with_identity):
    at = start_with_identity(
        {"sub": "entra-1", "email": "Lena@council.gov.uk", "name": "Lena", "iat": time.time()}
    )
    assert not at.exception
    assert at.session_state["actor"].display_name == "Lena Lead"
    assert at.title[0].value == "Plans"
    assert actions(sso_lead)[-1] == "sign_in"


def test_single_sign_on_for_someone_without_an_account_is_refused_once(
    sso_lead, start_with_identity
):
    at = start_with_identity({"sub": "x-9", "email": "stranger@elsewhere.org", "iat": time.time()})
    assert "actor" not in at.session_state
    assert "not set up for this app" in at.warning[0].value
    at = at.run()
    assert actions(sso_lead).count("sign_in_failed") == 1
    assert any(b.label == "Sign out of the organisation account" for b in at.button)


def test_an_old_single_sign_on_cookie_needs_a_fresh_sign_in(sso_lead, start_with_identity):
    stale = time.time() - DEFAULTS.idle_timeout_minutes * 60 - 60
    at = start_with_identity({"sub": "entra-1", "email": "lena@council.gov.uk", "iat": stale})
    assert "actor" not in at.session_state
    assert any(b.label == "Sign in with your organisation account" for b in at.button)
    assert "sign_in" not in actions(sso_lead)


def test_an_empty_real_database_says_how_to_create_the_first_admin(sqlite_url, point_app_at, start):
    point_app_at(sqlite_url)
    at = start()
    assert "real database" in at.info[0].value and "qa-app users add" in at.info[0].value
    with session_factory(sqlite_url)() as session:
        accounts.add_user(
            session, OPERATOR, "root", "Root", {"admin"}, password="the first admin password"
        )
        session.commit()
    assert not start().info

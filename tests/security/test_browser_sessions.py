"""Sessions that survive a reload: only the token's hash is stored; sign-out, a disabled
account, a password reset and expiry end them; an old cookie signs nobody in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from qa_app.services import accounts, browser_sessions
from qa_app.services.access import OPERATOR
from qa_app.store.models import BrowserSession, EventLogEntry

PASSWORD = "a long enough secret"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = browser_sessions.SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=12))


@pytest.fixture
def signed_in(session):
    accounts.add_user(session, OPERATOR, "ada", "Ada Admin", {"admin"}, password=PASSWORD)
    accounts.add_user(session, OPERATOR, "lee", "Lee Lead", {"qa_lead"}, password=PASSWORD)
    actor = accounts.sign_in(session, "lee", PASSWORD, now=NOW).actor
    token, row = browser_sessions.start_session(session, actor, "password", POLICY, now=NOW)
    session.commit()
    return token, row


def resume(session, token, at):
    return browser_sessions.resume(session, POLICY, token=token, now=at)


def test_only_the_hash_of_a_random_token_is_stored(session, signed_in):
    token, row = signed_in
    assert len(token) >= 40 and token not in {row.token_hash, str(row.id)}
    stored = session.scalar(select(BrowserSession))
    assert stored.token_hash == browser_sessions.token_hash(token)
    assert stored.user_id == row.user_id and stored.method == "password"
    assert resume(session, token, NOW + timedelta(minutes=1)).actor.display_name == "Lee Lead"
    assert resume(session, "a made-up token", NOW) is None


def test_use_moves_the_idle_expiry_on_up_to_the_absolute_limit(session, signed_in):
    token, _ = signed_in
    moment = NOW
    for _ in range(30):
        moment += timedelta(minutes=20)
        if moment >= NOW + POLICY.absolute:
            break
        assert resume(session, token, moment) is not None
    assert resume(session, token, NOW + POLICY.absolute + timedelta(seconds=1)) is None
    assert session.scalar(select(BrowserSession)).revoked_reason == "session expired"


def test_an_idle_session_ends_and_is_logged(session, signed_in):
    token, _ = signed_in
    assert resume(session, token, NOW + timedelta(minutes=31)) is None
    assert session.scalar(select(BrowserSession)).revoked_reason == "idle timeout"
    entry = session.scalars(select(EventLogEntry).order_by(EventLogEntry.id.desc())).first()
    assert (entry.action, entry.detail) == ("sign_out", "idle timeout")
    assert resume(session, token, NOW + timedelta(minutes=1)) is None


def test_an_old_cookie_replayed_after_sign_out_signs_nobody_in(session, signed_in):
    token, row = signed_in
    browser_sessions.end_session(session, row.id, "signed out", now=NOW)
    assert resume(session, token, NOW + timedelta(seconds=1)) is None
    assert browser_sessions.ended_reason(session, row.id) == "signed out"


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda session: accounts.disable_user(session, OPERATOR, "lee"), "account disabled"),
        (
            lambda session: accounts.reset_password(
                session, OPERATOR, "lee", "a brand new password"
            ),
            "password reset",
        ),
    ],
)
def test_disabling_the_account_or_resetting_its_password_ends_every_session(
    session, signed_in, change, reason
):
    token, row = signed_in
    actor = browser_sessions.resume(session, POLICY, token=token, now=NOW).actor
    second, _ = browser_sessions.start_session(session, actor, "password", POLICY, now=NOW)
    change(session)
    assert resume(session, token, NOW) is None and resume(session, second, NOW) is None
    assert browser_sessions.ended_reason(session, row.id) == reason


def test_the_cookie_is_handed_over_once_and_only_soon_after_signing_in(session, signed_in):
    token, _ = signed_in
    late, _ = browser_sessions.start_session(
        session, resume(session, token, NOW).actor, "password", POLICY, now=NOW
    )
    assert browser_sessions.claim_cookie(session, token, now=NOW + timedelta(seconds=5))
    assert not browser_sessions.claim_cookie(session, token, now=NOW + timedelta(seconds=6))
    assert not browser_sessions.claim_cookie(
        session, late, now=NOW + browser_sessions.COOKIE_HANDOFF + timedelta(seconds=1)
    )
    assert not browser_sessions.claim_cookie(session, "a made-up token", now=NOW)


def test_the_csrf_token_belongs_to_one_session(signed_in):
    token, _ = signed_in
    csrf = browser_sessions.csrf_token(token)
    assert browser_sessions.csrf_matches(token, csrf)
    assert not browser_sessions.csrf_matches("another session's token", csrf)
    assert not browser_sessions.csrf_matches(token, None) and not browser_sessions.csrf_matches(
        token, ""
    )

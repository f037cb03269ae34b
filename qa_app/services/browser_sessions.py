"""Signed-in browsers, so that a reload or a second tab keeps a person signed in.

Signing in makes a random token. The browser holds it in an HttpOnly, Secure,
SameSite=Strict cookie; the database holds only its SHA-256 hash, with the user, when
it was made and last used, and two expiry times: idle (``idle_timeout_minutes`` after
the last use) and absolute (``session_max_hours`` after signing in). Signing out,
disabling the account and a password reset revoke it, so a copy of an old cookie signs
nobody in.

Requests that change something on the user's behalf outside the Streamlit connection
(the save sent as a page closes) carry a CSRF token derived from the session token:
a page on another site can neither read the cookie nor compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from qa_app.services import database_kind, event_log
from qa_app.services.access import SYSTEM, Actor, actor_for
from qa_app.services.events import SignedOut
from qa_app.store.models import BrowserSession, User

COOKIE_NAME = "qa_session"
# The browser must hand the new token to the server within this time, or it is useless.
COOKIE_HANDOFF = timedelta(minutes=2)
# Last-seen times are written at most this often, not on every click.
TOUCH_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    absolute: timedelta


def policy_for(settings) -> SessionPolicy:
    return SessionPolicy(
        idle=timedelta(minutes=settings.idle_timeout_minutes),
        absolute=timedelta(hours=settings.session_max_hours),
    )


@dataclass(frozen=True)
class SignedIn:
    """A live session: who, through which sign-in, and its row id."""

    actor: Actor
    session_id: int
    method: str


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(token: str) -> str:
    """The CSRF token of the session whose cookie holds ``token``."""
    return hmac.new(token.encode(), b"qa-app csrf", hashlib.sha256).hexdigest()


def csrf_matches(token: str, supplied: str | None) -> bool:
    if not supplied:
        return False
    return hmac.compare_digest(csrf_token(token), supplied)


def start_session(
    session: Session,
    actor: Actor,
    method: str,
    policy: SessionPolicy,
    *,
    now: datetime | None = None,
) -> tuple[str, BrowserSession]:
    """A new session for a person who has just signed in; returns the token for the
    cookie (never stored) and the row."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    row = BrowserSession(
        token_hash=token_hash(token),
        user_id=actor.user_id,
        method=method,
        created_at=now,
        last_seen_at=now,
        idle_expires_at=now + policy.idle,
        expires_at=now + policy.absolute,
    )
    session.add(row)
    session.flush()
    return token, row


def claim_cookie(session: Session, token: str, *, now: datetime | None = None) -> bool:
    """The browser asks for its new session's cookie. Allowed once, within
    ``COOKIE_HANDOFF`` of signing in, for a live session."""
    now = now or _now()
    row = session.scalar(
        select(BrowserSession).where(BrowserSession.token_hash == token_hash(token))
    )
    if row is None or row.cookie_set_at is not None or row.revoked_at is not None:
        return False
    if _aware(row.created_at) < now - COOKIE_HANDOFF:
        return False
    row.cookie_set_at = now
    return True


def _live(row: BrowserSession | None, now: datetime) -> bool:
    return (
        row is not None
        and row.revoked_at is None
        and _aware(row.idle_expires_at) > now
        and _aware(row.expires_at) > now
    )


def resume(
    session: Session,
    policy: SessionPolicy,
    *,
    token: str | None = None,
    session_id: int | None = None,
    now: datetime | None = None,
) -> SignedIn | None:
    """The person a live session belongs to, by cookie token or by row id; None when
    the session is unknown, revoked, expired (it is then ended and logged) or its
    account can no longer sign in. Touching it moves the idle expiry on."""
    now = now or _now()
    if token is not None:
        row = session.scalar(
            select(BrowserSession).where(BrowserSession.token_hash == token_hash(token))
        )
    elif session_id is not None:
        row = session.get(BrowserSession, session_id)
    else:
        return None
    if row is None or row.revoked_at is not None:
        return None
    user = session.get_one(User, row.user_id)
    if not _live(row, now):
        reason = "session expired" if _aware(row.expires_at) <= now else "idle timeout"
        _revoke(session, row, reason, now)
        event_log.record(session, actor_for(user), SignedOut(user.id, detail=reason))
        return None
    if not user.is_active or (user.is_synthetic and not database_kind.is_demo(session)):
        _revoke(session, row, "account disabled", now)
        event_log.record(session, SYSTEM, SignedOut(user.id, detail="account disabled"))
        return None
    if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = now
        row.idle_expires_at = min(now + policy.idle, _aware(row.expires_at))
    return SignedIn(actor_for(user), row.id, row.method)


def ended_reason(session: Session, session_id: int) -> str | None:
    """Why a session ended ("idle timeout", "signed out", ...), or None while it is live."""
    row = session.get(BrowserSession, session_id)
    return row.revoked_reason if row is not None else "unknown session"


def _revoke(session: Session, row: BrowserSession, reason: str, now: datetime) -> None:
    row.revoked_at = now
    row.revoked_reason = reason


def end_session(
    session: Session, session_id: int, reason: str, *, now: datetime | None = None
) -> None:
    row = session.get(BrowserSession, session_id)
    if row is not None and row.revoked_at is None:
        _revoke(session, row, reason, now or _now())


def revoke_all(session: Session, user_id: int, reason: str, *, now: datetime | None = None) -> int:
    """End every live session of an account; returns how many."""
    ended = update(BrowserSession).where(
        BrowserSession.user_id == user_id, BrowserSession.revoked_at.is_(None)
    )
    # An UPDATE's result is a cursor result, which has the row count.
    result = cast(
        CursorResult, session.execute(ended.values(revoked_at=now or _now(), revoked_reason=reason))
    )
    return result.rowcount or 0

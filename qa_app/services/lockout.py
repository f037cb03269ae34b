"""Failed sign-ins, counted to stop password guessing without letting anyone lock
someone else out.

Three limits, each over a sliding window, all kept in the database so that every server
process sees the same counts:

- an account refuses further passwords *from the client address that failed*
  ``ACCOUNT_FAILURES`` times in ``WINDOW`` (the owner, elsewhere, can still sign in);
- a client address that failed ``ADDRESS_FAILURES`` times in ``WINDOW``, whatever the
  usernames, is refused;
- once ``OVERALL_FAILURES`` failures arrive within ``OVERALL_WINDOW`` from anywhere,
  every password sign-in is refused until the rate falls (a spread-out guessing run).

A refused attempt looks and takes exactly as long as a wrong password (the caller always
does the password hash work). Failures are deleted once older than the window; the
address is kept only as a SHA-256 hash.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from qa_app.store.models import SignInFailure

WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
OVERALL_WINDOW = timedelta(minutes=1)
OVERALL_FAILURES = 200
# Streamlit gives no address for a browser on the same machine.
LOCAL_CLIENT = "local"


def address_hash(client: str | None) -> str:
    return hashlib.sha256(f"qa-app sign-in client:{client or LOCAL_CLIENT}".encode()).hexdigest()


def _count(session: Session, *conditions) -> int:
    return session.scalar(select(func.count(SignInFailure.id)).where(*conditions)) or 0


def refusal(session: Session, user_id: int | None, client: str | None, now: datetime) -> str | None:
    """Why this attempt is refused before its password counts, or None. Forgets failures
    older than the window first."""
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at < now - WINDOW))
    if _count(session, SignInFailure.failed_at >= now - OVERALL_WINDOW) >= OVERALL_FAILURES:
        return "too many failed sign-ins overall"
    address = address_hash(client)
    since = now - WINDOW
    if (
        _count(session, SignInFailure.address_hash == address, SignInFailure.failed_at >= since)
        >= ADDRESS_FAILURES
    ):
        return "too many failed sign-ins from this client address"
    if (
        user_id is not None
        and _count(
            session,
            SignInFailure.user_id == user_id,
            SignInFailure.address_hash == address,
            SignInFailure.failed_at >= since,
        )
        >= ACCOUNT_FAILURES
    ):
        return "account locked for this client address"
    return None


def record_failure(
    session: Session, user_id: int | None, client: str | None, now: datetime
) -> bool:
    """Count a failure; True when it is the one that locks the account for this address."""
    address = address_hash(client)
    session.add(SignInFailure(user_id=user_id, address_hash=address, failed_at=now))
    session.flush()
    if user_id is None:
        return False
    return (
        _count(
            session,
            SignInFailure.user_id == user_id,
            SignInFailure.address_hash == address,
            SignInFailure.failed_at >= now - WINDOW,
        )
        == ACCOUNT_FAILURES
    )


def forget_success(session: Session, user_id: int, client: str | None) -> None:
    """A correct password from an address clears that account's failures from it."""
    session.execute(
        delete(SignInFailure).where(
            SignInFailure.user_id == user_id, SignInFailure.address_hash == address_hash(client)
        )
    )


def locked_addresses(session: Session, user_id: int, now: datetime) -> int:
    """How many client addresses the account is locked for now."""
    rows = session.execute(
        select(SignInFailure.address_hash)
        .where(SignInFailure.user_id == user_id, SignInFailure.failed_at >= now - WINDOW)
        .group_by(SignInFailure.address_hash)
        .having(func.count(SignInFailure.id) >= ACCOUNT_FAILURES)
    )
    return len(list(rows))


def unlock(session: Session, user_id: int) -> int:
    """Forget every failure of the account; returns how many there were."""
    # A DELETE's result is a cursor result, which has the row count.
    result = cast(
        CursorResult, session.execute(delete(SignInFailure).where(SignInFailure.user_id == user_id))
    )
    return result.rowcount or 0

"""Who is using the app in this browser: signing in and out, single sign-on through
``st.login``, and the session cookie that keeps a person signed in across reloads.

Signing in starts a server-side session (``services.browser_sessions``). The browser
then asks the ``/api/session`` route beside the app for its HttpOnly cookie; a reload
or a new tab opens a new Streamlit session, which reads that cookie through
``st.context.cookies``. Each run checks the session in the database, so signing out,
an idle or absolute expiry, a disabled account or a password reset ends it everywhere.
"""

from __future__ import annotations

import time

import streamlit as st

from qa_app.services import accounts, browser_sessions, database_kind
from qa_app.services.access import Actor
from qa_app.services.health import DatabaseUnavailable
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.session_cookie import hand_over_cookie
from qa_app.ui.db import db

ACTOR_KEY = "actor"
SESSION_KEY = "browser_session_id"
METHOD_KEY = "sign_in_method"
CSRF_KEY = "csrf_token"
NEW_COOKIE_KEY = "session_cookie_to_hand_over"
NOTICE_KEY = "sign_in_notice"
# Set when single sign-on named someone without an account, so the refusal is logged once.
REFUSED_KEY = "single_sign_on_refused"
DATABASE_KIND_KEY = "database_kind"
NOTICES = {
    "idle timeout": "You were signed out after {minutes} minutes without activity.",
    "session expired": "Your session reached its time limit: sign in again.",
    "account disabled": "Your account has been disabled.",
    "password reset": "Your password was reset: sign in with the new one.",
}


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def csrf_token() -> str | None:
    """The CSRF token for requests this session sends outside the Streamlit connection."""
    return st.session_state.get(CSRF_KEY)


def demo_mode() -> bool:
    """Whether the app runs on a demo database, where only demo accounts exist.

    A database's kind is recorded once and never changes, so a session keeps what it
    read: a database outage then leaves the open page standing."""
    url = current_settings().database_url
    known = st.session_state.get(DATABASE_KIND_KEY)
    if known is not None and known[0] == url:
        return known[1]
    with db() as session:
        demo = database_kind.is_demo(session)
    st.session_state[DATABASE_KIND_KEY] = (url, demo)
    return demo


def session_policy() -> browser_sessions.SessionPolicy:
    return browser_sessions.policy_for(current_settings())


def client_address() -> str | None:
    return st.context.ip_address


def single_sign_on_providers() -> list[str | None]:
    """Providers configured in ``[auth]`` of ``.streamlit/secrets.toml``; ``None`` stands
    for the one unnamed provider whose settings sit directly in ``[auth]``."""
    if not st.secrets.load_if_toml_exists():
        return []
    auth = st.secrets.get("auth")
    if not auth:
        return []
    named = [name for name, value in auth.items() if hasattr(value, "items")]
    if named:
        return named
    return [None] if "client_id" in auth else []


def _remember(signed_in: browser_sessions.SignedIn, csrf: str) -> None:
    st.session_state[ACTOR_KEY] = signed_in.actor
    st.session_state[SESSION_KEY] = signed_in.session_id
    st.session_state[METHOD_KEY] = signed_in.method
    st.session_state[CSRF_KEY] = csrf
    st.session_state.pop(NOTICE_KEY, None)


def start(actor: Actor, method: str) -> None:
    """Begin a session for someone who has just signed in; the page hands its cookie to
    the browser on the next run."""
    with db() as session:
        token, row = browser_sessions.start_session(session, actor, method, session_policy())
        signed_in = browser_sessions.SignedIn(actor, row.id, method)
    _remember(signed_in, browser_sessions.csrf_token(token))
    st.session_state[NEW_COOKIE_KEY] = token


def _forget() -> tuple[Actor | None, str | None]:
    for key in (SESSION_KEY, CSRF_KEY, NEW_COOKIE_KEY):
        st.session_state.pop(key, None)
    return st.session_state.pop(ACTOR_KEY, None), st.session_state.pop(METHOD_KEY, None)


def sign_out(reason: str, notice: str | None = None) -> None:
    """End this session everywhere, log why, and for single sign-on drop the identity
    cookie too."""
    session_id = st.session_state.get(SESSION_KEY)
    actor, method = _forget()
    if actor is not None:
        with db() as session:
            if session_id is not None:
                browser_sessions.end_session(session, session_id, reason)
            accounts.record_sign_out(session, actor, reason)
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if method == "single sign-on" and st.user.get("is_logged_in"):
        st.logout()


def _ended(reason: str | None) -> None:
    """The session ended elsewhere (expiry, disabled account, password reset)."""
    _forget()
    notice = NOTICES.get(reason or "")
    if notice:
        st.session_state[NOTICE_KEY] = notice.format(
            minutes=current_settings().idle_timeout_minutes
        )


def _identity() -> accounts.Identity:
    settings = current_settings()
    user = st.user
    roles = None
    if settings.oidc_role_claim:
        claim = user.get(settings.oidc_role_claim) or []
        roles = tuple(claim) if isinstance(claim, (list, tuple)) else (str(claim),)
    agency = user.get(settings.oidc_agency_claim) if settings.oidc_agency_claim else None
    return accounts.Identity(
        subject=user.get("sub"),
        email=user.get("email") or user.get("preferred_username"),
        name=user.get("name"),
        claim_roles=roles,
        claim_agency=str(agency) if agency else None,
    )


def _fresh_single_sign_on(idle_seconds: float) -> bool:
    """True when the single sign-on cookie came from a sign-in within the idle period, so
    reopening the app after a long absence asks the identity provider again."""
    issued = st.user.get("iat")
    return isinstance(issued, (int, float)) and time.time() - issued < idle_seconds


def _resumed() -> Actor | None:
    """The person of this tab's session, or of the browser's session cookie."""
    session_id = st.session_state.get(SESSION_KEY)
    token = None if session_id is not None else st.context.cookies.get(browser_sessions.COOKIE_NAME)
    if session_id is None and not (isinstance(token, str) and token):
        return None
    try:
        with db() as session:
            signed_in = browser_sessions.resume(
                session, session_policy(), token=token, session_id=session_id
            )
            reason = (
                None
                if signed_in or session_id is None
                else browser_sessions.ended_reason(session, session_id)
            )
    except DatabaseUnavailable:
        # The session is checked again on the first run after the database is back;
        # until then every page's own reads and saves fail and say so.
        if session_id is not None and current_actor() is not None:
            return current_actor()
        raise
    if signed_in is None:
        if session_id is not None:
            _ended(reason)
        return None
    _remember(signed_in, st.session_state.get(CSRF_KEY) or browser_sessions.csrf_token(token))
    return signed_in.actor


def signed_in_actor() -> Actor | None:
    """The signed-in actor for this run, after the session and account checks; None
    when the sign-in page should be shown."""
    actor = _resumed()
    if actor is not None:
        token = st.session_state.pop(NEW_COOKIE_KEY, None)
        if token:
            hand_over_cookie(token)
        return actor
    if (
        single_sign_on_providers()
        and st.user.get("is_logged_in")
        and not st.session_state.get(REFUSED_KEY)
    ):
        if not _fresh_single_sign_on(current_settings().idle_timeout_minutes * 60):
            return None
        with db() as session:
            result = accounts.sign_in_with_identity(session, _identity())
        if result.ok:
            start(result.actor, "single sign-on")
            return _resumed()
        st.session_state[NOTICE_KEY] = result.message
        st.session_state[REFUSED_KEY] = True
    return None


def take_notice() -> str | None:
    return st.session_state.pop(NOTICE_KEY, None)

"""Who is using the app in this browser session: signing in and out, single sign-on
through ``st.login``, and ending idle sessions."""

from __future__ import annotations

import time

import streamlit as st

from qa_app.services import accounts, database_kind
from qa_app.services.access import Actor
from qa_app.services.health import DatabaseUnavailable
from qa_app.settings import get_settings
from qa_app.ui.db import db

ACTOR_KEY = "actor"
LAST_SEEN_KEY = "last_seen"
METHOD_KEY = "sign_in_method"
NOTICE_KEY = "sign_in_notice"
# Set when single sign-on named someone without an account, so the refusal is logged once.
REFUSED_KEY = "single_sign_on_refused"


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def demo_mode() -> bool:
    """Whether the app runs on a demo database, where only demo accounts exist."""
    with db() as session:
        return database_kind.is_demo(session)


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


def start(actor: Actor, method: str) -> None:
    st.session_state[ACTOR_KEY] = actor
    st.session_state[METHOD_KEY] = method
    st.session_state[LAST_SEEN_KEY] = time.time()
    st.session_state.pop(NOTICE_KEY, None)


def sign_out(reason: str, notice: str | None = None) -> None:
    """End this session, log why, and for single sign-on drop the identity cookie too."""
    actor = st.session_state.pop(ACTOR_KEY, None)
    method = st.session_state.pop(METHOD_KEY, None)
    st.session_state.pop(LAST_SEEN_KEY, None)
    if actor is not None:
        with db() as session:
            accounts.record_sign_out(session, actor, reason)
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if method == "single sign-on" and st.user.get("is_logged_in"):
        st.logout()


def _identity() -> accounts.Identity:
    settings = get_settings()
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


def signed_in_actor() -> Actor | None:
    """The signed-in actor for this run, after the idle and account checks; None when
    the sign-in page should be shown."""
    idle_seconds = get_settings().idle_timeout_minutes * 60
    actor = current_actor()
    if actor is not None:
        if time.time() - st.session_state.get(LAST_SEEN_KEY, 0) > idle_seconds:
            minutes = get_settings().idle_timeout_minutes
            sign_out("idle timeout", f"You were signed out after {minutes} minutes without activity.")
            return None
        try:
            with db() as session:
                refreshed = accounts.refreshed_actor(session, actor)
        except DatabaseUnavailable:
            # The account is checked again on the first run after the database is back;
            # until then every page's own reads and saves fail and say so.
            refreshed = actor
        if refreshed is None:
            sign_out("account disabled", "Your account has been disabled.")
            return None
        st.session_state[ACTOR_KEY] = refreshed
        st.session_state[LAST_SEEN_KEY] = time.time()
        return refreshed
    if single_sign_on_providers() and st.user.get("is_logged_in") and not st.session_state.get(REFUSED_KEY):
        if not _fresh_single_sign_on(idle_seconds):
            return None
        with db() as session:
            result = accounts.sign_in_with_identity(session, _identity())
        if result.ok:
            start(result.actor, "single sign-on")
            return result.actor
        st.session_state[NOTICE_KEY] = result.message
        st.session_state[REFUSED_KEY] = True
    return None


def take_notice() -> str | None:
    return st.session_state.pop(NOTICE_KEY, None)

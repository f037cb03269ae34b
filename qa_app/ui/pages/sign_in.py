"""Sign in: with the council's single sign-on when it is configured, or with a local
account. In demo mode the demo accounts and their password are shown here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import accounts, database_kind
from qa_app.ui import session as browser
from qa_app.ui.db import db

DEMO_ACCOUNTS = [
    ("demo_qa_lead", "QA lead", "every plan and audit, moderation, dashboards"),
    ("demo_auditor", "Auditor (education)", "only the audits assigned to them"),
    ("demo_training", "Training", "dashboards and reports, no plan text"),
    ("demo_admin", "Admin", "accounts, rubrics, audit log; no plans"),
]


def _single_sign_on(providers: list[str | None]) -> None:
    if st.session_state.get(browser.REFUSED_KEY):
        st.caption(
            "Your organisation account is not set up for this app. An administrator can add it."
        )
        if st.button("Sign out of the organisation account", icon=":material/logout:"):
            st.logout()
        return
    for provider in providers:
        label = (
            "Sign in with your organisation account"
            if provider is None
            else f"Sign in with {provider.title()}"
        )
        if st.button(
            label, type="primary", icon=":material/login:", key=f"sso_{provider}", width="stretch"
        ):
            if provider is None:
                st.login()
            else:
                st.login(provider)


def _password_form(with_sso: bool) -> None:
    heading = "Or sign in with a local account" if with_sso else "Sign in"
    with st.form("sign_in", clear_on_submit=True, border=True):
        st.markdown(f"**{heading}**")
        username = st.text_input("Username", max_chars=120, autocomplete="username")
        password = st.text_input(
            "Password", type="password", max_chars=256, autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary", width="stretch")
    if not submitted:
        return
    if not username or not password:
        st.error("Enter your username and password.")
        return
    with db() as session:
        result = accounts.sign_in(session, username, password, client=browser.client_address())
    if not result.ok:
        st.error(result.message)
        return
    browser.start(result.actor, "password")
    st.rerun()


def _demo_accounts() -> None:
    with st.container(border=True):
        st.markdown("**Demo mode: synthetic data only**")
        st.caption(
            "This is a demo database: every plan, person and audit in it is made up. These demo "
            f"accounts exist only here; each one signs in with the password `{accounts.DEMO_PASSWORD}`."
        )
        table = pd.DataFrame(DEMO_ACCOUNTS, columns=["Username", "Role", "Sees"])
        st.dataframe(table, hide_index=True, width="stretch")
        st.caption(database_kind.START_FOR_REAL)


def _first_admin_hint() -> None:
    with db() as session:
        empty = not accounts.has_accounts(session)
    if empty:
        st.info(
            "This is a new real database with no accounts yet. On the server, create the first "
            'administrator with `qa-app users add USERNAME --name "Full name" --role admin`; they '
            "add everyone else on the User accounts page. (A demo with synthetic data runs on its own "
            "database: `./run app` with QA_DATABASE_URL unset.)",
            icon=":material/person_add:",
        )


def render() -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title("EHCP quality assurance")
        st.caption("Audit, moderate and learn from Education, Health and Care plans.")
        notice = browser.take_notice()
        if notice:
            st.warning(notice, icon=":material/info:")
        providers = browser.single_sign_on_providers()
        if providers:
            _single_sign_on(providers)
        _password_form(with_sso=bool(providers))
        if browser.demo_mode():
            _demo_accounts()
        else:
            _first_admin_hint()
        st.caption(
            f"After {accounts.MAX_FAILED_SIGN_INS} failed sign-ins from one place, that account's sign-in from "
            f"there pauses for {int(accounts.LOCKOUT.total_seconds() // 60)} minutes. Every sign-in is recorded."
        )

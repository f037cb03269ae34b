"""User accounts, for admins: add people, change roles, reset passwords, disable."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from qa_app.domain import plan_facts
from qa_app.services import accounts
from qa_app.services.access import ROLES
from qa_app.services.errors import ServiceError
from qa_app.ui.components.labels import label, roles_label
from qa_app.ui.db import db
from qa_app.ui.session import current_actor, single_sign_on_providers

AGENCY_HELP = "Auditors score the criteria their agency owns."
TABLE_ROWS = 16
OUTCOME_KEY = "admin_users_outcome"
# Widgets to empty on the next run, before they are drawn: a widget's key popped after it
# was drawn keeps its old value in the browser.
EMPTY_KEY = "admin_users_to_empty"
PASSWORDS_CLEARED = "The password fields were cleared: type the password again."

NEW_ACCOUNT_KEYS = (
    "new_username",
    "new_name",
    "new_roles",
    "new_agency",
    "new_email",
    "new_password",
    "new_repeat",
)
NEW_PASSWORD_KEYS = ("new_password", "new_repeat")
NO_AGENCY = "none"  # a selectbox shows its value None as no choice at all, not as "None"
EMPTY = {"new_roles": [], "new_agency": NO_AGENCY}  # the others are text fields


def _status(user, locked: set[str]) -> str:
    if not user.is_active:
        return "Disabled"
    if user.username in locked:
        return "Locked"
    return "Active"


def _sign_in_kind(user, single_sign_on: bool) -> str:
    """How the account can sign in here: single sign-on only counts where it is set up."""
    kinds = []
    if user.password_hash:
        kinds.append("password")
    if (user.oidc_subject or user.email) and single_sign_on:
        kinds.append("single sign-on")
    if not kinds and (user.oidc_subject or user.email):
        return "none: single sign-on is not set up"
    return " or ".join(kinds) or "none"


def _table(users, locked: set[str], single_sign_on: bool) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Username": user.username,
                "Name": user.display_name,
                "Roles": roles_label(user.roles),
                "Agency": label("agency", user.agency) if user.agency else "",
                "Email": user.email or "",
                "Status": _status(user, locked),
                "Signs in with": _sign_in_kind(user, single_sign_on),
                "Last sign-in": user.last_sign_in_at.strftime("%Y-%m-%d %H:%M")
                if user.last_sign_in_at
                else "never",
                "Demo": "demo" if user.is_synthetic else "",
            }
            for user in users
        ]
    )


@dataclass(frozen=True)
class Outcome:
    """What became of the last change, shown beside the form it came from."""

    form: str
    done: bool
    text: str


def _attempt(
    work, success: str, form: str, clear: tuple[str, ...] = (), clear_on_refusal=()
) -> None:
    """Run one account change; show the outcome beside ``form`` after the rerun. On
    success the widgets named in ``clear`` start empty again; on a refusal the others
    keep what was typed, and those in ``clear_on_refusal`` (passwords) are emptied."""
    try:
        with db() as session:
            work(session)
    except ServiceError as problem:
        cleared = f" {PASSWORDS_CLEARED}" if clear_on_refusal else ""
        st.session_state[OUTCOME_KEY] = Outcome(form, False, f"{problem}{cleared}")
        _empty_next_run(clear_on_refusal)
    else:
        st.session_state[OUTCOME_KEY] = Outcome(form, True, success)
        _empty_next_run(clear)
    st.rerun()


def _refuse(text: str, form: str, clear: tuple[str, ...] = ()) -> None:
    """A refusal found before any change is tried (two passwords that differ)."""
    cleared = f" {PASSWORDS_CLEARED}" if clear else ""
    st.session_state[OUTCOME_KEY] = Outcome(form, False, f"{text}{cleared}")
    _empty_next_run(clear)
    st.rerun()


def _empty_next_run(keys) -> None:
    st.session_state[EMPTY_KEY] = tuple(keys)


def _empty_widgets() -> None:
    """Give the widgets named by the last change their empty values."""
    for key in st.session_state.pop(EMPTY_KEY, ()):
        st.session_state[key] = EMPTY.get(key, "")


def _pending(form: str) -> bool:
    outcome = st.session_state.get(OUTCOME_KEY)
    return outcome is not None and outcome.form == form


def _show_outcome(form: str) -> None:
    """The outcome of the last change made with ``form``, right under its button."""
    if not _pending(form):
        return
    outcome = st.session_state.pop(OUTCOME_KEY)
    if outcome.done:
        st.success(outcome.text)
    else:
        st.error(outcome.text)


def _created(username: str, name: str, roles, agency, email: str, password: str) -> str:
    """What was created, in words, so the administrator can check it."""
    held = roles_label(roles) or "no roles"
    where = f" in {label('agency', agency)}" if agency else ""
    ways = " and ".join(
        w
        for w in ("a password" if password else "", f"single sign-on as {email}" if email else "")
        if w
    )
    return f"Added {username.strip().lower()} ({name.strip()}): {held}{where}; signs in with {ways or 'nothing yet'}."


def _roles_inputs(prefix: str, roles=(), agency=None, slots=None):
    role_slot, agency_slot = slots or (st.container(), st.container())
    chosen = role_slot.multiselect(
        "Roles held",
        list(ROLES),
        default=sorted(roles),
        format_func=lambda r: label("role", r),
        key=f"{prefix}_roles",
    )
    agencies = [NO_AGENCY, *plan_facts.AGENCIES]
    picked = agency_slot.selectbox(
        "Agency (auditors only)",
        agencies,
        index=agencies.index(agency) if agency in agencies else 0,
        format_func=lambda a: "None" if a == NO_AGENCY else label("agency", a),
        help=AGENCY_HELP,
        key=f"{prefix}_agency",
    )
    return chosen, None if picked == NO_AGENCY else picked


def _add_form(actor) -> None:
    # Open while the outcome of an add is to be read; an administrator adding several
    # people in a row finds the emptied form where they left it.
    with st.expander("Add an account", icon=":material/person_add:", expanded=_pending("add")):
        with st.form("add_user"):
            left, right = st.columns(2)
            username = left.text_input(
                "Username",
                max_chars=120,
                help="Letters, digits, dots, dashes, underscores.",
                key="new_username",
            )
            name = right.text_input("Name shown in the app", max_chars=200, key="new_name")
            roles, agency = _roles_inputs("new", slots=st.columns(2))
            email = st.text_input("Email (to match single sign-on)", max_chars=254, key="new_email")
            left, right = st.columns(2)
            password = left.text_input(
                "Password",
                type="password",
                max_chars=256,
                key="new_password",
                help=f"At least {accounts.MIN_PASSWORD_LENGTH} characters. "
                "Leave empty for an account that signs in only through single sign-on.",
            )
            repeat = right.text_input(
                "Repeat the password", type="password", max_chars=256, key="new_repeat"
            )
            submitted = st.form_submit_button("Add account", type="primary")
        _show_outcome("add")
    if not submitted:
        return
    if password != repeat:
        _refuse("The two passwords differ.", "add", clear=NEW_PASSWORD_KEYS)
    _attempt(
        lambda session: accounts.add_user(
            session,
            actor,
            username,
            name,
            roles,
            agency=agency,
            email=email or None,
            password=password or None,
        ),
        _created(username, name, roles, agency, email, password),
        "add",
        clear=NEW_ACCOUNT_KEYS,
        clear_on_refusal=NEW_PASSWORD_KEYS if password or repeat else (),
    )


def _change_forms(actor, users, locked: set[str]) -> None:
    st.subheader("Change an account")
    by_name = {user.username: user for user in users}
    username = st.selectbox(
        "Account", list(by_name), format_func=lambda u: f"{by_name[u].display_name} ({u})"
    )
    if username is None:
        return
    user = by_name[username]
    roles_col, password_col, status_col = st.columns(3)
    with roles_col:
        with st.form(f"roles_{username}"):
            st.markdown("**Roles**")
            roles, agency = _roles_inputs(f"edit_{username}", user.roles, user.agency)
            if st.form_submit_button("Save roles"):
                where = f" in {label('agency', agency)}" if agency and "auditor" in roles else ""
                _attempt(
                    lambda session: accounts.set_roles(session, actor, username, roles, agency),
                    f"Saved the roles of {username}: {roles_label(roles)}{where}.",
                    "roles",
                )
        _show_outcome("roles")
    with password_col:
        fields = (f"reset_{username}_password", f"reset_{username}_repeat")
        with st.form(f"password_{username}"):
            st.markdown("**Reset the password**")
            password = st.text_input("New password", type="password", max_chars=256, key=fields[0])
            repeat = st.text_input(
                "Repeat the new password", type="password", max_chars=256, key=fields[1]
            )
            if st.form_submit_button("Reset password", disabled=user.is_synthetic):
                if password != repeat:
                    _refuse("The two passwords differ.", "password", clear=fields)
                _attempt(
                    lambda session: accounts.reset_password(session, actor, username, password),
                    f"Set a new password for {username}; any lockout is lifted.",
                    "password",
                    clear=fields,
                    clear_on_refusal=fields,
                )
        _show_outcome("password")
    with status_col, st.container(border=True):
        st.markdown("**Access**")
        st.write(f"Status: {_status(user, locked)}")
        if username in locked and st.button(
            "Unlock account",
            icon=":material/lock_open:",
            key=f"unlock_{username}",
            help="Lift the lockout after failed sign-ins; the password stays.",
        ):
            _attempt(
                lambda session: accounts.unlock_user(session, actor, username),
                f"Unlocked {username}.",
                "access",
            )
        if user.is_active:
            if st.button("Disable account", icon=":material/block:", key=f"disable_{username}"):
                _attempt(
                    lambda session: accounts.disable_user(session, actor, username),
                    f"Disabled {username}.",
                    "access",
                )
        elif st.button("Enable account", icon=":material/check_circle:", key=f"enable_{username}"):
            _attempt(
                lambda session: accounts.enable_user(session, actor, username),
                f"Enabled {username}.",
                "access",
            )
        _show_outcome("access")


def render() -> None:
    actor = current_actor()
    _empty_widgets()
    st.title("User accounts")
    st.caption(
        "Every change here is recorded in the audit log. Passwords are stored only as argon2 hashes."
    )
    with db() as session:
        users = accounts.list_users(session, actor)
        locked = accounts.locked_usernames(session, actor)
        table = _table(users, locked, bool(single_sign_on_providers()))
    st.dataframe(
        table, hide_index=True, width="stretch", height=min(TABLE_ROWS, len(table) + 1) * 35 + 3
    )
    _add_form(actor)
    _change_forms(actor, users, locked)

"""Builds the multipage app from the signed-in user's roles."""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy import exc

from qa_app.services.access import (
    ROLES,
    Actor,
    can_manage_users,
    can_read_audit_log,
    can_read_plan_text,
)
from qa_app.settings import SettingsError, get_settings
from qa_app.store.engine import DatabaseBehind
from qa_app.ui import look
from qa_app.ui.components.plain import plain
from qa_app.ui.db import outage_shown, rubric_problems
from qa_app.ui.navigation import remember, show_links
from qa_app.ui.pages import (
    accessibility,
    admin_users,
    assign,
    audit,
    audit_log,
    dashboard,
    exports,
    import_plan,
    moderation,
    my_audits,
    plan,
    plans,
    reports,
    rubrics,
    sign_in,
)
from qa_app.ui.session import demo_mode, sign_out, signed_in_actor

FOCUS_KEY = "_focus_heading"
log = logging.getLogger(__name__)
DATABASE_ERROR = ("Something went wrong in the database, so this page could not be shown or your last change "
                  "saved. Nothing of it is lost that was saved before. Try again; if it happens again, tell your "
                  "administrator the time it happened.")
SYNTHETIC_BANNER = "Demo mode: every plan, person and audit here is synthetic, made up for demonstration."


def pages_for(actor) -> dict[str, st.Page]:
    pages = {}
    if actor.is_auditor or actor.is_qa_lead:
        pages["my_audits"] = st.Page(my_audits.render, title="My audits", icon=":material/assignment:", url_path="my-audits", default=actor.is_auditor)
        pages["audit"] = st.Page(audit.render, title="Audit", icon=":material/rate_review:", url_path="audit")
    if actor.is_qa_lead:
        pages["assign"] = st.Page(assign.render, title="Assign", icon=":material/assignment_ind:", url_path="assign")
        pages["moderation"] = st.Page(moderation.render, title="Moderation", icon=":material/balance:", url_path="moderation")
        pages["exports"] = st.Page(exports.render, title="Export", icon=":material/download:", url_path="export")
        pages["import_plan"] = st.Page(import_plan.render, title="Import plans", icon=":material/upload_file:", url_path="import")
    if can_read_plan_text(actor):
        pages["plans"] = st.Page(plans.render, title="Plans", icon=":material/folder_open:", url_path="plans", default=not actor.is_auditor)
        pages["plan"] = st.Page(plan.render, title="Plan", icon=":material/description:", url_path="plan")
    if actor.is_qa_lead or actor.has("training"):
        pages["dashboard"] = st.Page(dashboard.render, title="Trends", icon=":material/monitoring:", url_path="trends", default=not pages)
        pages["reports"] = st.Page(reports.render, title="Reports", icon=":material/summarize:", url_path="reports")
    pages["rubrics"] = st.Page(rubrics.render, title="Rubrics", icon=":material/checklist:", url_path="rubrics", default=not pages)
    if can_read_audit_log(actor):
        pages["audit_log"] = st.Page(audit_log.render, title="Audit log", icon=":material/history:", url_path="audit-log")
    if can_manage_users(actor):
        pages["admin_users"] = st.Page(admin_users.render, title="User accounts", icon=":material/manage_accounts:", url_path="users")
    return pages


def _sign_in_pages() -> list[st.Page]:
    """While signed out, every page's address shows the sign-in page, so a link to a page
    still leads there once the person has signed in."""
    addresses = {
        page.url_path
        for role in ROLES
        for page in pages_for(Actor(user_id=None, display_name="", roles=frozenset({role}), agency="education")).values()
    }
    return [st.Page(sign_in.render, title="Sign in", url_path="sign-in", default=True), _statement_page()] + [
        st.Page(sign_in.render, title="Sign in", url_path=address) for address in sorted(addresses - {""})
    ]


def _statement_page() -> st.Page:
    return st.Page(accessibility.render, title="Accessibility", icon=":material/accessibility_new:",
                   url_path="accessibility")


def _footer(statement: st.Page) -> None:
    st.divider()
    st.page_link(statement, label="Accessibility statement", icon=":material/accessibility_new:")


def _move_focus_on_arrival(place: tuple) -> None:
    """After signing in, and on opening another page, put the keyboard focus on the page's
    main heading, as a screen reader user expects of a new page."""
    focus = st.session_state.setdefault(FOCUS_KEY, {"place": None, "run": 0})
    if focus["place"] != place:
        focus["place"] = place
        focus["run"] += 1
    look.focus_main_heading(focus["run"])


def _account_panel(actor) -> None:
    with st.sidebar:
        roles = ", ".join(ROLES[r] for r in sorted(actor.roles))
        st.markdown(f"**{plain(actor.display_name)}**  \n{roles}")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            sign_out("signed out")
            st.rerun()


def run() -> None:
    st.set_page_config(page_title="EHCP quality assurance", page_icon=":material/fact_check:", layout="wide")
    look.apply()
    try:
        get_settings()
        with outage_shown():
            _show_app()
    except (SettingsError, DatabaseBehind) as problem:
        st.error(f"The app cannot start: {problem}", icon=":material/block:")
        st.stop()
    except exc.SQLAlchemyError as error:
        # A database error is never shown: its text can carry SQL, values and paths.
        log.error("database error while building the page: %s", type(getattr(error, "orig", error)).__name__)
        st.error(DATABASE_ERROR, icon=":material/error:")


def _show_app() -> None:
    for problem in rubric_problems():
        st.sidebar.error(f"A rubric file could not be loaded:\n\n{problem}")
    actor = signed_in_actor()
    if actor is None:
        remember({})
        pages = _sign_in_pages()
        st.navigation(pages, position="hidden").run()
        _footer(pages[1])
        return
    _account_panel(actor)
    if demo_mode():
        st.sidebar.info(SYNTHETIC_BANNER)
    statement = _statement_page()
    grouped = remember(pages_for(actor))
    grouped["Help"] = [statement]
    page = st.navigation(grouped, position="hidden")
    show_links(grouped)
    page.run()
    _footer(statement)
    _move_focus_on_arrival((actor.user_id, page.url_path))

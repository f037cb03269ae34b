"""Builds the multipage app from the signed-in user's roles."""

from __future__ import annotations

import streamlit as st

from qa_app.services.access import (
    ROLES,
    Actor,
    can_manage_users,
    can_read_audit_log,
    can_read_plan_text,
)
from qa_app.settings import SettingsError, get_settings
from qa_app.store.engine import DatabaseBehind
from qa_app.ui.db import outage_shown, rubric_problems
from qa_app.ui.navigation import remember
from qa_app.ui.pages import (
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
    return [st.Page(sign_in.render, title="Sign in", url_path="sign-in", default=True)] + [
        st.Page(sign_in.render, title="Sign in", url_path=address) for address in sorted(addresses - {""})
    ]


def _account_panel(actor) -> None:
    with st.sidebar:
        roles = ", ".join(ROLES[r] for r in sorted(actor.roles))
        st.markdown(f"**{actor.display_name}**  \n{roles}")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            sign_out("signed out")
            st.rerun()


def run() -> None:
    st.set_page_config(page_title="EHCP quality assurance", page_icon=":material/fact_check:", layout="wide")
    try:
        get_settings()
        with outage_shown():
            _show_app()
    except (SettingsError, DatabaseBehind) as problem:
        st.error(f"The app cannot start: {problem}", icon=":material/block:")
        st.stop()


def _show_app() -> None:
    for problem in rubric_problems():
        st.sidebar.error(f"A rubric file could not be loaded:\n\n{problem}")
    actor = signed_in_actor()
    if actor is None:
        remember({})
        st.navigation(_sign_in_pages(), position="hidden").run()
        return
    _account_panel(actor)
    if demo_mode():
        st.sidebar.info(SYNTHETIC_BANNER)
    st.navigation(remember(pages_for(actor))).run()

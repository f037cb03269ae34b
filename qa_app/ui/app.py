"""Builds the multipage app from the signed-in user's roles."""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy import exc

from qa_app.services.access import ROLES, Action, Actor, allowed
from qa_app.settings import SettingsError
from qa_app.store.engine import DatabaseBehind
from qa_app.ui import look
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.plain import plain
from qa_app.ui.db import outage_shown, rubric_problems
from qa_app.ui.navigation import remember, show_links
from qa_app.ui.pages import (
    accessibility,
    actions,
    admin_users,
    assign,
    audit,
    dashboard,
    event_log,
    evidence_pack,
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
DATABASE_ERROR = (
    "Something went wrong in the database, so this page could not be shown or your last change "
    "saved. Nothing of it is lost that was saved before. Try again; if it happens again, tell your "
    "administrator the time it happened."
)
SYNTHETIC_BANNER = (
    "Demo mode: every plan, person and audit here is synthetic, made up for demonstration."
)


# Every page with the action that opens it (None: any signed-in person), in menu order.
# The services refuse the same actions, whatever the menu shows.
PAGES = (
    (
        "my_audits",
        Action.HAVE_AUDITS,
        my_audits.render,
        "My audits",
        ":material/assignment:",
        "my-audits",
    ),
    ("audit", Action.WORK_ON_AUDIT, audit.render, "Audit", ":material/rate_review:", "audit"),
    (
        "assign",
        Action.ASSIGN_AUDITS,
        assign.render,
        "Assign",
        ":material/assignment_ind:",
        "assign",
    ),
    (
        "moderation",
        Action.MODERATE,
        moderation.render,
        "Moderation",
        ":material/balance:",
        "moderation",
    ),
    ("actions", Action.SEE_ACTIONS, actions.render, "Actions", ":material/task_alt:", "actions"),
    ("exports", Action.EXPORT_AUDITS, exports.render, "Export", ":material/download:", "export"),
    (
        "import_plan",
        Action.IMPORT_PLANS,
        import_plan.render,
        "Import plans",
        ":material/upload_file:",
        "import",
    ),
    ("plans", Action.SEE_PLANS, plans.render, "Plans", ":material/folder_open:", "plans"),
    ("plan", Action.SEE_PLANS, plan.render, "Plan", ":material/description:", "plan"),
    (
        "dashboard",
        Action.SEE_DASHBOARDS,
        dashboard.render,
        "Trends",
        ":material/monitoring:",
        "trends",
    ),
    (
        "reports",
        Action.DOWNLOAD_REPORTS,
        reports.render,
        "Reports",
        ":material/summarize:",
        "reports",
    ),
    (
        "evidence_pack",
        Action.MAKE_EVIDENCE_PACK,
        evidence_pack.render,
        "Evidence pack",
        ":material/inventory_2:",
        "evidence-pack",
    ),
    ("rubrics", Action.SEE_RUBRICS, rubrics.render, "Rubrics", ":material/checklist:", "rubrics"),
    (
        "event_log",
        Action.READ_EVENT_LOG,
        event_log.render,
        "Audit log",
        ":material/history:",
        "audit-log",
    ),
    (
        "admin_users",
        Action.SEE_USERS,
        admin_users.render,
        "User accounts",
        ":material/manage_accounts:",
        "users",
    ),
)
# The page a person lands on: that of the first of their roles in this order.
LANDING = (("auditor", "my_audits"), ("qa_lead", "plans"), ("training", "dashboard"))


def pages_for(actor) -> dict[str, st.Page]:
    opened = [row for row in PAGES if allowed(actor, row[1])]
    landing = next((page for role, page in LANDING if actor.has(role)), "rubrics")
    return {
        name: st.Page(render, title=title, icon=icon, url_path=url_path, default=name == landing)
        for name, _action, render, title, icon, url_path in opened
    }


def _sign_in_pages() -> list[st.Page]:
    """While signed out, every page's address shows the sign-in page, so a link to a page
    still leads there once the person has signed in."""
    addresses = {
        page.url_path
        for role in ROLES
        for page in pages_for(
            Actor(user_id=None, display_name="", roles=frozenset({role}), agency="education")
        ).values()
    }
    return [
        st.Page(sign_in.render, title="Sign in", url_path="sign-in", default=True),
        _statement_page(),
    ] + [
        st.Page(sign_in.render, title="Sign in", url_path=address)
        for address in sorted(addresses - {""})
    ]


def _statement_page() -> st.Page:
    return st.Page(
        accessibility.render,
        title="Accessibility",
        icon=":material/accessibility_new:",
        url_path="accessibility",
    )


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
    st.set_page_config(
        page_title="EHCP quality assurance", page_icon=":material/fact_check:", layout="wide"
    )
    look.apply()
    try:
        current_settings()
        with outage_shown():
            _show_app()
    except (SettingsError, DatabaseBehind) as problem:
        st.error(f"The app cannot start: {problem}", icon=":material/block:")
        st.stop()
    except exc.SQLAlchemyError as error:
        # A database error is never shown: its text can carry SQL, values and paths.
        log.error(
            "database error while building the page: %s",
            type(getattr(error, "orig", error)).__name__,
        )
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

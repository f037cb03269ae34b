"""Actions: what is to be done after audits. QA leads see every action, filter them and
export them (logged, identifiers redacted); everyone else sees the actions they own or
recorded (and the training team every training action). Overdue actions come first and
say so in words."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import actions as service
from qa_app.services.access import Action, allowed
from qa_app.services.errors import ServiceError
from qa_app.ui.components.actions_panel import OWNER_KINDS, action_card, show_message
from qa_app.ui.components.downloads import export_format, prepare_and_offer
from qa_app.ui.components.keyboard_choice import choose
from qa_app.ui.db import db
from qa_app.ui.navigation import go_to, has_page
from qa_app.ui.session import current_actor

READY_KEY = "actions_export_ready"
PREFIX = "actions-page"
STATUS_CHOICES = {
    "": "Any status",
    "open": "Open",
    "overdue": "Overdue",
    "done": "Done",
    "cancelled": "Cancelled",
}


def _table(views: list[service.ActionView]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                # Plan, status and due date first: a phone shows them without scrolling.
                "Plan": view.plan_reference,
                "Status": view.status_label,
                "Due": view.due_date,
                "Action": view.id,
                "Kind": view.kind_label,
                "Owner": f"{view.owner_name} ({OWNER_KINDS[view.owner_kind]})",
                "Audit": view.audit_id,
                "What is to be done": view.description,
            }
            for view in views
        ]
    )


def _export(status: str | None, owner: str | None) -> None:
    st.subheader("Export")
    st.caption(
        "The actions as filtered above, with identifiers redacted from descriptions and notes. "
        "Every export is recorded in the audit log."
    )
    fmt = export_format("actions_export_format")
    prepare_and_offer(
        lambda session: service.export_actions(
            session, current_actor(), fmt, status=status, owner=owner
        ),
        counted="actions",
        key="actions_export",
        ready_key=READY_KEY,
    )


def render() -> None:
    actor = current_actor()
    st.title("Actions")
    leads = allowed(actor, Action.EXPORT_ACTIONS)
    if leads:
        st.caption("Every action recorded after an audit or a moderation.")
    elif actor.has("training"):
        st.caption("The actions you own or recorded, and every training action.")
    else:
        st.caption("The actions you own or recorded.")
    show_message(PREFIX)
    cols = st.columns(2)
    status = cols[0].selectbox(
        "Status", list(STATUS_CHOICES), format_func=STATUS_CHOICES.get, key="actions_status"
    )
    owner = cols[1].text_input(
        "Owner (a person's name or a team)", key="actions_owner", max_chars=200
    )
    try:
        with db() as session:
            views = service.list_actions(session, actor, status=status or None, owner=owner or None)
    except ServiceError as error:
        st.error(str(error))
        return
    overdue = sum(view.overdue for view in views)
    if not views:
        st.info("No actions match." if status or owner else "There are no actions yet.")
    else:
        st.markdown(f"**{len(views)} actions**, {overdue} overdue (listed first).")
        st.dataframe(_table(views), hide_index=True, width="stretch", key="actions_table")
        by_id = {view.id: view for view in views}
        picked = choose(
            "Choose an action to update or open",
            {
                view.id: f"Action {view.id} · {view.status_label} · {view.kind_label} · plan {view.plan_reference}"
                for view in views
            },
            key="actions_pick",
            placeholder="Choose an action…",
        )
        if picked in by_id:
            action_card(actor, by_id[picked], PREFIX)
            if has_page("audit") and st.button("Open its audit", key="actions_open_audit"):
                go_to("audit", audit=by_id[picked].audit_id)
    if leads:
        _export(status or None, owner or None)

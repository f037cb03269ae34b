"""My audits: the audits assigned to the signed-in user, with status and due date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from qa_app.domain.rubric import RUBRIC_KINDS
from qa_app.services import actions
from qa_app.services.audits import my_audits
from qa_app.services.errors import ServiceError
from qa_app.ui.components.actions_panel import status_line
from qa_app.ui.components.keyboard_choice import choose, picked_row
from qa_app.ui.components.labels import label
from qa_app.ui.db import db
from qa_app.ui.navigation import go_to, page_link
from qa_app.ui.session import current_actor

STATUS = {"draft": "Draft", "submitted": "Submitted", "moderated": "Moderated"}


def render() -> None:
    resume = st.query_params.get("audit")
    if resume and resume.isdigit():
        # Signing in again after a refresh lands here with the audit still in the address.
        go_to("audit", audit=int(resume))
    actor = current_actor()
    st.title("My audits")
    show_finished = st.toggle(
        "Show submitted and moderated audits", value=False, key="my_audits_finished"
    )
    try:
        with db() as session:
            summaries = my_audits(session, actor, include_finished=show_finished)
    except ServiceError as error:
        st.error(str(error))
        return
    _my_actions(actor)
    if not summaries:
        st.info(
            "You have no audits to do." if not show_finished else "No audits are assigned to you."
        )
        return
    today = date.today()
    overdue = sum(1 for s in summaries if s.status == "draft" and s.due_date and s.due_date < today)
    open_count = sum(1 for s in summaries if s.status == "draft")
    st.caption(
        f"{open_count} to do"
        + (f", {overdue} overdue" if overdue else "")
        + ". Choose an audit below, or select a row, to open it."
    )
    table = pd.DataFrame(
        [
            {
                "id": s.id,
                # Plan, status and due date first: a phone shows them without scrolling.
                "Plan": s.plan_reference,
                "Status": STATUS.get(s.status, s.status),
                "Due": s.due_date,
                "Overdue": "yes"
                if s.status == "draft" and s.due_date and s.due_date < today
                else "",
                "Progress": f"{s.scored} of {s.to_score}",
                "Audit": RUBRIC_KINDS[s.kind],
                "Agency": label("agency", s.agency),
                "Double-rated": "yes" if s.double_rated else "",
                "Last change": s.updated_at.strftime("%d %b %Y %H:%M"),
            }
            for s in summaries
        ]
    ).set_index("id")
    picked = choose(
        "Open an audit",
        {
            s.id: f"{s.plan_reference}{'' if s.kind == 'plan' else ' · ' + RUBRIC_KINDS[s.kind].lower()} · {STATUS.get(s.status, s.status)}"
            + (f" · due {s.due_date:%d %b %Y}" if s.due_date else "")
            + f" · {s.scored} of {s.to_score} scored"
            for s in summaries
        },
        key="my_audits_open",
        placeholder="Choose an audit to open…",
    )
    if picked is not None:
        go_to("audit", audit=picked)
    selected = picked_row(table, "my_audits_table")
    if selected is not None:
        go_to("audit", audit=selected)


def _my_actions(actor) -> None:
    """The open actions this person owns, beside their audits."""
    with db() as session:
        mine = [
            view
            for view in actions.list_actions(session, actor, status="open")
            if view.owner_kind == "user" and view.owner_user_id == actor.user_id
        ]
    if not mine:
        return
    overdue = sum(view.overdue for view in mine)
    with st.container(border=True):
        st.markdown(
            f"**Your open actions: {len(mine)}**" + (f", {overdue} overdue" if overdue else "")
        )
        for view in mine:
            st.markdown(f"Plan {view.plan_reference}, audit {view.audit_id} · " + status_line(view))
            st.text(view.description)
        page_link("actions", "Update them on the Actions page")

"""The actions of one audit (or one moderation), and the form that records a new one.

Descriptions and completion notes are user text: shown with ``st.text``, never as
Markdown. Overdue is said in words beside the status, not by colour alone. Each
criterion graded Requires improvement or Inadequate proposes an action, prefilled.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from qa_app.domain.rubric import Rubric
from qa_app.services import actions as service
from qa_app.services.access import Action, Actor, allowed
from qa_app.services.errors import ServiceError
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db

DEFAULT_DAYS_TO_DUE = 28
WRITE_MY_OWN = "__own__"
OWNER_KINDS = {"user": "person", "team": "team"}


def _message_key(prefix: str) -> str:
    return f"{prefix}-actions-message"


def status_line(view: service.ActionView) -> str:
    """Kind, status (Overdue in words), owner and due date, escaped for Markdown."""
    status = (
        ":red-badge[:material/schedule: Overdue]"
        if view.overdue
        else f"**{view.status.capitalize()}**"
    )
    return (
        f"{status} · **{view.kind_label}** · owner {plain(view.owner_name)} ({OWNER_KINDS[view.owner_kind]}) · "
        f"due {view.due_date:%d %b %Y}"
    )


def _change(prefix: str, action_id: int, change: str) -> None:
    note = st.session_state.get(f"{prefix}-note-{action_id}", "")
    try:
        with db() as session:
            if change == "done":
                service.complete_action(session, _actor(), action_id, note)
            elif change == "cancel":
                service.cancel_action(session, _actor(), action_id, note)
            else:
                service.reopen_action(session, _actor(), action_id)
        done = {"done": "marked done", "cancel": "cancelled", "reopen": "reopened"}[change]
        st.session_state[_message_key(prefix)] = ("success", f"Action {action_id} {done}.")
    except ServiceError as error:
        st.session_state[_message_key(prefix)] = ("error", str(error))


def _actor() -> Actor:
    from qa_app.ui.session import current_actor

    return current_actor()


def action_card(actor: Actor, view: service.ActionView, prefix: str) -> None:
    """One action: what, who, when, its status; the controls its owner or a QA lead may use."""
    with st.container(border=True):
        st.markdown(f"Action {view.id} · " + status_line(view))
        st.text(view.description)
        if view.completion_note:
            st.caption("Completion note:")
            st.text(view.completion_note)
        if not allowed(actor, Action.CHANGE_ACTIONS, view):
            return
        if view.status == "open":
            with st.form(key=f"{prefix}-form-{view.id}", border=False):
                st.text_input(
                    "Completion note (what was done, or why it is cancelled)",
                    key=f"{prefix}-note-{view.id}",
                )
                cols = st.columns(2)
                cols[0].form_submit_button(
                    "Mark done",
                    on_click=_change,
                    args=(prefix, view.id, "done"),
                    key=f"{prefix}-done-{view.id}",
                )
                cols[1].form_submit_button(
                    "Cancel action",
                    on_click=_change,
                    args=(prefix, view.id, "cancel"),
                    key=f"{prefix}-cancel-{view.id}",
                )
        else:
            st.button(
                "Reopen",
                key=f"{prefix}-reopen-{view.id}",
                on_click=_change,
                args=(prefix, view.id, "reopen"),
            )


def show_message(prefix: str) -> None:
    message = st.session_state.pop(_message_key(prefix), None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])


def _record(
    prefix: str,
    audit_id: int,
    moderation_id: int | None,
    criterion_id: str | None,
    owners: dict[str, service.Owner],
) -> None:
    form = f"{prefix}-new"
    try:
        with db() as session:
            service.create_action(
                session,
                _actor(),
                audit_id,
                kind=st.session_state[f"{form}-kind"],
                description=st.session_state.get(f"{form}-description-{criterion_id}", ""),
                owner=_owner_from(form, owners),
                due_date=st.session_state[f"{form}-due"],
                criterion_id=criterion_id,
                moderation_id=moderation_id,
            )
        st.session_state[_message_key(prefix)] = ("success", "Action recorded.")
    except ServiceError as error:
        st.session_state[_message_key(prefix)] = ("error", str(error))


def _owner_from(form: str, owners: dict[str, service.Owner]) -> service.Owner:
    other_team = (st.session_state.get(f"{form}-other-team") or "").strip()
    if other_team:
        return service.Owner.of_team(other_team)
    chosen = st.session_state.get(f"{form}-owner")
    return owners[chosen] if chosen in owners else service.Owner("none")


def record_form(
    actor: Actor,
    audit_id: int,
    rubric: Rubric,
    levels: dict,
    prefix: str,
    moderation_id: int | None = None,
) -> None:
    """Record an action: pick a weak criterion to start from (or write one's own), then
    the kind, description, owner and due date."""
    with db() as session:
        users, teams = service.owner_choices(session, actor)
    proposals = {p.criterion_id: p for p in service.proposals(rubric, levels)}
    form = f"{prefix}-new"
    st.markdown("**Record an action**")
    if proposals:
        st.caption(
            f"{len(proposals)} criteria were graded Requires improvement or Inadequate; each proposes an action."
        )
    start = st.selectbox(
        "Start from",
        [*proposals, WRITE_MY_OWN],
        format_func=lambda cid: (
            "Write my own action"
            if cid == WRITE_MY_OWN
            else f"{proposals[cid].criterion_title} ({proposals[cid].level_label})"
        ),
        key=f"{form}-start",
    )
    proposal = proposals.get(start)
    criterion_id = proposal.criterion_id if proposal else None
    owners = {f"user:{user_id}": service.Owner.user(user_id) for user_id, _ in users}
    owners |= {f"team:{team}": service.Owner.of_team(team) for team in teams}
    names = {f"user:{user_id}": f"{name} (person)" for user_id, name in users}
    names |= {f"team:{team}": f"{team} (team)" for team in teams}
    with st.form(key=f"{form}-form", clear_on_submit=True):
        kinds = list(service.KINDS)
        st.selectbox(
            "Kind",
            kinds,
            index=kinds.index(proposal.kind) if proposal else 0,
            format_func=service.KINDS.get,
            key=f"{form}-kind",
        )
        st.text_area(
            "What is to be done",
            value=proposal.description if proposal else "",
            key=f"{form}-description-{criterion_id}",
            max_chars=2000,
        )
        cols = st.columns(2)
        own = f"user:{actor.user_id}"
        options = list(owners)
        cols[0].selectbox(
            "Owner",
            options,
            index=options.index(own) if own in options else None,
            format_func=names.get,
            key=f"{form}-owner",
            placeholder="Choose a person or a team",
        )
        cols[1].text_input("Or another team", key=f"{form}-other-team", max_chars=80)
        st.date_input(
            "Due by",
            value=date.today() + timedelta(days=DEFAULT_DAYS_TO_DUE),
            min_value=date.today(),
            key=f"{form}-due",
            format="DD/MM/YYYY",
        )
        st.form_submit_button(
            "Record action",
            type="primary",
            on_click=_record,
            args=(prefix, audit_id, moderation_id, criterion_id, owners),
            key=f"{form}-submit",
        )


def render_actions_panel(
    actor: Actor,
    audit_id: int,
    rubric: Rubric,
    levels: dict,
    *,
    finished: bool,
    prefix: str,
    moderation_id: int | None = None,
) -> None:
    """The audit's actions, then (for who may record them, once the audit is finished)
    the form for a new one."""
    st.subheader("Actions")
    show_message(prefix)
    try:
        with db() as session:
            views = service.list_actions(session, actor, audit_id=audit_id)
    except ServiceError as error:
        st.error(str(error))
        return
    for view in views:
        action_card(actor, view, prefix)
    if not views:
        st.caption("No actions recorded for this audit yet.")
    if not finished:
        st.caption("Actions are recorded once the audit is submitted.")
    elif allowed(actor, Action.RECORD_ACTIONS):
        record_form(actor, audit_id, rubric, levels, prefix, moderation_id)

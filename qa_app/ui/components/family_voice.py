"""Beside an audit: what the parent or carer, and the child or young person, said about
the plan. One form per person (a form sends every answer at once, so nothing typed is
lost on blur); what is stored is shown as plain text, its comment already redacted."""

from __future__ import annotations

import streamlit as st

from qa_app.services import family_voice
from qa_app.services.errors import ServiceError
from qa_app.ui.db import db

NOT_SAID = "Not asked / did not say"
_MESSAGE_KEY = "family-voice-saved"


def _key(audit_id: int, respondent: str, name: str) -> str:
    return f"voice-{audit_id}-{respondent}-{name}"


def _save(actor, audit_id: int, respondent: str) -> None:
    answers = {
        name: st.session_state.get(_key(audit_id, respondent, name))
        for name in family_voice.STATEMENTS
    }
    answers = {name: None if value == NOT_SAID else value for name, value in answers.items()}
    comment = st.session_state.get(_key(audit_id, respondent, "comment"), "")
    try:
        with db() as session:
            saved = family_voice.record_voice(
                session, actor, audit_id, respondent, answers, comment
            )
    except ServiceError as error:
        st.session_state[_MESSAGE_KEY] = (respondent, "error", str(error))
        return
    # Show the comment as stored: redacted.
    st.session_state[_key(audit_id, respondent, "comment")] = saved.comment
    st.session_state[_MESSAGE_KEY] = (
        respondent,
        "success",
        f"Saved what the {saved.respondent_label.lower()} said.",
    )


def _answer_label(value) -> str:
    return value if value == NOT_SAID else f"{value} · {family_voice.AGREEMENT[value]}"


def render_family_voice(actor, audit_id: int) -> None:
    st.subheader("What the family said")
    st.caption(
        "After talking with them, record how far the parent or carer, and the child or young person, agree "
        "with each statement. Comments are redacted when saved: names and other identifiers are replaced."
    )
    try:
        with db() as session:
            stored = {
                record.respondent: record
                for record in family_voice.voices_for_audit(session, actor, audit_id)
            }
    except ServiceError as error:
        st.error(str(error))
        return
    message = st.session_state.pop(_MESSAGE_KEY, None)
    options = [*sorted(family_voice.AGREEMENT, reverse=True), NOT_SAID]
    for respondent, title in family_voice.RESPONDENTS.items():
        record = stored.get(respondent)
        with st.expander(
            f"{title}" + (" · recorded" if record else " · not recorded yet"),
            expanded=record is None,
            key=f"voice-{audit_id}-{respondent}-box",
        ):
            with st.form(key=_key(audit_id, respondent, "form"), border=False):
                for name, statement in family_voice.STATEMENTS.items():
                    key = _key(audit_id, respondent, name)
                    if key not in st.session_state:
                        value = record.answers[name] if record else None
                        st.session_state[key] = NOT_SAID if value is None else value
                    st.radio(
                        f"“{statement}”",
                        options,
                        format_func=_answer_label,
                        horizontal=True,
                        key=key,
                    )
                comment_key = _key(audit_id, respondent, "comment")
                if comment_key not in st.session_state:
                    st.session_state[comment_key] = record.comment if record else ""
                st.text_area(
                    "What they said, in their words (optional)",
                    key=comment_key,
                    max_chars=family_voice.NOTE_LIMIT,
                )
                st.form_submit_button(
                    f"Save what the {title.lower()} said",
                    on_click=_save,
                    args=(actor, audit_id, respondent),
                )
            if message and message[0] == respondent:
                (st.success if message[1] == "success" else st.error)(message[2])

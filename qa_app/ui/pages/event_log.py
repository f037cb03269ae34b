"""The event log page (titled "Audit log", as users call it), read-only: who did what and
when, with filters. For QA leads and admins."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from qa_app.services import audits, event_log, event_sentences
from qa_app.services.access import Action, allowed
from qa_app.services.errors import ServiceError
from qa_app.ui.db import db
from qa_app.ui.session import current_actor

ROW_LIMIT = 1000
VISIBLE_ROWS = 20
ACTION_LABELS = {
    "sign_in": "Signed in",
    "sign_in_failed": "Failed sign-in",
    "sign_out": "Signed out",
    "view": "Viewed",
    "create": "Created",
    "update": "Changed",
    "assign": "Assigned",
    "submit": "Submitted",
    "reopen": "Reopened",
    "agree": "Agreed",
    "flag": "Flagged",
    "import": "Imported",
    "export": "Exported",
    "download": "Downloaded",
    "purge": "Purged text",
}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _all_or(values: list[str], noun: str, labels: dict[str, str] | None = None):
    labels = labels or {}
    return {
        "options": [None] + values,
        "format_func": lambda v: f"All {noun}" if v is None else labels.get(v, v),
    }


def _reopening_id(entry) -> int | None:
    if entry.action != "reopen":
        return None
    try:
        found = json.loads(entry.detail or "{}").get("reopening")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, int) else None


def _reopen_reasons(session, actor, entries) -> dict[int, str]:
    """The reasons the log's reopenings point to (kept with the audit, redacted), for a
    reader who may see audits."""
    ids = [i for i in map(_reopening_id, entries) if i is not None]
    if not ids or not allowed(actor, Action.SEE_AUDITS):
        return {}
    return audits.reopening_reasons(session, actor, ids)


def _reason(entry, reasons: dict[int, str]) -> str:
    """A reopening's reason (redacted when it was given), after its sentence."""
    reopening = _reopening_id(entry)
    if reopening is None or reopening not in reasons:
        return ""
    return f"; reason: {reasons[reopening] or '(removed by retention)'}"


def render() -> None:
    actor = current_actor()
    st.title("Audit log")
    st.caption(
        "Every sign-in, failed sign-in, plan view, change, export and download, with who and when. "
        "Times are UTC. The log cannot be edited or deleted from the app."
    )
    today = datetime.now(UTC).date()
    with db() as session:
        options = event_log.log_filter_options(session, actor)
        first, second, third, fourth, fifth = st.columns([2, 1, 1, 1, 1])
        period = first.date_input(
            "Between", value=(today - timedelta(days=30), today), max_value=today
        )
        action = second.selectbox("Action", **_all_or(options["action"], "actions", ACTION_LABELS))
        who = third.selectbox("Who", **_all_or(options["actor_name"], "people"))
        entity = fourth.selectbox(
            "Record type",
            **_all_or(options["entity"], "records", event_sentences.RECORD_TYPES),
        )
        entity_id = fifth.text_input("Record id", max_chars=40)
        since, until = (
            (period[0], period[-1]) if isinstance(period, tuple) and period else (today, today)
        )
        try:
            entries = event_log.read_log(
                session,
                actor,
                since=_start_of(since),
                until=_start_of(until + timedelta(days=1)),
                action=action,
                actor_name=who,
                entity=entity,
                entity_id=entity_id or None,
                limit=ROW_LIMIT,
            )
        except ServiceError as error:
            st.error(str(error))
            return
        reasons = _reopen_reasons(session, actor, entries)
        shown = event_sentences.readable(session, actor, entries)
        rows = [
            {
                "When": entry.at.strftime("%Y-%m-%d %H:%M:%S"),
                "Who": readable.who,
                "What": readable.what + _reason(entry, reasons),
            }
            for entry, readable in zip(entries, shown)
        ]
        stored = [
            {
                "When": entry.at.strftime("%Y-%m-%d %H:%M:%S"),
                "Who": entry.actor_name,
                "Action": entry.action,
                "Record": entry.entity,
                "Id": entry.entity_id or "",
                "Field": entry.field or "",
                "From": entry.old_value or "",
                "To": entry.new_value or "",
                "Detail": entry.detail or "",
            }
            for entry in entries
        ]
    if not rows:
        st.info("No log entries match these filters.")
        return
    more = (
        " (the newest; narrow the filters to see older entries)" if len(rows) == ROW_LIMIT else ""
    )
    st.caption(f"{len(rows)} entries{more}.")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        height=min(len(rows) + 1, VISIBLE_ROWS) * 35 + 3,
        column_config={"What": st.column_config.TextColumn(width="large")},
        key="event_log_table",
    )
    with st.expander("The same entries as stored", icon=":material/data_object:"):
        st.caption(
            "What each entry holds, as written: codes, ids, levels, counts and lengths of text."
        )
        st.dataframe(
            pd.DataFrame(stored),
            hide_index=True,
            width="stretch",
            height=min(len(stored) + 1, VISIBLE_ROWS) * 35 + 3,
            key="event_log_stored",
        )

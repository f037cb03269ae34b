"""Export: a period's audits as CSV or Excel, one row per criterion score."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from qa_app.services.access import Action, require
from qa_app.services.errors import ServiceError
from qa_app.services.exports import export_period
from qa_app.ui.app_settings import current_settings
from qa_app.ui.db import db
from qa_app.ui.session import current_actor

READY_KEY = "export_ready"


def render() -> None:
    st.title("Export audits")
    try:
        require(current_actor(), Action.EXPORT_AUDITS)
    except ServiceError as error:
        st.error(str(error))
        return
    st.caption(
        "Audits submitted in the period, one row per criterion score, with plan details, auditor, agency, "
        "timestamps, notes and the moderation outcome. Cells that a spreadsheet would read as a formula are "
        "made plain text. Every export is recorded in the audit log."
    )
    today = date.today()
    cols = st.columns(3)
    start = cols[0].date_input("From", value=today - timedelta(days=90), key="export_from")
    end = cols[1].date_input("To", value=today, key="export_to")
    fmt = cols[2].radio(
        "Format",
        ["xlsx", "csv"],
        format_func={"xlsx": "Excel", "csv": "CSV"}.get,
        horizontal=True,
        key="export_format",
    )
    if st.button("Prepare export", type="primary", key="export_prepare"):
        try:
            with db() as session:
                st.session_state[READY_KEY] = export_period(
                    session, current_actor(), start, end, fmt, settings=current_settings()
                )
        except ServiceError as error:
            st.session_state[READY_KEY] = None
            st.error(str(error))
    ready = st.session_state.get(READY_KEY)
    if ready:
        st.success(f"{ready.rows} rows ready.")
        st.download_button(
            f"Download {ready.filename}",
            data=ready.content,
            file_name=ready.filename,
            mime=ready.media_type,
            key="export_download",
            on_click="ignore",
        )

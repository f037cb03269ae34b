"""Export: a period's audits as CSV or Excel, one row per criterion score."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from qa_app.services.access import Action, require
from qa_app.services.errors import ServiceError
from qa_app.services.exports import export_period
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.downloads import export_format, prepare_and_offer
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
    fmt = export_format("export_format", cols[2])
    prepare_and_offer(
        lambda session: export_period(
            session, current_actor(), start, end, fmt, settings=current_settings()
        ),
        counted="rows",
        key="export",
        ready_key=READY_KEY,
        primary=True,
    )

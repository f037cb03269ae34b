"""Reports: build a learning report, or feedback for one plan writer, and download it."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from qa_app.services.errors import ServiceError
from qa_app.services.learning_reports import ReportRequest, build_report, report_options
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.downloads import build_and_offer
from qa_app.ui.db import db
from qa_app.ui.session import current_actor

READY_KEY = "report_ready"
COUNTING = (
    "How audits are counted: audits submitted in the period on one rubric. A plan that was double-rated "
    "counts once, by its first rating (the agreed grade where it has been moderated), so the count can be "
    "lower than the number of audits submitted."
)


def _last_full_quarter(today: date) -> tuple[date, date]:
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def _choice(column, label: str, values, everything: str, key: str, names: dict | None = None):
    names = names or {}
    return column.selectbox(
        label,
        [None, *values],
        format_func=lambda v: everything if v is None else names.get(v, v),
        key=key,
    )


def _request(options: dict) -> ReportRequest:
    first, last = _last_full_quarter(date.today())
    cols = st.columns(2)
    date_from = cols[0].date_input("From", value=first, key="report_from", format="DD/MM/YYYY")
    date_to = cols[1].date_input("To", value=last, key="report_to", format="DD/MM/YYYY")
    cols = st.columns(4)
    team = _choice(cols[0], "Team", options["team"], "All teams", "report_team")
    agency = _choice(
        cols[1],
        "Agency",
        list(options["agency"]),
        "All agencies",
        "report_agency",
        options["agency"],
    )
    rubric = _choice(
        cols[2],
        "Rubric",
        list(options["rubric"]),
        "Most used in the period",
        "report_rubric",
        options["rubric"],
    )
    writer = _choice(
        cols[3],
        "Plan writer (feedback)",
        options["writer"],
        "None: learning report",
        "report_writer",
    )
    return ReportRequest(date_from, date_to, team=team, agency=agency, rubric=rubric, writer=writer)


def render() -> None:
    actor = current_actor()
    st.title("Learning reports")
    st.caption(
        "A Word report for training teams: grades against target, strongest and weakest criteria with what good "
        "looks like, themes from auditors' notes, anonymised example outcomes, a comparison by team and the "
        "training the findings call for. Choose a plan writer to get feedback for that writer instead. Names and "
        "identifiers are removed and groups too small to be anonymous are left out. Each report is recorded in "
        "the audit log."
    )
    try:
        with db() as session:
            request = _request(report_options(session, actor))
    except ServiceError as error:
        st.error(str(error))
        return
    build_and_offer(
        request,
        lambda session: build_report(session, actor, request, settings=current_settings()),
        name="Report",
        button="Build report",
        key="report",
        ready_key=READY_KEY,
    )
    st.caption(COUNTING)

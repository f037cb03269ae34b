"""The dashboard's "Family voice" tab: how far parents and carers, and children and
young people, agree with each statement about their audited plans."""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd
import streamlit as st

from qa_app import charts
from qa_app.services import family_voice
from qa_app.services.dashboard import DashboardFilters, month_label
from qa_app.ui.app_settings import current_settings
from qa_app.ui.db import db


def month_span(filters: DashboardFilters) -> tuple[date, date]:
    first = date(int(filters.start_month[:4]), int(filters.start_month[5:]), 1)
    year, month = int(filters.end_month[:4]), int(filters.end_month[5:])
    return first, date(year, month, calendar.monthrange(year, month)[1])


SHORT = {
    "listened_to": "was listened to",
    "describes": "plan describes them",
    "what_happens": "says what, who, when",
}
WHO = {"parent_carer": "Parent or carer", "child_young_person": "Child or young person"}


def voice_table(summary: family_voice.VoiceSummary) -> pd.DataFrame:
    rows = [
        {
            "group": f"{WHO[f.respondent]}: {SHORT[f.statement]}",
            "statement": f"{family_voice.RESPONDENTS[f.respondent]}: “{family_voice.STATEMENTS[f.statement]}”",
            "n": f.n,
            "hits": f.agree,
            "share": f.share,
            "suppressed": f.suppressed,
        }
        for f in summary.figures
        if f.n
    ]
    return pd.DataFrame(rows, columns=["group", "statement", "n", "hits", "share", "suppressed"])


def render_voice_tab(actor, filters: DashboardFilters) -> None:
    first, last = month_span(filters)
    with db() as session:
        summary = family_voice.voice_summary(
            session, actor, first, last, team=filters.team, settings=current_settings()
        )
    k = summary.suppression_size
    st.markdown("##### What families said about their plans")
    if not summary.plans:
        st.info(
            f"No family voice was recorded from {month_label(filters.start_month)} to {month_label(filters.end_month)}"
            + (" for this team." if filters.team else ".")
        )
        return
    st.caption(
        f"Recorded by auditors for {summary.plans} plans from {month_label(filters.start_month)} to "
        f"{month_label(filters.end_month)}: {summary.records['parent_carer']} parents or carers and "
        f"{summary.records['child_young_person']} children or young people. Each bar is the share who agree "
        f"or strongly agree; shares resting on fewer than {k} answers are suppressed. Only the team filter "
        "applies here."
    )
    table = voice_table(summary)
    chart = charts.breakdown_chart(
        table,
        "Statement",
        None,
        k,
        measure="Agree or strongly agree",
        base="Answers",
        label_limit=320,
    )
    st.altair_chart(chart, width="stretch", key="family_voice")
    shown = table.assign(
        share=table["share"].map(lambda v: "suppressed" if pd.isna(v) else f"{v:.0f}%")
    )
    st.table(
        shown[["statement", "n", "share"]]
        .rename(
            columns={"statement": "Statement", "n": "Answers", "share": "Agree or strongly agree"}
        )
        .set_index("Statement")
    )

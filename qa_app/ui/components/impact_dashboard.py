"""The dashboard's re-audit tab: of the plans audited again on a later version, the
share that improved and the mean change in overall grade, by team and by the kind of
action taken after the earlier audit, for the dashboard's months, rubric and team. Small
groups are suppressed, and say so."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services.access import Actor
from qa_app.services.dashboard import DashboardFilters, month_label
from qa_app.services.reaudits import ImpactRow, reaudit_impact
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.voice_dashboard import month_span
from qa_app.ui.db import db

SUPPRESSED = "Suppressed"


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _table(rows: list[ImpactRow], group: str, k: int) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                group: row.group,
                "Re-audited plans": row.cases,
                "Improved": SUPPRESSED
                if row.suppressed
                else f"{row.improved_pct:.0f}% ({row.improved})",
                "Mean grade change": SUPPRESSED if row.suppressed else _signed(row.mean_change),
            }
            for row in rows
        ]
    )


def render_impact_tab(actor: Actor, filters: DashboardFilters) -> None:
    since, until = month_span(filters)
    with db() as session:
        impact = reaudit_impact(
            session,
            actor,
            team=filters.team,
            since=since,
            until=until,
            rubric_key=filters.rubric_key,
            settings=current_settings(),
        )
    k = impact.suppression_size
    months = f"{month_label(filters.start_month)} to {month_label(filters.end_month)}"
    st.subheader("Re-audits and impact")
    st.caption(
        f"Plans audited again on a later version (an amended plan, or the plan after a review) from {months}: "
        "the earliest audited version against the latest. Grades run from 1 (Inadequate) to 4 (Outstanding), "
        f"so a mean change of +1.00 is one grade better. Groups of fewer than {k} plans are suppressed. "
        "Only the rubric, months and team filters apply here."
    )
    overall = impact.overall
    if overall.cases == 0:
        st.info(f"No plan was re-audited on a later version from {months}.")
        return
    cols = st.columns(3)
    cols[0].metric("Re-audited plans", overall.cases)
    cols[1].metric("Improved", SUPPRESSED if overall.suppressed else f"{overall.improved_pct:.0f}%")
    cols[2].metric(
        "Mean grade change", SUPPRESSED if overall.suppressed else _signed(overall.mean_change)
    )
    st.markdown("**By team**")
    st.dataframe(
        _table(impact.by_team, "Team", k), hide_index=True, width="stretch", key="impact_by_team"
    )
    st.markdown("**By kind of action after the earlier audit**")
    st.caption("A plan counts under every kind of action recorded after its earlier audit.")
    st.dataframe(
        _table(impact.by_action_kind, "Action", k),
        hide_index=True,
        width="stretch",
        key="impact_by_kind",
    )

"""A plan's audits merged by the owning agency of each criterion, for the Plan page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.domain.grading import NOT_APPLICABLE
from qa_app.services.audits import combined_view
from qa_app.ui.components.labels import label
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db


def render_combined(actor, plan_id: int) -> None:
    with db() as session:
        view = combined_view(session, actor, plan_id)
    if view is None:
        st.info("No audit of this plan is visible to you yet.")
        return
    rubric = view.rubric

    def shown(value) -> str:
        if value is None:
            return "—"
        return "N/A" if value == NOT_APPLICABLE else rubric.label(value)

    statuses = ", ".join(f"{label('agency', a)}: {view.audit_status[a]}" for a in view.agencies)
    st.metric("Combined grade", view.result.overall_label)
    st.caption(
        f"Audits: {statuses}. Each criterion takes the score of the agency that owns it; shared criteria "
        "take the lowest score any agency gave. Agreed moderation scores replace an agency's own."
    )
    for reason in view.result.reasons:
        st.markdown(f":orange[**Why:** {plain(reason)}]")
    table = pd.DataFrame(
        [
            {
                "Section": rubric.section_title(row.section),
                "Criterion": row.title,
                "Owner": label("agency", row.owner),
                **{label("agency", a): shown(row.by_agency[a]) for a in view.agencies},
                "Combined": shown(row.combined),
            }
            for row in view.rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")

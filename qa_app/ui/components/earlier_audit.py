"""The earlier audit of a plan's case beside its re-audit: the earlier version's grade,
the actions taken after it, and each criterion's earlier level against today's."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.domain.grading import NOT_APPLICABLE
from qa_app.domain.rubric import Rubric
from qa_app.services.reaudits import Comparison


def level_text(rubric: Rubric, value) -> str:
    if value is None:
        return "Not scored"
    return "N/A" if value == NOT_APPLICABLE else f"{value} · {rubric.label(value)}"


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    return "No change" if change == 0 else (f"Up {change}" if change > 0 else f"Down {-change}")


def render_comparison(comparison: Comparison, rubric: Rubric, audit_id: int) -> None:
    with st.expander(
        f"Earlier audit: version {comparison.earlier_version} of this case, graded "
        f"{rubric.label(comparison.earlier_grade)}",
        expanded=True,
        key=f"audit-{audit_id}-earlier",
    ):
        when = (
            f"{comparison.earlier_submitted_at:%d %b %Y}"
            if comparison.earlier_submitted_at
            else "—"
        )
        st.caption(
            f"Plan {comparison.earlier_reference}, audit {comparison.earlier_audit_id}, submitted {when}. "
            + (
                "Actions after it: " + ", ".join(comparison.earlier_actions) + "."
                if comparison.earlier_actions
                else "No actions were recorded after it."
            )
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Criterion": row.criterion.title,
                        "Earlier audit": level_text(rubric, row.earlier),
                        "This audit": level_text(rubric, row.now),
                        "Change": change_text(row.change),
                    }
                    for row in comparison.rows
                ]
            ),
            hide_index=True,
            width="stretch",
            key=f"audit-{audit_id}-earlier-table",
        )


def earlier_caption(comparison: Comparison | None, rubric: Rubric, criterion_id: str) -> None:
    """Under a criterion: its level in the earlier audit."""
    if comparison is None:
        return
    for row in comparison.rows:
        if row.criterion.id == criterion_id:
            st.caption(
                f"Earlier audit (version {comparison.earlier_version}): {level_text(rubric, row.earlier)}"
            )
            return

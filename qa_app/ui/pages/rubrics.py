"""Rubrics: any rubric as a readable table of criteria and level descriptors."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services.rubrics import all_versions, rubric_of
from qa_app.ui.components.labels import label
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db


def render() -> None:
    st.title("Rubrics")
    with db() as session:
        versions = all_versions(session)
        choices = {v.id: (f"{v.title} — v{v.version} ({v.content_hash[:8]})", v) for v in versions}
    if not choices:
        st.info("No rubrics are registered. Put rubric YAML files in the rubrics folder.")
        return
    newest_first = sorted(choices, reverse=True)
    picked = st.selectbox("Rubric", newest_first, format_func=lambda i: choices[i][0])
    version = choices[picked][1]
    rubric = rubric_of(version)
    st.caption(
        f"{rubric.kind_label}. {rubric.description} Registered {version.created_at:%d %b %Y}"
        + (
            f"; in use since {version.first_used_at:%d %b %Y}, so it can no longer change."
            if version.first_used_at
            else "; not yet used by an audit."
        )
    )
    levels = rubric.levels_high_to_low
    agency = st.segmented_control(
        "Agency",
        ["all", "education", "health", "social_care"],
        default="all",
        format_func=lambda a: "All agencies" if a == "all" else label("agency", a),
    )
    for section in rubric.sections:
        criteria = [
            c
            for c in rubric.criteria
            if c.section == section.id and (agency in (None, "all") or c.owned_by(agency))
        ]
        if not criteria:
            continue
        st.subheader(section.title)
        rows = []
        for c in criteria:
            row = {
                "Criterion": c.title + (" ★" if c.critical else ""),
                "Question": c.question,
                "Agency": label("agency", c.agency),
                "Weight": c.weight,
            }
            row.update({lv.label: c.descriptors[lv.value] for lv in levels})
            row["Applies"] = (
                "Year 9 and above"
                if c.applies_when and c.applies_when.year_group_at_least == 9
                else ("When conditions hold" if c.applies_when else "Always")
            )
            row["N/A allowed"] = "yes" if c.allow_na else ""
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption("★ critical criterion")
    if rubric.limits:
        st.subheader("Limiting rules")
        for limit in rubric.limits:
            st.markdown(
                f"- **{plain(limit.id)}** — {plain(limit.description or 'see the rubric file')}"
            )
    boundaries = ", ".join(
        f"{rubric.label(b.grade)} from {b.min:g}"
        for b in sorted(rubric.boundaries, key=lambda b: -b.min)
    )
    st.caption(f"Grade boundaries on the weighted mean score: {boundaries}.")

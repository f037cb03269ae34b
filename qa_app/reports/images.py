"""Chart images for reports: Altair charts rendered offline to PNG by vl-convert."""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

from qa_app.reports.figures import GradeCounts

GRADE_COLOURS = {4: "#1b7837", 3: "#7fbf7b", 2: "#f1a340", 1: "#d73027"}


def grade_distribution_chart(grades: GradeCounts) -> alt.LayerChart:
    frame = pd.DataFrame(
        [{"grade": label, "value": value, "audits": grades.counts.get(value, 0)} for value, label in grades.labels]
    )
    order = [label for _, label in grades.labels]
    base = alt.Chart(frame).encode(
        x=alt.X("grade:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelFontSize=12)),
        y=alt.Y("audits:Q", title="Audits", axis=alt.Axis(titleFontSize=12, labelFontSize=11)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "grade:N",
            sort=order,
            scale=alt.Scale(domain=order, range=[GRADE_COLOURS.get(v, "#888888") for v, _ in grades.labels]),
            legend=None,
        )
    )
    counts = base.mark_text(dy=-8, fontSize=13).encode(text="audits:Q")
    return (bars + counts).properties(width=440, height=230)


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)

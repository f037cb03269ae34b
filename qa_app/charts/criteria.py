"""Criterion-level charts: the heatmap of mean scores (criteria by period) and the
Preparing for Adulthood coverage of plans for Year 9 and above."""

from __future__ import annotations

import altair as alt
import pandas as pd

from qa_app.charts.style import (
    HEIGHT,
    INK,
    MUTED,
    SCORE_NAMES,
    SCORE_SCALE,
    WIDTH,
    labels_expr,
    period_order,
    pick,
    suppressed_text,
    with_labels,
)

CELL_HEIGHT = 18
AXIS_ROOM = 140  # Streamlit fits the whole chart, axes and legend included, into the height


def criterion_heatmap(frame: pd.DataFrame, suppression_size: int, width=WIDTH) -> alt.LayerChart:
    """Mean score (1 Inadequate to 4 Outstanding) of each criterion in each period, in
    rubric order. Columns: period, period_order, criterion_id, criterion,
    criterion_order, n, mean, suppressed."""
    data = frame.copy()
    data["mean_text"] = [
        suppressed_text(suppression_size) if s else f"{m:.2f}"
        for m, s in zip(data["mean"].fillna(0), data["suppressed"])
    ]
    order = period_order(data)
    criteria = list(dict.fromkeys(data.sort_values("criterion_order")["criterion"]))
    x = alt.X("period:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40))
    # Every row keeps its name: Vega would otherwise drop every other label once they crowd.
    y = alt.Y(
        "criterion:N",
        sort=criteria,
        title=None,
        axis=alt.Axis(labelLimit=320, labelOverlap=False),
    )
    tooltip = [
        alt.Tooltip("criterion:N", title="Criterion"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("mean_text:N", title="Mean score (1–4)"),
        alt.Tooltip("n:Q", title="Scores"),
    ]
    selection = pick("period", "criterion_id")
    cells = (
        alt.Chart(data[~data["suppressed"]])
        .mark_rect()
        .encode(
            x=x,
            y=y,
            tooltip=tooltip,
            color=alt.Color(
                "mean:Q",
                title="Mean score",
                scale=alt.Scale(**SCORE_SCALE),
                # Below the cells, so the long names leave the columns their width.
                legend=alt.Legend(
                    orient="bottom",
                    direction="horizontal",
                    gradientLength=480,
                    labelOverlap=False,
                    values=list(SCORE_NAMES),
                    labelExpr=labels_expr(
                        {score: f"{score} {name}" for score, name in SCORE_NAMES.items()},
                        "datum.value",
                    ),
                    labelLimit=200,
                ),
            ),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.5)),
        )
        .add_params(selection)
    )
    scores = (
        alt.Chart(data[~data["suppressed"]])
        .mark_text(fontSize=9, color="#0b0c0c")
        .encode(x=x, y=y, text="mean_text:N", tooltip=tooltip)
    )
    withheld = (
        alt.Chart(data[data["suppressed"]])
        .mark_rect(color="#eceff1")
        .encode(x=x, y=y, tooltip=tooltip)
    )
    marks = (
        alt.Chart(data[data["suppressed"]])
        .mark_text(text="s", color=MUTED, fontSize=10)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    height = max(HEIGHT, CELL_HEIGHT * len(criteria) + AXIS_ROOM)
    return alt.layer(cells, scores, withheld, marks).properties(width=width, height=height)


def pfa_coverage_chart(frame: pd.DataFrame, suppression_size: int, width=WIDTH) -> alt.LayerChart:
    """Share of Year 9+ plans judged Good or better on each Preparing for Adulthood
    criterion, by period. Columns: period, period_order, criterion_id, criterion, n,
    hits, share, suppressed."""
    data = with_labels(frame, suppression_size)
    order = period_order(data)
    x = alt.X("period:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40))
    tooltip = [
        alt.Tooltip("criterion:N", title="Criterion"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("share_text:N", title="Good or better"),
        alt.Tooltip("hits:Q", title="Plans Good or better"),
        alt.Tooltip("n:Q", title="Year 9+ plans scored"),
    ]
    selection = pick("period", "criterion_id")
    bars = (
        alt.Chart(data[~data["suppressed"]])
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("criterion:N"),
            y=alt.Y(
                "share:Q",
                title="Year 9+ plans Good or better (%)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color(
                "criterion:N",
                title="Criterion",
                scale=alt.Scale(range=[INK, "#7aa6c2", "#c2a878", "#8d6e63"]),
                legend=alt.Legend(orient="top", direction="vertical", labelLimit=400),
            ),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.45)),
            tooltip=tooltip,
        )
        .add_params(selection)
    )
    suppressed = (
        alt.Chart(data[data["suppressed"]].drop_duplicates("period"))
        .mark_text(angle=270, align="left", color=MUTED, fontSize=11)
        .encode(x=x, y=alt.datum(2), text=alt.value("Suppressed"), tooltip=tooltip[1:3])
    )
    return alt.layer(bars, suppressed).properties(width=width, height=HEIGHT + 80)

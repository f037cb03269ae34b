"""Charts over time: the share of plans Good or better against the target, the grade
mix of each period, and any other share tracked by period (weak-outcome flags, moderation
agreement, 20-week timeliness)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from qa_app.charts.style import (
    GRADE_COLOURS,
    GRADE_SHORT,
    GRADE_TEXT,
    HEIGHT,
    INK,
    MUTED,
    TARGET,
    WIDTH,
    labels_expr,
    period_order,
    pick,
    with_labels,
)


def _period_axis(order: list[str]) -> alt.X:
    return alt.X("period:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40))


def _suppressed_layer(frame: pd.DataFrame, order: list[str], y: float) -> alt.Chart:
    return (
        alt.Chart(frame[frame["suppressed"]])
        .mark_text(angle=270, align="left", color=MUTED, fontSize=11)
        .encode(
            x=_period_axis(order),
            y=alt.datum(y),
            text=alt.value("Suppressed"),
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("share_text:N", title="Share"),
            ],
        )
    )


def good_share_chart(
    frame: pd.DataFrame, target_pct: float, suppression_size: int, width=WIDTH
) -> alt.LayerChart:
    """Bars of the share of audited plans graded Good or better, with the target line.
    Columns: period, period_order, n, hits, share, suppressed."""
    data = with_labels(frame, suppression_size)
    data["target"] = target_pct
    order = period_order(data)
    base = alt.Chart(data[~data["suppressed"]])
    tooltip = [
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("share_text:N", title="Good or better"),
        alt.Tooltip("hits:Q", title="Plans Good or better"),
        alt.Tooltip("n:Q", title="Plans graded"),
        alt.Tooltip("target:Q", title="Target %"),
    ]
    selection = pick("period")
    bars = (
        base.mark_bar(color=INK)
        .encode(
            x=_period_axis(order),
            y=alt.Y("share:Q", title="Plans Good or better (%)", scale=alt.Scale(domain=[0, 100])),
            tooltip=tooltip,
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.45)),
        )
        .add_params(selection)
    )
    labels = base.mark_text(dy=-6, fontSize=10, color=INK).encode(
        x=_period_axis(order), y="share:Q", text="share_text:N", tooltip=tooltip
    )
    target = alt.Chart(pd.DataFrame({"target": [target_pct], "label": [f"Target {target_pct:g}%"]}))
    rule = target.mark_rule(color=TARGET, strokeDash=[6, 4], size=2).encode(
        y="target:Q", tooltip=[alt.Tooltip("label:N", title="Target")]
    )
    rule_label = target.mark_text(align="left", dx=4, dy=-6, color=TARGET, fontSize=11).encode(
        y="target:Q",
        x=alt.value(0),
        text="label:N",
        tooltip=[alt.Tooltip("label:N", title="Target")],
    )
    return alt.layer(bars, labels, rule, rule_label, _suppressed_layer(data, order, 2)).properties(
        width=width, height=HEIGHT
    )


def grade_distribution_chart(
    frame: pd.DataFrame, suppression_size: int, width=WIDTH
) -> alt.LayerChart:
    """Each period's grades stacked to 100%. Columns: period, period_order, grade,
    grade_label, n, count, share, suppressed."""
    data = frame.copy()
    data["share_text"] = [
        f"Suppressed: fewer than {suppression_size}" if s else f"{v:.0f}%"
        for v, s in zip(data["share"].fillna(0), data["suppressed"])
    ]
    order = period_order(data)
    selection = pick("period", "grade")
    tooltip = [
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("grade_label:N", title="Grade"),
        alt.Tooltip("share_text:N", title="Share"),
        alt.Tooltip("count:Q", title="Plans"),
        alt.Tooltip("n:Q", title="Plans graded in period"),
    ]
    bars = (
        alt.Chart(data[~data["suppressed"]])
        .mark_bar()
        .encode(
            x=_period_axis(order),
            y=alt.Y(
                "share:Q",
                stack="zero",
                title="Share of plans (%)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color(
                "grade_label:N",
                title="Grade",
                sort=list(GRADE_COLOURS),
                scale=alt.Scale(domain=list(GRADE_COLOURS), range=list(GRADE_COLOURS.values())),
                legend=alt.Legend(
                    labelExpr=labels_expr({g: f"{c} {g}" for g, c in GRADE_SHORT.items()}),
                    labelLimit=260,
                ),
            ),
            order=alt.Order("grade:Q", sort="descending"),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.45)),
            tooltip=tooltip,
        )
        .add_params(selection)
    )
    names = (
        alt.Chart(_segment_names(data[~data["suppressed"]]))
        .mark_text(fontSize=10, baseline="middle")
        .encode(
            x=_period_axis(order),
            y="middle:Q",
            text="segment_text:N",
            tooltip=tooltip,
            color=alt.Color(
                "grade_label:N",
                scale=alt.Scale(domain=list(GRADE_TEXT), range=list(GRADE_TEXT.values())),
                legend=None,
            ),
        )
    )
    suppressed = data[data["suppressed"]].drop_duplicates("period")
    return (
        alt.layer(bars, names, _suppressed_layer(suppressed, order, 2))
        .resolve_scale(color="independent")
        .properties(width=width, height=HEIGHT)
    )


def _segment_names(data: pd.DataFrame, smallest: float = 6) -> pd.DataFrame:
    """Where each grade's segment sits in its stacked bar (best grade at the bottom), with
    its short name and share, for segments tall enough to hold them."""
    data = data.sort_values(["period", "grade"], ascending=[True, False]).copy()
    share = data["share"].astype(float).fillna(0)
    top = share.groupby(data["period"]).cumsum()
    data["middle"] = top - share / 2
    data["segment_text"] = [
        f"{GRADE_SHORT.get(g, '')} {v:.0f}%" for g, v in zip(data["grade_label"], share)
    ]
    return data[share >= smallest]


def share_over_time_chart(
    frame: pd.DataFrame, measure: str, base: str, suppression_size: int, width=WIDTH
) -> alt.LayerChart:
    """A share by period as a line with points, e.g. the weak-outcome flag rate.
    ``measure`` names the share ("Flagged for weak outcomes"), ``base`` what it is a share
    of ("plans checked"). Columns: period, period_order, n, hits, share, suppressed."""
    data = with_labels(frame, suppression_size)
    order = period_order(data)
    tooltip = [
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("share_text:N", title=measure),
        alt.Tooltip("hits:Q", title="Count"),
        alt.Tooltip("n:Q", title=base.capitalize()),
    ]
    shown = alt.Chart(data[~data["suppressed"]])
    y = alt.Y("share:Q", title=f"{measure} (%)", scale=alt.Scale(domain=[0, 100]))
    line = shown.mark_line(color=INK).encode(x=_period_axis(order), y=y, tooltip=tooltip)
    selection = pick("period")
    points = (
        shown.mark_point(filled=True, size=70, color=INK)
        .encode(
            x=_period_axis(order),
            y=y,
            tooltip=tooltip,
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.45)),
        )
        .add_params(selection)
    )
    return alt.layer(line, points, _suppressed_layer(data, order, 2)).properties(
        width=width, height=HEIGHT
    )

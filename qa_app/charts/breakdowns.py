"""The share Good or better for each group of one plan attribute (team, agency, primary
need, key stage, setting), best first, against the target."""

from __future__ import annotations

import altair as alt
import pandas as pd

from qa_app.charts.style import INK, MUTED, TARGET, WIDTH, pick, with_labels

ROW_HEIGHT = 26
AXIS_ROOM = 60  # Streamlit fits the whole chart, axes included, into the height


def breakdown_chart(
    frame: pd.DataFrame,
    group_title: str,
    target_pct: float | None,
    suppression_size: int,
    width=WIDTH,
    measure: str = "Plans Good or better",
    base: str = "Plans graded",
    label_limit: int | None = None,
) -> alt.LayerChart:
    """Columns: group, n, hits, share, suppressed. Suppressed groups sit at the bottom
    with their notice instead of a bar; a ``target_pct`` of None draws no target."""
    data = with_labels(frame, suppression_size)
    data = data.sort_values(["suppressed", "share", "group"], ascending=[True, False, True])
    order = list(data["group"])
    y = alt.Y(
        "group:N",
        sort=order,
        title=None if label_limit else group_title,
        axis=alt.Axis(labelLimit=label_limit) if label_limit else alt.Undefined,
    )
    tooltip = [
        alt.Tooltip("group:N", title=group_title),
        alt.Tooltip("share_text:N", title="Good or better"),
        alt.Tooltip("hits:Q", title=measure),
        alt.Tooltip("n:Q", title=base),
    ]
    selection = pick("group")
    bars = (
        alt.Chart(data[~data["suppressed"]])
        .mark_bar(color=INK)
        .encode(
            y=y,
            x=alt.X("share:Q", title=f"{measure} (%)", scale=alt.Scale(domain=[0, 100])),
            tooltip=tooltip,
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.45)),
        )
        .add_params(selection)
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=10)
        .encode(
            y=y,
            x=alt.X("label_at:Q"),
            text="share_text:N",
            tooltip=tooltip,
            color=alt.condition("datum.suppressed", alt.value(MUTED), alt.value(INK)),
        )
        .transform_calculate(label_at="datum.suppressed ? 0 : datum.share")
    )
    layers = [bars, labels]
    if target_pct is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"target": [target_pct], "label": [f"Target {target_pct:g}%"]}))
            .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
            .encode(x="target:Q", tooltip=[alt.Tooltip("label:N", title="Target")])
        )
    height = ROW_HEIGHT * len(data) + AXIS_ROOM
    return alt.layer(*layers).properties(width=width, height=height)

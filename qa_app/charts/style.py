"""Shared look: colours, the selection every clickable chart carries, and the way a
suppressed group is drawn."""

from __future__ import annotations

import altair as alt
import pandas as pd

PICK = "pick"
INK = "#1f3a5f"
TARGET = "#b3261e"
MUTED = "#9aa5b1"
# Dark and mid tones take turns, so every grade is 3:1 or more against white and against
# the grade stacked next to it (tests/dashboard/test_palette.py works the ratios out); each
# segment also carries its grade's short name, for readers who cannot tell the hues apart.
GRADE_COLOURS = {
    "Outstanding": "#06391b",
    "Good": "#2fa242",
    "Requires improvement": "#512c00",
    "Inadequate": "#e8645b",
}
GRADE_SHORT = {"Outstanding": "O", "Good": "G", "Requires improvement": "RI", "Inadequate": "I"}
# What each mean score stands for, on the heatmap's colour legend.
SCORE_NAMES = {1: "Inadequate", 2: "Requires improvement", 3: "Good", 4: "Outstanding"}
# Text drawn on each grade's colour: white on the dark ones, near-black on the mid ones.
GRADE_TEXT = {
    "Outstanding": "#ffffff",
    "Good": "#0b0c0c",
    "Requires improvement": "#ffffff",
    "Inadequate": "#0b0c0c",
}
# Mean criterion scores, 1 Inadequate to 4 Outstanding: light at the middle of the scale,
# so the score written in each cell reads at 4.5:1 or more in near-black everywhere.
SCORE_SCALE = {
    "domain": [1, 2.5, 4],
    "range": [GRADE_COLOURS["Inadequate"], "#f4f4f2", GRADE_COLOURS["Good"]],
}
WIDTH = 640
HEIGHT = 260


def suppressed_text(size: int) -> str:
    return f"Suppressed: fewer than {size}"


def pick(*fields: str) -> alt.Parameter:
    return alt.selection_point(name=PICK, fields=list(fields), on="click", clear="dblclick")


def period_order(frame: pd.DataFrame) -> list[str]:
    """Periods in time order: Altair would otherwise sort their labels alphabetically."""
    if "period_order" in frame:
        frame = frame.sort_values("period_order")
    return list(dict.fromkeys(frame["period"]))


def with_labels(frame: pd.DataFrame, size: int, share: str = "share") -> pd.DataFrame:
    """Adds ``share_text``: the percentage, or the suppression notice."""
    frame = frame.copy()
    frame["share_text"] = [
        suppressed_text(size) if suppressed else ("—" if pd.isna(value) else f"{value:.0f}%")
        for value, suppressed in zip(frame[share], frame["suppressed"])
    ]
    return frame


def labels_expr(names: dict, field: str = "datum.label") -> str:
    """A Vega expression that writes each legend or axis label out in full: ``names`` maps
    the value shown to what replaces it; others stay as they are."""
    expr = field
    for value, name in reversed(list(names.items())):
        quoted = repr(value) if isinstance(value, str) else str(value)
        expr = f"{field} == {quoted} ? {name!r} : ({expr})"
    return expr

"""Shared look: colours, the selection every clickable chart carries, and the way a
suppressed group is drawn."""

from __future__ import annotations

import altair as alt
import pandas as pd

PICK = "pick"
INK = "#1f3a5f"
TARGET = "#b3261e"
MUTED = "#9aa5b1"
GRADE_COLOURS = {
    "Outstanding": "#1b5e20",
    "Good": "#66bb6a",
    "Requires improvement": "#f9a825",
    "Inadequate": "#c62828",
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

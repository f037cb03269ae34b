"""How the model card writes a score: three decimal places, and precision, recall and
F1 as one cell or as a table row with the Brier score."""

from __future__ import annotations


def three_places(value: float) -> str:
    return f"{value:.3f}"


def prf_cell(scores: dict) -> str:
    """Precision / recall / F1."""
    return " / ".join(three_places(scores[name]) for name in ("precision", "recall", "f1"))


def weak_row(name: str, weak: dict) -> str:
    """``| name | precision | recall | F1 | Brier |``."""
    cells = [three_places(weak[key]) for key in ("precision", "recall", "f1", "brier")]
    return f"| {name} | " + " | ".join(cells) + " |"

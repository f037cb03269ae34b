"""Anonymised exemplar outcomes: the clearest strong and weak statements in a period,
each weak one with the classifier's reasons and how to improve it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qa_app.classifier import REASON_HINTS

REASON_LABELS = {
    "provision_not_outcome": "Provision written as an outcome",
    "not_measurable": "Not measurable",
    "no_timescale": "No timescale",
    "vague_or_generic": "Vague or generic",
    "aspiration_not_outcome": "Aspiration, not an outcome",
}


@dataclass(frozen=True)
class OutcomeVerdictRow:
    """One outcome statement as stored, with the classifier's verdict on it."""

    text: str
    area: str | None
    weak: bool
    p_weak: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Exemplar:
    text: str
    area: str
    p_weak: float
    reasons: tuple[str, ...] = ()
    improvements: tuple[str, ...] = ()


def reason_label(code: str) -> str:
    return REASON_LABELS.get(code, code.replace("_", " ").capitalize())


def _distinct(rows: Iterable[OutcomeVerdictRow]) -> list[OutcomeVerdictRow]:
    seen: set[str] = set()
    kept = []
    for row in rows:
        key = " ".join(row.text.lower().split())
        if key and key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def pick_exemplars(
    rows: list[OutcomeVerdictRow], *, clean: Callable[[str], str], count: int = 3
) -> tuple[list[Exemplar], list[Exemplar]]:
    """The ``count`` most clearly strong and most clearly weak distinct outcomes."""
    strong = _distinct(sorted((r for r in rows if not r.weak), key=lambda r: (r.p_weak, r.text)))
    weak = _distinct(sorted((r for r in rows if r.weak), key=lambda r: (-r.p_weak, r.text)))
    return (
        [Exemplar(clean(r.text), clean(r.area or ""), r.p_weak) for r in strong[:count]],
        [
            Exemplar(
                clean(r.text),
                clean(r.area or ""),
                r.p_weak,
                tuple(reason_label(code) for code in r.reasons),
                tuple(REASON_HINTS[code] for code in r.reasons if code in REASON_HINTS),
            )
            for r in weak[:count]
        ],
    )

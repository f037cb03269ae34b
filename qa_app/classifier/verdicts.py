"""What a classifier says about one plan statement: an outcome or a provision item."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Verdict:
    weak: bool
    p_weak: float
    reasons: tuple[str, ...] = ()

    @property
    def reasons_text(self) -> str:
        return ";".join(self.reasons)


@dataclass(frozen=True)
class OutcomeVerdict(Verdict):
    """What the outcome classifier says about one outcome statement."""


def chosen_reasons(codes: tuple[str, ...], probabilities, threshold: float) -> tuple[str, ...]:
    """The codes whose probability reaches ``threshold``, or else the single likeliest: a
    statement judged weak always gets a reason."""
    chosen = tuple(code for code, p in zip(codes, probabilities) if p >= threshold)
    return chosen or (codes[int(np.argmax(probabilities))],)


def verdicts_from(probabilities, codes, threshold: float, reason_threshold: float, kind):
    """A ``kind`` verdict per row of ``probabilities``: P(weak), then P(reason | weak) for
    each of ``codes``."""
    verdicts = []
    for row in probabilities:
        p_weak = float(row[0])
        if p_weak < threshold:
            verdicts.append(kind(False, p_weak, ()))
        else:
            verdicts.append(kind(True, p_weak, chosen_reasons(codes, row[1:], reason_threshold)))
    return verdicts

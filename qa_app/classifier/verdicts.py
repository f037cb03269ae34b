"""What the classifier says about one outcome statement."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutcomeVerdict:
    weak: bool
    p_weak: float
    reasons: tuple[str, ...] = ()

    @property
    def reasons_text(self) -> str:
        return ";".join(self.reasons)

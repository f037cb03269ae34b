"""The plan-level rule: a plan is flagged when too many of its outcomes are weak, when
their mean probability of being weak is too high, or when section E is too short."""

from __future__ import annotations

from typing import NamedTuple

from qa_app.classifier.verdicts import OutcomeVerdict
from qa_app.settings import Settings


class PlanFlag(NamedTuple):
    flagged: bool
    reason: str


def plan_flag(
    verdicts: list[OutcomeVerdict],
    share_threshold: float,
    mean_threshold: float,
    min_outcomes: int,
) -> PlanFlag:
    """Thresholds are inclusive: a share or mean equal to its threshold flags the plan."""
    count = len(verdicts)
    if count < min_outcomes:
        noun = "outcome" if count == 1 else "outcomes"
        return PlanFlag(True, f"section E has {count} {noun}, fewer than {min_outcomes}")
    weak = sum(verdict.weak for verdict in verdicts)
    share = weak / count
    mean_p = sum(verdict.p_weak for verdict in verdicts) / count
    summary = f"{weak} of {count} outcomes weak ({share:.0%}); mean p_weak {mean_p:.2f}"
    breaches = []
    if share >= share_threshold:
        breaches.append(f"weak share reaches {share_threshold:.0%}")
    if mean_p >= mean_threshold:
        breaches.append(f"mean p_weak reaches {mean_threshold:.2f}")
    if breaches:
        return PlanFlag(True, f"{summary}: {' and '.join(breaches)}")
    return PlanFlag(False, summary)


def plan_flag_from_settings(verdicts: list[OutcomeVerdict], settings: Settings) -> PlanFlag:
    """``plan_flag`` with the thresholds of these settings."""
    return plan_flag(
        verdicts,
        share_threshold=settings.weak_share_threshold,
        mean_threshold=settings.weak_mean_p_threshold,
        min_outcomes=settings.min_outcomes,
    )

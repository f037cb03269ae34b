"""Grading: a pure function from a rubric and the scores given to the grades they earn.

Scores map a criterion id to a level value, or to ``NOT_APPLICABLE``. Criteria with no
entry are unscored; like N/A they drop out of every mean and every limiting rule, so a
draft can be graded as it goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from qa_app.domain.rubric import Limit, Rubric

NOT_APPLICABLE = "na"

Score = int | str


@dataclass(frozen=True)
class GradeResult:
    overall: int | None
    overall_label: str
    mean: float | None
    sections: dict[str, int | None]
    reasons: list[str] = field(default_factory=list)


def grade_for_mean(rubric: Rubric, mean: float | None) -> int | None:
    if mean is None:
        return None
    for boundary in rubric.boundaries_high_to_low:
        if mean >= boundary.min - 1e-9:
            return boundary.grade
    return min(level.value for level in rubric.scale)


def _next_lower(rubric: Rubric, grade: int) -> int:
    lower = [level.value for level in rubric.scale if level.value < grade]
    return max(lower) if lower else grade


def _apply_limit(rubric: Rubric, limit: Limit, scores: Mapping[str, Score], grade: int) -> tuple[int, str] | None:
    """The cap a limiting rule puts on ``grade`` and why, or None when it does not bite."""
    picked = rubric.criteria_picked_by_limit[limit.id]
    if limit.if_any is not None:
        hits = [c for c in picked if isinstance(scores.get(c.id), int) and scores[c.id] <= limit.score_at_most]
        if hits and limit.cap_at < grade:
            names = "; ".join(f"{c.title} is {rubric.label(scores[c.id])}" for c in hits)
            return limit.cap_at, f"capped at {rubric.label(limit.cap_at)}: {names}"
        return None
    if grade < limit.for_grade:
        return None
    shortfalls = [c for c in picked if isinstance(scores.get(c.id), int) and scores[c.id] < limit.score_at_least]
    if not shortfalls:
        return None
    cap = _next_lower(rubric, limit.for_grade)
    names = "; ".join(f"{c.title} is {rubric.label(scores[c.id])}" for c in shortfalls)
    need = limit.description or (
        f"{rubric.label(limit.for_grade)} needs these criteria at "
        f"{rubric.label(limit.score_at_least)} or better"
    )
    return cap, f"capped at {rubric.label(cap)}: {need} ({names})"


def grade(rubric: Rubric, scores: Mapping[str, Score], plan: Mapping | None = None) -> GradeResult:
    plan = plan or {}
    applicable = [c for c in rubric.criteria if c.applies_to(plan)]
    applicable_scores = {c.id: scores[c.id] for c in applicable if c.id in scores}

    totals = {section.id: [0.0, 0.0] for section in rubric.sections}
    for criterion in applicable:
        value = applicable_scores.get(criterion.id)
        if isinstance(value, int):
            totals[criterion.section][0] += value * criterion.weight
            totals[criterion.section][1] += criterion.weight
    sections = {sid: grade_for_mean(rubric, total / weight if weight else None) for sid, (total, weight) in totals.items()}

    overall_total = sum(total for total, _ in totals.values())
    overall_weight = sum(weight for _, weight in totals.values())
    mean = overall_total / overall_weight if overall_weight else None
    overall = grade_for_mean(rubric, mean)
    reasons: list[str] = []
    if overall is not None:
        for limit in rubric.limits:
            capped = _apply_limit(rubric, limit, applicable_scores, overall)
            if capped is not None:
                overall, reason = capped
                reasons.append(reason)
    return GradeResult(
        overall=overall,
        overall_label=rubric.label(overall),
        mean=round(mean, 3) if mean is not None else None,
        sections=sections,
        reasons=reasons,
    )

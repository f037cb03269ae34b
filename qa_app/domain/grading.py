"""Grading: a pure function from a rubric and the scores given to the grades they earn.

Scores map a criterion id to a level value, or to ``NOT_APPLICABLE``. Criteria with no
entry are unscored; like N/A they drop out of every mean and every limiting rule, so a
draft can be graded as it goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from qa_app.domain.rubric import Criterion, Limit, Rubric

NOT_APPLICABLE = "na"

Score = int | str


@dataclass(frozen=True)
class GradeResult:
    overall: int | None
    overall_label: str
    mean: float | None
    sections: dict[str, int | None]
    reasons: list[str] = field(default_factory=list)


def weighted_mean(rubric: Rubric, scores: Mapping[str, Score], criteria: list[Criterion]) -> float | None:
    total = weight = 0.0
    for criterion in criteria:
        value = scores.get(criterion.id)
        if isinstance(value, int):
            total += value * criterion.weight
            weight += criterion.weight
    return total / weight if weight else None


def grade_for_mean(rubric: Rubric, mean: float | None) -> int | None:
    if mean is None:
        return None
    for boundary in sorted(rubric.boundaries, key=lambda b: b.min, reverse=True):
        if mean >= boundary.min - 1e-9:
            return boundary.grade
    return min(level.value for level in rubric.scale)


def _next_lower(rubric: Rubric, grade: int) -> int:
    lower = [level.value for level in rubric.scale if level.value < grade]
    return max(lower) if lower else grade


def _apply_limit(rubric: Rubric, limit: Limit, scores: Mapping[str, Score], grade: int) -> tuple[int, str] | None:
    """The cap a limiting rule puts on ``grade`` and why, or None when it does not bite."""
    if limit.if_any is not None:
        hits = [
            c for c in rubric.criteria
            if limit.if_any.picks(c)
            and isinstance(scores.get(c.id), int)
            and scores[c.id] <= limit.score_at_most
        ]
        if hits and limit.cap_at < grade:
            names = "; ".join(f"{c.title} is {rubric.label(scores[c.id])}" for c in hits)
            return limit.cap_at, f"capped at {rubric.label(limit.cap_at)}: {names}"
        return None
    if grade < limit.for_grade:
        return None
    shortfalls = [
        c for c in rubric.criteria
        if limit.requires_all.picks(c)
        and isinstance(scores.get(c.id), int)
        and scores[c.id] < limit.score_at_least
    ]
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

    sections = {}
    for section in rubric.sections:
        members = [c for c in applicable if c.section == section.id]
        sections[section.id] = grade_for_mean(rubric, weighted_mean(rubric, applicable_scores, members))

    mean = weighted_mean(rubric, applicable_scores, applicable)
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

"""Grading: a pure function from a rubric and the scores given to the grades they earn.

Scores map a criterion id to a level value, or to ``NOT_APPLICABLE``. Criteria with no
entry are unscored; like N/A they drop out of every mean and every limiting rule, so a
draft can be graded as it goes.

Each rubric is compiled once (weights, sections, boundaries, and each limiting rule's
criteria), and again once per kind of plan it is applied to, so grading an audit is a
single pass over plain tuples.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

from qa_app.domain.rubric import Limit, Rubric

NOT_APPLICABLE = "na"
PLAN_FIELDS = ("year_group", "plan_type", "primary_need", "setting_type", "key_stage")
COMPILED_RUBRICS = 64
PLAN_KINDS_PER_RUBRIC = 1024

Score = int | str


@dataclass(frozen=True)
class GradeResult:
    overall: int | None
    overall_label: str
    mean: float | None
    sections: dict[str, int | None]
    reasons: list[str] = field(default_factory=list)


def grade_for_mean(rubric: Rubric, mean: float | None) -> int | None:
    return _compiled(rubric).grade_for_mean(mean)


@dataclass(frozen=True)
class _LimitRule:
    """A limiting rule with the criteria it picks, among those that apply to a plan."""

    limit: Limit
    picked: tuple[tuple[str, str], ...]  # (criterion id, title)


@dataclass(frozen=True)
class _PlanKind:
    """What grading needs for plans that share the metadata criteria depend on."""

    sections: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]  # (section id, ((criterion id, weight), ...))
    limits: tuple[_LimitRule, ...]


class _CompiledRubric:
    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        self.section_ids = tuple(section.id for section in rubric.sections)
        values = [level.value for level in rubric.scale]
        # A mean earns the grade of the highest boundary it reaches (within 1e-9), else
        # the lowest level: bisecting the ascending thresholds finds how many it reaches.
        # Built from the high-to-low list reversed, so that of two equal boundaries the
        # first listed wins, as it does when scanning high to low.
        ascending = list(reversed(rubric.boundaries_high_to_low))
        self.thresholds = tuple(b.min - 1e-9 for b in ascending)
        self.grades = (min(values), *(b.grade for b in ascending))
        self.labels = {level.value: level.label for level in reversed(rubric.scale)}
        self.next_lower = {v: max((lower for lower in values if lower < v), default=v) for v in values}
        self._kinds: dict[tuple, _PlanKind] = {}
        self._lock = threading.Lock()

    def label(self, value) -> str:
        return self.labels.get(value, "Not graded")

    def grade_for_mean(self, mean: float | None) -> int | None:
        return None if mean is None else self.grades[bisect_right(self.thresholds, mean)]

    def kind(self, plan: Mapping) -> _PlanKind:
        key = tuple(plan.get(name) for name in PLAN_FIELDS)
        kind = self._kinds.get(key)
        if kind is None:
            kind = self._compile_kind(dict(plan))
            with self._lock:
                if len(self._kinds) >= PLAN_KINDS_PER_RUBRIC:
                    self._kinds.clear()
                self._kinds[key] = kind
        return kind

    def _compile_kind(self, plan: dict) -> _PlanKind:
        rubric = self.rubric
        applicable = [c for c in rubric.criteria if c.applies_to(plan)]
        applicable_ids = {c.id for c in applicable}
        members: dict[str, list[tuple[str, float]]] = {sid: [] for sid in self.section_ids}
        for criterion in applicable:
            members[criterion.section].append((criterion.id, criterion.weight))
        limits = tuple(
            _LimitRule(limit, tuple((c.id, c.title) for c in rubric.criteria_picked_by_limit[limit.id] if c.id in applicable_ids))
            for limit in rubric.limits
        )
        return _PlanKind(tuple((sid, tuple(group)) for sid, group in members.items()), limits)

    def apply_limit(self, rule: _LimitRule, scores: Mapping[str, Score], grade_value: int) -> tuple[int, str] | None:
        """The cap a limiting rule puts on ``grade_value`` and why, or None when it does not bite."""
        limit, label = rule.limit, self.label
        if limit.if_any is not None:
            if limit.cap_at >= grade_value:
                return None
            hits = [(title, scores[cid]) for cid, title in rule.picked
                    if isinstance(scores.get(cid), int) and scores[cid] <= limit.score_at_most]
            if not hits:
                return None
            names = "; ".join(f"{title} is {label(value)}" for title, value in hits)
            return limit.cap_at, f"capped at {label(limit.cap_at)}: {names}"
        if grade_value < limit.for_grade:
            return None
        shortfalls = [(title, scores[cid]) for cid, title in rule.picked
                      if isinstance(scores.get(cid), int) and scores[cid] < limit.score_at_least]
        if not shortfalls:
            return None
        cap = self.next_lower.get(limit.for_grade, limit.for_grade)
        names = "; ".join(f"{title} is {label(value)}" for title, value in shortfalls)
        need = limit.description or (
            f"{label(limit.for_grade)} needs these criteria at {label(limit.score_at_least)} or better"
        )
        return cap, f"capped at {label(cap)}: {need} ({names})"

    def grade(self, scores: Mapping[str, Score], plan: Mapping) -> GradeResult:
        kind = self.kind(plan)
        thresholds, grades = self.thresholds, self.grades
        sections: dict[str, int | None] = {}
        overall_total = overall_weight = 0.0
        get = scores.get
        for section_id, members in kind.sections:
            total = weight = 0.0
            for criterion_id, criterion_weight in members:
                value = get(criterion_id)
                if isinstance(value, int):
                    total += value * criterion_weight
                    weight += criterion_weight
            sections[section_id] = grades[bisect_right(thresholds, total / weight)] if weight else None
            overall_total += total
            overall_weight += weight
        mean = overall_total / overall_weight if overall_weight else None
        return self._finish(kind, scores, mean, sections)

    def _finish(self, kind: _PlanKind, scores: Mapping[str, Score], mean: float | None, sections: dict) -> GradeResult:
        overall = self.grade_for_mean(mean)
        reasons: list[str] = []
        if overall is not None:
            for rule in kind.limits:
                capped = self.apply_limit(rule, scores, overall)
                if capped is not None:
                    overall, reason = capped
                    reasons.append(reason)
        return GradeResult(
            overall=overall,
            overall_label=self.label(overall),
            mean=round(mean, 3) if mean is not None else None,
            sections=sections,
            reasons=reasons,
        )


_compiled_rubrics: dict[int, _CompiledRubric] = {}
_compile_lock = threading.Lock()


def _compiled(rubric: Rubric) -> _CompiledRubric:
    """The compiled form of this rubric object (rubrics are immutable, so once is enough)."""
    compiled = _compiled_rubrics.get(id(rubric))
    if compiled is not None and compiled.rubric is rubric:
        return compiled
    compiled = _CompiledRubric(rubric)
    with _compile_lock:
        if len(_compiled_rubrics) >= COMPILED_RUBRICS:
            _compiled_rubrics.pop(next(iter(_compiled_rubrics)))
        _compiled_rubrics[id(rubric)] = compiled
    return compiled


def grade(rubric: Rubric, scores: Mapping[str, Score], plan: Mapping | None = None) -> GradeResult:
    return _compiled(rubric).grade(scores, plan or {})

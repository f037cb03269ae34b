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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import add, itemgetter
from typing import cast

from qa_app.domain.rubric import CapRule, FloorRule, Limit, Rubric

NOT_APPLICABLE = "na"
PLAN_FIELDS = ("year_group", "plan_type", "primary_need", "setting_type", "key_stage")
COMPILED_RUBRICS = 64
PLAN_KINDS_PER_RUBRIC = 1024
TABLE_ENTRIES = 4096  # score combinations remembered per section and per limiting rule
_UNSEEN = object()
_SHARE, _GRADE = itemgetter(0), itemgetter(1)

Score = int | str
# What one section's scores add to the overall total and weight (total + weight j), and
# the section's own grade.
_Share = tuple[complex, int | None]


@dataclass(slots=True)
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
    """A limiting rule with the criteria it picks, among those that apply to a plan, as
    positions in the plan kind's list of criteria."""

    limit: Limit
    rule: CapRule | FloorRule
    picked: tuple[tuple[int, str], ...]  # (position in _PlanKind.ids, title)
    scores_of: Callable[[tuple], tuple]  # the picked criteria's scores, from the kind's scores
    outcomes: dict = field(default_factory=dict, compare=False)  # (grade, picked scores) -> cap


def _picker(positions: list[int]) -> Callable[[tuple], tuple]:
    if not positions:
        return lambda values: ()
    if len(positions) == 1:
        (only,) = positions
        return lambda values: (values[only],)
    return itemgetter(*positions)


@dataclass(frozen=True)
class _PlanKind:
    """What grading needs for plans that share the metadata criteria depend on: the
    applicable criteria in section order, each section as a run of them with its weights."""

    ids: tuple[str, ...]
    section_ids: tuple[str, ...]
    slices: tuple[slice, ...]  # each section's run of ``ids``
    weights: tuple[tuple[float, ...], ...]  # each section's criterion weights
    # Per section, filled once per combination of scores it meets: what that combination
    # adds to the overall total and weight, and the section's own grade.
    tables: tuple[dict[tuple, _Share], ...]
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
        # Looked up with any score or none; only the scale's values are found.
        self.labels: dict[Score | None, str] = {
            level.value: level.label for level in reversed(rubric.scale)
        }
        self.next_lower = {
            v: max((lower for lower in values if lower < v), default=v) for v in values
        }
        self._kinds: dict[tuple, _PlanKind] = {}
        self._lock = threading.Lock()

    def label(self, value: Score | None) -> str:
        return self.labels.get(value, "Not graded")

    def grade_for_mean(self, mean: float | None) -> int | None:
        return None if mean is None else self.grades[bisect_right(self.thresholds, mean)]

    def kind(self, plan: Mapping) -> _PlanKind:
        key = tuple(map(plan.get, PLAN_FIELDS))
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
        members: dict[str, list] = {sid: [] for sid in self.section_ids}
        for criterion in applicable:
            members[criterion.section].append(criterion)
        ids: list[str] = []
        slices = []
        for group in members.values():
            start = len(ids)
            ids.extend(c.id for c in group)
            slices.append(slice(start, len(ids)))
        position = {criterion_id: i for i, criterion_id in enumerate(ids)}
        limits = []
        for limit in rubric.limits:
            picked = tuple(
                (position[c.id], c.title)
                for c in rubric.criteria_picked_by_limit[limit.id]
                if c.id in position
            )
            limits.append(_LimitRule(limit, limit.rule, picked, _picker([i for i, _ in picked])))
        return _PlanKind(
            ids=tuple(ids),
            section_ids=tuple(members),
            slices=tuple(slices),
            weights=tuple(tuple(float(c.weight) for c in group) for group in members.values()),
            tables=tuple({} for _ in members),
            limits=tuple(limits),
        )

    def apply_limit(
        self, rule: _LimitRule, values: tuple, grade_value: int
    ) -> tuple[int, str] | None:
        """The cap a limiting rule puts on ``grade_value`` and why, or None when it does not
        bite. ``values`` are the scores in the order of the plan kind's criteria."""
        limit, label = rule.limit, self.label
        if isinstance(rule.rule, CapRule):
            cap_at, score_at_most = rule.rule.cap_at, rule.rule.score_at_most
            if cap_at >= grade_value:
                return None
            hits = [
                (title, values[i])
                for i, title in rule.picked
                if isinstance(values[i], int) and values[i] <= score_at_most
            ]
            if not hits:
                return None
            names = "; ".join(f"{title} is {label(value)}" for title, value in hits)
            return cap_at, f"capped at {label(cap_at)}: {names}"
        for_grade, score_at_least = rule.rule.for_grade, rule.rule.score_at_least
        if grade_value < for_grade:
            return None
        shortfalls = [
            (title, values[i])
            for i, title in rule.picked
            if isinstance(values[i], int) and values[i] < score_at_least
        ]
        if not shortfalls:
            return None
        cap = self.next_lower.get(for_grade, for_grade)
        names = "; ".join(f"{title} is {label(value)}" for title, value in shortfalls)
        need = limit.description or (
            f"{label(for_grade)} needs these criteria at {label(score_at_least)} or better"
        )
        return cap, f"capped at {label(cap)}: {need} ({names})"

    def _section(self, values: tuple, weights: tuple[float, ...]) -> _Share:
        """What one section's scores add to the overall total and weight, as one complex
        number (total + weight j, so that one addition adds both), and its grade."""
        total = weight = 0.0
        for value, criterion_weight in zip(values, weights):
            if isinstance(value, int):
                total += value * criterion_weight
                weight += criterion_weight
        return complex(total, weight), self.grade_for_mean(total / weight) if weight else None

    def grade(self, scores: Mapping[str, Score], plan: Mapping) -> GradeResult:
        kind = self._kinds.get(tuple(map(plan.get, PLAN_FIELDS))) or self.kind(plan)
        # Each applicable criterion's score, looked up once, in section order; then each
        # section's share from its table (map and zip keep the per-section steps in C).
        values = tuple(map(scores.get, kind.ids))
        parts = list(map(values.__getitem__, kind.slices))
        found: list[_Share | None] = list(map(dict.get, kind.tables, parts))
        if not all(found):
            for i, share in enumerate(found):
                if share is None:
                    table = kind.tables[i]
                    if len(table) >= TABLE_ENTRIES:
                        table.clear()
                    found[i] = table[parts[i]] = self._section(parts[i], kind.weights[i])
        known = cast(list[_Share], found)  # every gap was filled just above
        # Added up section by section, in order, as the plain rule does (a complex sum adds
        # the real and imaginary parts each in that order).
        summed = reduce(add, map(_SHARE, known), 0j)
        overall_total, overall_weight = summed.real, summed.imag
        sections = dict(zip(kind.section_ids, map(_GRADE, known)))
        mean = overall_total / overall_weight if overall_weight else None
        overall = self.grade_for_mean(mean)
        reasons: list[str] = []
        if overall is not None:
            for rule in kind.limits:
                # A rule's verdict depends only on the grade so far and its own criteria's
                # scores: each combination met is worked out once.
                key = (overall, rule.scores_of(values))
                capped = rule.outcomes.get(key, _UNSEEN)
                if capped is _UNSEEN:
                    if len(rule.outcomes) >= TABLE_ENTRIES:
                        rule.outcomes.clear()
                    capped = rule.outcomes[key] = self.apply_limit(rule, values, overall)
                if capped is not None:
                    overall, reason = capped
                    reasons.append(reason)
        return GradeResult(
            overall=overall,
            overall_label=self.labels.get(overall, "Not graded"),
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

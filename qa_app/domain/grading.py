"""Grading: a pure function from a rubric and the scores given to the grades they earn.

Scores map a criterion id to a level value, or to ``NOT_APPLICABLE``. Criteria with no
entry are unscored; like N/A they drop out of every mean and every limiting rule, so a
draft can be graded as it goes.

Each rubric is compiled once (boundaries and labels), and again once per kind of plan it
is applied to: the criteria that apply, section by section, and the criteria each
limiting rule looks at, each fetched from the scores in one step. A section's scores are
looked up in that section's table of what they are worth, which works a combination out
by the plain rule the first time it is met; the limiting rules and the overall mean keep
tables of their own. So grading an audit is a few passes over tuples, each run in C.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from operator import call, getitem, itemgetter
from typing import TypeVar

from qa_app.domain.rubric import CapRule, Criterion, Limit, Rubric

NOT_APPLICABLE = "na"
PLAN_FIELDS = ("year_group", "plan_type", "primary_need", "setting_type", "key_stage")
COMPILED_RUBRICS = 64
PLAN_KINDS_PER_RUBRIC = 1024
TABLE_ENTRIES = 4096  # combinations remembered per section, per limiting rule, per rubric
_SHARE, _GRADE = itemgetter(0), itemgetter(1)

Score = int | str
_Key = TypeVar("_Key", bound=Hashable)
_Answer = TypeVar("_Answer")


@dataclass(slots=True)
class GradeResult:
    overall: int | None
    overall_label: str
    mean: float | None
    sections: dict[str, int | None]
    reasons: list[str] = field(default_factory=list)


def grade_for_mean(rubric: Rubric, mean: float | None) -> int | None:
    return _compiled(rubric).grade_for_mean(mean)


class _Table(dict[_Key, _Answer]):
    """Answers worked out once per key met, at most ``size`` of them at a time."""

    def __init__(self, work_out: Callable[[_Key], _Answer], size: int | None = None):
        super().__init__()
        self.work_out = work_out
        self.size = size or TABLE_ENTRIES

    def __missing__(self, key: _Key) -> _Answer:
        answer = self.work_out(key)
        if len(self) >= self.size:
            self.clear()
        self[key] = answer
        return answer


class _Unscored(dict):
    """The scores of a draft, where a criterion with no entry reads as unscored."""

    def __missing__(self, criterion_id):
        return None


class _Criteria:
    """Some criteria of a plan kind, in order, fetched from a scores mapping in one step.
    What ``fetch`` gives (a tuple, or one criterion's score alone, as ``itemgetter`` does)
    is the key of the tables of a section and of a limiting rule; ``scores`` turns it back
    into a tuple."""

    def __init__(self, criteria: list[Criterion]):
        self.titles = tuple(c.title for c in criteria)
        self.weights = tuple(float(c.weight) for c in criteria)
        ids = [c.id for c in criteria]
        self.fetch = itemgetter(*ids) if ids else _nothing

    def scores(self, fetched) -> tuple:
        return (fetched,) if len(self.titles) == 1 else fetched


def _nothing(scores: Mapping) -> tuple:
    return ()


class _Section(_Criteria):
    """A section's applicable criteria, and a table of what their scores are worth: the
    section's share of the overall total and weight (as total + weight j, so that one
    addition adds both) and its own grade."""

    def __init__(self, criteria: list[Criterion], rubric: _CompiledRubric):
        super().__init__(criteria)
        self.rubric = rubric
        self.worth = _Table(self._worth)

    def _worth(self, fetched) -> tuple[complex, int | None]:
        total = weight = 0.0
        for value, criterion_weight in zip(self.scores(fetched), self.weights):
            if isinstance(value, int):
                total += value * criterion_weight
                weight += criterion_weight
        section_grade = self.rubric.grade_for_mean(total / weight) if weight else None
        return complex(total, weight), section_grade


class _LimitRule(_Criteria):
    """A limiting rule with the criteria it picks among those that apply to a plan kind,
    and a table of its verdict for each grade so far and scores of those criteria."""

    def __init__(self, limit: Limit, criteria: list[Criterion], rubric: _CompiledRubric):
        super().__init__(criteria)
        self.limit = limit
        self.rule = rule = limit.rule
        self.rubric = rubric
        # Below this grade the rule cannot lower it, so it need not be looked at.
        self.lowest_grade_it_caps = rule.cap_at + 1 if isinstance(rule, CapRule) else rule.for_grade
        self.verdicts = _Table(self._verdict)

    def _verdict(self, key: tuple) -> tuple[int, str] | None:
        """The cap the rule puts on the grade so far and why, or None when it does not bite."""
        grade_value, fetched = key
        rule, label = self.rule, self.rubric.label
        scored = [(t, v) for t, v in zip(self.titles, self.scores(fetched)) if isinstance(v, int)]
        if isinstance(rule, CapRule):
            if rule.cap_at >= grade_value:
                return None
            hits = [(title, value) for title, value in scored if value <= rule.score_at_most]
            if not hits:
                return None
            names = "; ".join(f"{title} is {label(value)}" for title, value in hits)
            return rule.cap_at, f"capped at {label(rule.cap_at)}: {names}"
        if grade_value < rule.for_grade:
            return None
        shortfalls = [(title, value) for title, value in scored if value < rule.score_at_least]
        if not shortfalls:
            return None
        cap = self.rubric.next_lower.get(rule.for_grade, rule.for_grade)
        names = "; ".join(f"{title} is {label(value)}" for title, value in shortfalls)
        need = self.limit.description or (
            f"{label(rule.for_grade)} needs these criteria at {label(rule.score_at_least)} or better"
        )
        return cap, f"capped at {label(cap)}: {need} ({names})"


@dataclass(frozen=True)
class _PlanKind:
    """What grading needs for plans that share the metadata criteria depend on."""

    section_ids: tuple[str, ...]
    no_grades: dict[str, int | None]  # each section id, in order, without a grade
    fetches: tuple[Callable, ...]  # each section's fetch
    worth: tuple[_Table, ...]  # each section's table
    limits: tuple[_LimitRule, ...]


class _CompiledRubric:
    def __init__(self, rubric: Rubric):
        self.rubric = rubric
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
        # The overall total + weight j -> the mean (to three places) and the grade it earns.
        self.overall = _Table(self._mean_and_grade)
        # Plans that agree on the fields the rubric's criteria depend on are one kind.
        self.plan_fields = tuple(
            name
            for name in PLAN_FIELDS
            if any(
                c.applies_when is not None and c.applies_when.depends_on(name)
                for c in rubric.criteria
            )
        )
        self.kinds = _Table(self._kind, PLAN_KINDS_PER_RUBRIC)  # keyed by plan_fields values

    def label(self, value: Score | None) -> str:
        return self.labels.get(value, "Not graded")

    def grade_for_mean(self, mean: float | None) -> int | None:
        return None if mean is None else self.grades[bisect_right(self.thresholds, mean)]

    def _mean_and_grade(self, overall: complex) -> tuple[float | None, int | None]:
        mean = overall.real / overall.imag if overall.imag else None
        return (None if mean is None else round(mean, 3)), self.grade_for_mean(mean)

    def _kind(self, plan_values: tuple) -> _PlanKind:
        plan = dict(zip(self.plan_fields, plan_values))
        applicable = [c for c in self.rubric.criteria if c.applies_to(plan)]
        sections = [
            _Section([c for c in applicable if c.section == section.id], self)
            for section in self.rubric.sections
        ]
        picked_by = {
            limit_id: {c.id for c in criteria}
            for limit_id, criteria in self.rubric.criteria_picked_by_limit.items()
        }
        return _PlanKind(
            section_ids=tuple(section.id for section in self.rubric.sections),
            no_grades={section.id: None for section in self.rubric.sections},
            fetches=tuple(section.fetch for section in sections),
            worth=tuple(section.worth for section in sections),
            limits=tuple(
                _LimitRule(limit, [c for c in applicable if c.id in picked_by[limit.id]], self)
                for limit in self.rubric.limits
            ),
        )

    def grade(self, scores: Mapping[str, Score], plan: Mapping) -> GradeResult:
        kind = self.kinds[tuple(map(plan.get, self.plan_fields))]
        try:
            worth = list(map(getitem, kind.worth, map(call, kind.fetches, repeat(scores))))
        except KeyError:
            scores = _Unscored(scores)
            worth = list(map(getitem, kind.worth, map(call, kind.fetches, repeat(scores))))
        # Added up section by section, in order, as the plain rule does.
        mean, overall = self.overall[sum(map(_SHARE, worth), 0j)]
        reasons: list[str] = []
        if overall is not None:
            for rule in kind.limits:
                if overall >= rule.lowest_grade_it_caps:
                    capped = rule.verdicts[overall, rule.fetch(scores)]
                    if capped is not None:
                        overall, reason = capped
                        reasons.append(reason)
        # A copy of a dict with the right keys takes the grades without growing as it goes.
        sections = kind.no_grades.copy()
        sections.update(zip(kind.section_ids, map(_GRADE, worth)))
        return GradeResult(overall, self.labels.get(overall, "Not graded"), mean, sections, reasons)


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
    compiled = _compiled_rubrics.get(id(rubric))
    if compiled is None or compiled.rubric is not rubric:
        compiled = _compiled(rubric)
    return compiled.grade(scores, plan or {})

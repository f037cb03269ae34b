"""The rubric model: a typed schema for the YAML files in ``rubrics/``.

``load_rubric_text`` parses and validates a rubric and reports *every* problem it finds,
each located by line and, where one is involved, by criterion id, so that a QA lead can
mend a rubric file without guessing.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, TypedDict

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

Agency = Literal["education", "health", "social_care", "any"]
# What a rubric audits: the plan itself, or the annual review that led to it.
RubricKind = Literal["plan", "annual_review"]
RUBRIC_KINDS = {"plan": "Plan audit", "annual_review": "Annual-review audit"}


class LevelData(TypedDict):
    """A level of the grade scale as a rubric file writes it."""

    value: int
    label: str


DEFAULT_SCALE: list[LevelData] = [
    {"value": 4, "label": "Outstanding"},
    {"value": 3, "label": "Good"},
    {"value": 2, "label": "Requires improvement"},
    {"value": 1, "label": "Inadequate"},
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    value: int
    label: str


class Boundary(_Strict):
    grade: int
    min: float


class Section(_Strict):
    id: str
    title: str


class AppliesWhen(_Strict):
    """A condition on plan metadata; every given field must hold."""

    year_group_at_least: int | None = None
    year_group_at_most: int | None = None
    plan_type: list[str] | None = None
    primary_need: list[str] | None = None
    setting_type: list[str] | None = None
    key_stage: list[str] | None = None

    def holds_for(self, plan: dict) -> bool:
        year = plan.get("year_group")
        if self.year_group_at_least is not None and (
            year is None or year < self.year_group_at_least
        ):
            return False
        if self.year_group_at_most is not None and (year is None or year > self.year_group_at_most):
            return False
        for name in ("plan_type", "primary_need", "setting_type", "key_stage"):
            allowed = getattr(self, name)
            if allowed is not None and plan.get(name) not in allowed:
                return False
        return True

    def depends_on(self, plan_field: str) -> bool:
        if plan_field == "year_group":
            return self.year_group_at_least is not None or self.year_group_at_most is not None
        return getattr(self, plan_field, None) is not None


class Criterion(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    section: str
    title: str
    question: str
    descriptors: dict[int, str]
    weight: float = Field(default=1.0, gt=0)
    agency: Agency = "any"
    guidance: str = ""
    allow_na: bool = False
    critical: bool = False
    applies_when: AppliesWhen | None = None
    training_action: str = ""

    def applies_to(self, plan: dict) -> bool:
        return self.applies_when is None or self.applies_when.holds_for(plan)

    def owned_by(self, agency: str) -> bool:
        return self.agency == "any" or self.agency == agency


class Selector(_Strict):
    """Picks criteria for a limiting rule: by id, by section, or the critical ones."""

    criteria: list[str] | None = None
    sections: list[str] | None = None
    critical: bool | None = None

    def picks(self, criterion: Criterion) -> bool:
        if self.criteria is not None and criterion.id not in self.criteria:
            return False
        if self.sections is not None and criterion.section not in self.sections:
            return False
        return self.critical is None or criterion.critical == self.critical


@dataclass(frozen=True)
class CapRule:
    """Any picked criterion scored at or below ``score_at_most`` caps the grade at ``cap_at``."""

    score_at_most: int
    cap_at: int


@dataclass(frozen=True)
class FloorRule:
    """A grade of ``for_grade`` needs every picked criterion at ``score_at_least`` or better."""

    for_grade: int
    score_at_least: int


class Limit(_Strict):
    """A limiting rule. Either ``if_any`` scored at or below ``score_at_most`` caps the
    overall grade at ``cap_at``; or ``for_grade`` needs ``requires_all`` at or above
    ``score_at_least`` (otherwise the grade is capped one level below ``for_grade``)."""

    id: str
    description: str = ""
    if_any: Selector | None = None
    score_at_most: int | None = None
    cap_at: int | None = None
    for_grade: int | None = None
    requires_all: Selector | None = None
    score_at_least: int | None = None

    @property
    def selector(self) -> Selector:
        """The criteria the rule is about (a checked rubric gives exactly one selector)."""
        chosen = self.if_any or self.requires_all
        if chosen is None:
            raise ValueError(f"limit {self.id}: give either if_any or requires_all")
        return chosen

    @property
    def rule(self) -> CapRule | FloorRule:
        """The rule's thresholds (a checked rubric gives the complete set for its selector)."""
        if self.if_any is not None:
            if self.score_at_most is None or self.cap_at is None:
                raise ValueError(f"limit {self.id}: if_any needs score_at_most and cap_at")
            return CapRule(self.score_at_most, self.cap_at)
        if self.for_grade is None or self.score_at_least is None:
            raise ValueError(f"limit {self.id}: requires_all needs for_grade and score_at_least")
        return FloorRule(self.for_grade, self.score_at_least)


class Rubric(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    version: str
    kind: RubricKind = "plan"
    description: str = ""
    scale: list[Level] = Field(default_factory=lambda: [Level(**lv) for lv in DEFAULT_SCALE])
    boundaries: list[Boundary]
    sections: list[Section]
    criteria: list[Criterion]
    limits: list[Limit] = Field(default_factory=list)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value):
        return str(value) if isinstance(value, (int, float)) else value

    @property
    def kind_label(self) -> str:
        return RUBRIC_KINDS[self.kind]

    def label(self, value: int | str | None) -> str:
        """A level's label; "Not graded" for N/A, no score or a value off the scale."""
        for level in self.scale:
            if level.value == value:
                return level.label
        return "Not graded"

    @property
    def levels_high_to_low(self) -> list[Level]:
        return sorted(self.scale, key=lambda lv: lv.value, reverse=True)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def section_title(self, section_id: str) -> str:
        return next((s.title for s in self.sections if s.id == section_id), section_id)

    @cached_property
    def boundaries_high_to_low(self) -> list[Boundary]:
        return sorted(self.boundaries, key=lambda b: b.min, reverse=True)

    @cached_property
    def criteria_picked_by_limit(self) -> dict[str, list[Criterion]]:
        """For each limiting rule, the criteria its selector picks (computed once)."""
        return {
            limit.id: [c for c in self.criteria if limit.selector.picks(c)] for limit in self.limits
        }

    def criteria_for(self, agency: str | None, plan: dict) -> list[Criterion]:
        """The criteria an auditor of ``agency`` scores on this plan, in rubric order."""
        return [
            c
            for c in self.criteria
            if c.applies_to(plan) and (agency is None or c.owned_by(agency))
        ]


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    criterion: str | None = None

    def render(self, file: str) -> str:
        where = f"criterion {self.criterion}: " if self.criterion else ""
        return f"{file}:{self.line}: {where}{self.message}"


class RubricError(ValueError):
    """A rubric file that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(p.render(source) for p in problems))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_rubric_text(text: str, source: str = "<rubric>") -> Rubric:
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RubricError(source, [Problem(line, f"YAML syntax error: {problem}")]) from None
    if not isinstance(data, dict):
        raise RubricError(source, [Problem(1, "a rubric must be a mapping with id, title, ...")])

    locator = _Locator(root, data)
    problems: list[Problem] = []
    given_criteria = data.get("criteria")
    raw_criteria: list = given_criteria if isinstance(given_criteria, list) else []
    valid_criteria = []
    for i, raw in enumerate(raw_criteria):
        try:
            valid_criteria.append(Criterion.model_validate(raw))
        except ValidationError as exc:
            problems.extend(
                locator.problem(("criteria", i) + tuple(e["loc"]), _plain(e)) for e in exc.errors()
            )
    header = {**data, "criteria": valid_criteria} if "criteria" in data else data
    try:
        rubric = Rubric.model_validate(header)
    except ValidationError as exc:
        problems.extend(locator.problem(tuple(e["loc"]), _plain(e)) for e in exc.errors())
        rubric = None
    problems.extend(_criterion_problems(data, raw_criteria, locator))
    if rubric is not None:
        known_ids = {str(raw.get("id")) for raw in raw_criteria if isinstance(raw, dict)}
        problems.extend(_rubric_problems(rubric, locator, known_ids))
    if problems or rubric is None:  # a rubric that failed validation left problems
        raise RubricError(source, sorted(set(problems), key=lambda p: (p.line, p.message)))
    return rubric


def _plain(error: ErrorDetails) -> str:
    loc = error["loc"]
    field = ".".join(str(part) for part in loc if not isinstance(part, int))
    if error["type"] == "extra_forbidden":
        return f"unknown key '{loc[-1]}'"
    if error["type"] == "missing":
        return f"missing required key '{loc[-1]}'"
    return f"{field}: {error['msg'].lower()}"


class _Locator:
    """Maps a path in the parsed data back to its line in the YAML text."""

    def __init__(self, root: yaml.Node, data: dict):
        self.root = root
        self.data = data

    def line(self, path: tuple) -> int:
        node = self.root
        line = node.start_mark.line + 1
        for part in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if str(key.value) == str(part):
                        child = value
                        line = key.start_mark.line + 1
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and part < len(node.value)
            ):
                child = node.value[part]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line

    def criterion_id(self, path: tuple) -> str | None:
        if len(path) >= 2 and path[0] == "criteria" and isinstance(path[1], int):
            try:
                value = self.data["criteria"][path[1]].get("id")
            except (IndexError, AttributeError, KeyError, TypeError):
                return None
            return str(value) if value is not None else f"#{path[1] + 1}"
        return None

    def problem(self, path: tuple, message: str) -> Problem:
        return Problem(self.line(path), message, self.criterion_id(path))


def _scale_values(data: dict) -> list[int]:
    scale = data.get("scale", DEFAULT_SCALE)
    try:
        return [int(level["value"]) for level in scale]
    except (TypeError, KeyError, ValueError):
        return [level["value"] for level in DEFAULT_SCALE]


def _criterion_problems(data: dict, raw_criteria: list, at: _Locator) -> list[Problem]:
    """Checks on each criterion as written, so they run even when others are invalid."""
    problems: list[Problem] = []
    values = _scale_values(data)
    labels = {level["value"]: level["label"] for level in DEFAULT_SCALE}
    given_sections = data.get("sections")
    sections: list = given_sections if isinstance(given_sections, list) else []
    section_ids = {str(s.get("id")) for s in sections if isinstance(s, dict)}
    seen: set[str] = set()
    for i, raw in enumerate(raw_criteria):
        if not isinstance(raw, dict):
            continue
        path = ("criteria", i)
        cid = str(raw.get("id"))
        if cid in seen:
            problems.append(at.problem(path + ("id",), "id is used by another criterion"))
        seen.add(cid)
        section = raw.get("section")
        if section is not None and str(section) not in section_ids:
            problems.append(
                at.problem(path + ("section",), f"section '{section}' is not declared in sections")
            )
        descriptors = raw.get("descriptors")
        if not isinstance(descriptors, dict):
            continue
        given = set()
        for key in descriptors:
            with contextlib.suppress(TypeError, ValueError):
                given.add(int(key))
        missing = [v for v in values if v not in given]
        if missing:
            names = ", ".join(labels.get(v, str(v)) for v in missing)
            problems.append(at.problem(path + ("descriptors",), f"no descriptor for {names}"))
        extra = sorted(v for v in given if v not in values)
        if extra:
            problems.append(
                at.problem(
                    path + ("descriptors",),
                    f"descriptor for level {extra[0]}, which is not on the scale",
                )
            )
        for key, text in descriptors.items():
            if not str(text or "").strip():
                problems.append(
                    at.problem(path + ("descriptors", key), f"descriptor for level {key} is empty")
                )
    return problems


def _rubric_problems(rubric: Rubric, at: _Locator, criterion_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    values = [level.value for level in rubric.scale]
    if len(set(values)) != len(values):
        problems.append(at.problem(("scale",), "grade scale has repeated values"))
    elif sorted((lv.value, lv.label) for lv in rubric.scale) != sorted(
        (lv["value"], lv["label"]) for lv in DEFAULT_SCALE
    ):
        # Dashboards, summaries, charts and reports count these four grades.
        problems.append(
            at.problem(
                ("scale",),
                "the grade scale must be the four Ofsted-style levels: "
                + ", ".join(f"{lv['value']} {lv['label']}" for lv in DEFAULT_SCALE),
            )
        )
    for i, boundary in enumerate(rubric.boundaries):
        if boundary.grade not in values:
            problems.append(
                at.problem(
                    ("boundaries", i), f"boundary names grade {boundary.grade}, not on the scale"
                )
            )
    if not any(b.min <= min(values) for b in rubric.boundaries):
        problems.append(at.problem(("boundaries",), "no boundary covers the lowest possible mean"))
    section_ids = [s.id for s in rubric.sections]
    if len(set(section_ids)) != len(section_ids):
        problems.append(at.problem(("sections",), "section ids are repeated"))
    for i, limit in enumerate(rubric.limits):
        path = ("limits", i)
        cap_rule = limit.if_any is not None
        need_rule = limit.requires_all is not None
        if cap_rule == need_rule:
            problems.append(
                at.problem(path, f"limit {limit.id}: give either if_any or requires_all")
            )
            continue
        if cap_rule and (limit.score_at_most is None or limit.cap_at is None):
            problems.append(
                at.problem(path, f"limit {limit.id}: if_any needs score_at_most and cap_at")
            )
        if need_rule and (limit.for_grade is None or limit.score_at_least is None):
            problems.append(
                at.problem(
                    path, f"limit {limit.id}: requires_all needs for_grade and score_at_least"
                )
            )
        selector = limit.selector
        for cid in selector.criteria or []:
            if cid not in criterion_ids:
                problems.append(at.problem(path, f"limit {limit.id}: unknown criterion '{cid}'"))
        for sid in selector.sections or []:
            if sid not in section_ids:
                problems.append(at.problem(path, f"limit {limit.id}: unknown section '{sid}'"))
        if rubric.criteria and not any(selector.picks(c) for c in rubric.criteria):
            problems.append(at.problem(path, f"limit {limit.id}: selects no criteria"))
    return problems

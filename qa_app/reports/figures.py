"""The figures a report is built from, gathered by ``qa_app.services.learning_reports``.

Plain data: the document builders read these and never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from qa_app.reports.exemplars import Exemplar
from qa_app.reports.themes import Theme

GOOD = 3


@dataclass(frozen=True)
class Scope:
    date_from: date
    date_to: date
    rubric_title: str
    rubric_version: str
    team: str | None = None
    agency: str | None = None
    writer: str | None = None

    @property
    def previous(self) -> tuple[date, date]:
        return previous_period(self.date_from, self.date_to)


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period of the same length just before ``first``..``last``: the same number of
    whole months when the period is whole months, otherwise the same number of days."""
    months = _whole_months(first, last)
    if months:
        start = first
        for _ in range(months):
            start = (start - timedelta(days=1)).replace(day=1)
        return start, first - timedelta(days=1)
    return first - (last - first) - timedelta(days=1), first - timedelta(days=1)


def _whole_months(first: date, last: date) -> int:
    if first.day != 1 or (last + timedelta(days=1)).day != 1:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class GradeCounts:
    """Audits per overall grade; ``labels`` lists the scale best first."""

    counts: dict[int, int]
    labels: list[tuple[int, str]]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return sum(n for grade, n in self.counts.items() if grade >= GOOD)

    @property
    def good_share(self) -> float | None:
        return self.good_or_better / self.total if self.total else None


@dataclass(frozen=True)
class CriterionFigure:
    criterion_id: str
    title: str
    section: str
    scored: int
    mean: float
    below_good: int
    good_looks_like: str
    outstanding_looks_like: str
    training_action: str

    @property
    def below_good_share(self) -> float:
        return self.below_good / self.scored if self.scored else 0.0


@dataclass(frozen=True)
class TeamRow:
    team: str
    grades: GradeCounts
    mean_score: float | None
    weakest_criterion: str | None
    selected: bool = False


@dataclass(frozen=True)
class TrainingAction:
    action: str
    criteria: tuple[str, ...]
    below_good_share: float


@dataclass(frozen=True)
class ModerationFigures:
    double_rated: int
    moderated: int
    first_grades_agreed: int


@dataclass(frozen=True)
class WriterAudit:
    submitted: date
    reference: str
    agency: str
    grade: str


@dataclass
class ReportFigures:
    scope: Scope
    generated_at: datetime
    suppression_size: int
    good_target_pct: float
    grades: GradeCounts
    previous_grades: GradeCounts
    strongest: list[CriterionFigure]
    weakest: list[CriterionFigure]
    strength_themes: list[Theme]
    development_themes: list[Theme]
    strong_exemplars: list[Exemplar]
    weak_exemplars: list[Exemplar]
    teams: list[TeamRow]
    actions: list[TrainingAction]
    sample: dict[str, dict[str, int]]
    moderation: ModerationFigures
    classifier_version: str | None
    unjudged_outcomes: int
    notes_audits: int
    auditors: dict[str, int] | None = None
    writer_audits: list[WriterAudit] = field(default_factory=list)
    # Provision check and golden thread (qa_app.reports.provision_learning).
    provision_pairs: list = field(default_factory=list)
    provision_items: int = 0
    provision_specified_pct: float | None = None
    thread_gaps: list = field(default_factory=list)
    # What families said: (statement, who, answers, share agreeing or None when suppressed).
    family_voice: list = field(default_factory=list)

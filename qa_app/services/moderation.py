"""Moderation of double-rated audits, and how well auditors agree.

A moderation is a separate, adjudicated record: the QA lead sets an agreed level for each
criterion and an agreed overall grade, each with a rationale where the raters differed.
The two audits it compares keep their scores; only their status becomes "moderated".
Saves carry the version the QA lead last saw, like audits, so two moderators never
overwrite each other silently.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from qa_app.domain.agreement import Agreement, RatedPair, summarise
from qa_app.domain.grading import NOT_APPLICABLE, GradeResult, grade
from qa_app.domain.rubric import Criterion, Rubric
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, require
from qa_app.services.audits import FINISHED, score_values
from qa_app.services.dashboard_summary import SummaryChange
from qa_app.services.errors import InvalidInput, NotFound, StaleVersion
from qa_app.services.events import (
    AgreedGradeSaved,
    AgreedLevelSaved,
    AuditModerated,
    CriterionRationaleSaved,
    ModerationAgreed,
    ModerationStarted,
    ModerationViewed,
    OverallRationaleSaved,
)
from qa_app.services.rubrics import rubric_of
from qa_app.services.score_rows import store_level, stored_level
from qa_app.services.text_input import RATIONALE_LIMIT, clean_text
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import Audit, EventLogEntry, Moderation, ModerationScore, utcnow

_UNCHANGED = object()


@dataclass(frozen=True)
class PairSummary:
    first_audit_id: int
    second_audit_id: int
    plan_id: int
    plan_reference: str
    agency: str
    first_auditor: str
    second_auditor: str
    ready: bool
    moderation_id: int | None
    moderation_status: str | None


@dataclass(frozen=True)
class ModerationRow:
    criterion: Criterion
    first: int | str | None
    first_note: str
    second: int | str | None
    second_note: str
    agreed: int | str | None
    rationale: str

    @property
    def disagree(self) -> bool:
        return self.first != self.second

    @property
    def size(self) -> int:
        """How far apart the two ratings are, in levels; one rated N/A or unscored and the
        other not counts as far apart as the scale allows."""
        if not self.disagree:
            return 0
        if isinstance(self.first, int) and isinstance(self.second, int):
            return abs(self.first - self.second)
        return 99


@dataclass
class ModerationView:
    id: int
    version: int
    status: str
    plan_reference: str
    agency: str
    first_auditor: str
    second_auditor: str
    first_grade: int | None
    second_grade: int | None
    overall_grade: int | None
    rationale: str
    rubric: Rubric
    rows: list[ModerationRow]
    suggested: GradeResult
    first_audit_id: int | None = None
    plan_sections: dict[str, str] = field(default_factory=dict)

    @property
    def disagreements(self) -> int:
        return sum(row.disagree for row in self.rows)

    def disagreements_by_size(self) -> list[ModerationRow]:
        """The rows the two auditors disagree on, the widest apart first (rubric order
        among equals)."""
        return sorted((row for row in self.rows if row.disagree), key=lambda row: -row.size)

    def plan_text_for(self, criterion: Criterion) -> list[tuple[str, str]]:
        """The plan's sections a criterion is about (its rubric section's letter; H is H1
        and H2), as (letter, text); empty for criteria about the whole plan."""
        section = criterion.section
        if len(section) != 1 or not section.isupper():
            return []
        return [
            (letter, text)
            for letter, text in self.plan_sections.items()
            if letter == section or (letter.startswith(section) and letter[1:].isdigit())
        ]


def _pairs(session: Session) -> list[tuple[Audit, Audit]]:
    audits = session.scalars(
        select(Audit)
        .where(Audit.double_rated.is_(True))
        .options(
            selectinload(Audit.plan),
            selectinload(Audit.auditor),
            selectinload(Audit.scores),
            selectinload(Audit.rubric_version),
        )
        .order_by(Audit.plan_id, Audit.agency, Audit.rating_order, Audit.id)
    )
    grouped: dict[tuple, list[Audit]] = defaultdict(list)
    for audit in audits:
        grouped[(audit.plan_id, audit.agency, audit.sample_id, audit.rubric_version_id)].append(
            audit
        )
    return [(group[0], group[1]) for group in grouped.values() if len(group) >= 2]


def double_rated_pairs(session: Session, actor: Actor) -> list[PairSummary]:
    """Every double-rated pair, with whether it is ready to moderate (both submitted)."""
    require(actor, Action.MODERATE)
    moderations = {m.first_audit_id: m for m in session.scalars(select(Moderation))}
    summaries = []
    for first, second in _pairs(session):
        moderation = moderations.get(first.id)
        summaries.append(
            PairSummary(
                first_audit_id=first.id,
                second_audit_id=second.id,
                plan_id=first.plan_id,
                plan_reference=first.plan.reference,
                agency=first.agency,
                first_auditor=first.auditor.display_name,
                second_auditor=second.auditor.display_name,
                ready=first.status in FINISHED and second.status in FINISHED,
                moderation_id=moderation.id if moderation else None,
                moderation_status=moderation.status if moderation else None,
            )
        )
    order = {None: 0, "draft": 1, "agreed": 2}
    return sorted(
        summaries, key=lambda s: (not s.ready, order[s.moderation_status], s.first_audit_id)
    )


def _pair_of(session: Session, first_audit_id: int) -> tuple[Audit, Audit]:
    for first, second in _pairs(session):
        if first.id == first_audit_id:
            return first, second
    raise NotFound("There is no double-rated pair starting with that audit.")


def start_moderation(session: Session, actor: Actor, first_audit_id: int) -> int:
    """The moderation of this pair, created on first use with the levels both raters
    already agree on filled in. Returns its id."""
    require(actor, Action.MODERATE)
    first, second = _pair_of(session, first_audit_id)
    existing = session.scalar(select(Moderation).where(Moderation.first_audit_id == first.id))
    if existing is not None:
        return existing.id
    if first.status not in FINISHED or second.status not in FINISHED:
        raise InvalidInput("Both auditors must submit before the pair can be moderated.")
    a, b = score_values(first.scores), score_values(second.scores)
    moderation = Moderation(
        plan_id=first.plan_id,
        rubric_version_id=first.rubric_version_id,
        first_audit_id=first.id,
        second_audit_id=second.id,
        moderator_id=actor.user_id,
        scores=[
            ModerationScore(
                criterion_id=cid,
                score=value if isinstance(value, int) else None,
                not_applicable=value == NOT_APPLICABLE,
            )
            for cid, value in a.items()
            if b.get(cid) == value
        ],
    )
    session.add(moderation)
    session.flush()
    event_log.record(
        session,
        actor,
        ModerationStarted(
            moderation.id,
            detail={
                "first_audit": first.id,
                "second_audit": second.id,
                "prefilled": len(moderation.scores),
            },
        ),
    )
    return moderation.id


def _load(session: Session, actor: Actor, moderation_id: int) -> Moderation:
    require(actor, Action.MODERATE)
    moderation = session.scalar(
        select(Moderation)
        .where(Moderation.id == moderation_id)
        .options(selectinload(Moderation.scores))
    )
    if moderation is None:
        raise NotFound("That moderation does not exist.")
    return moderation


def _criteria(moderation: Moderation, rubric: Rubric) -> list[Criterion]:
    first = moderation.first_audit
    return rubric.criteria_for(first.agency, first.plan.metadata_dict())


def open_moderation(session: Session, actor: Actor, moderation_id: int) -> ModerationView:
    """Both audits side by side with the agreed record. Logged as a view."""
    moderation = _load(session, actor, moderation_id)
    event_log.record(session, actor, ModerationViewed(moderation.id))
    return _view(moderation)


def _view(moderation: Moderation) -> ModerationView:
    first, second = moderation.first_audit, moderation.second_audit
    rubric = rubric_of(first.rubric_version)
    first_rows = {s.criterion_id: s for s in first.scores}
    second_rows = {s.criterion_id: s for s in second.scores}
    agreed_rows = {s.criterion_id: s for s in moderation.scores}

    rows = [
        ModerationRow(
            criterion=c,
            first=stored_level(first_rows.get(c.id)),
            first_note=getattr(first_rows.get(c.id), "note", "") or "",
            second=stored_level(second_rows.get(c.id)),
            second_note=getattr(second_rows.get(c.id), "note", "") or "",
            agreed=stored_level(agreed_rows.get(c.id)),
            rationale=getattr(agreed_rows.get(c.id), "rationale", "") or "",
        )
        for c in _criteria(moderation, rubric)
    ]
    return ModerationView(
        id=moderation.id,
        version=moderation.version,
        status=moderation.status,
        plan_reference=first.plan.reference,
        agency=first.agency,
        first_auditor=first.auditor.display_name,
        second_auditor=second.auditor.display_name,
        first_grade=first.overall_grade,
        second_grade=second.overall_grade,
        overall_grade=moderation.overall_grade,
        rationale=moderation.rationale,
        rubric=rubric,
        rows=rows,
        suggested=grade(rubric, score_values(moderation.scores), first.plan.metadata_dict()),
        first_audit_id=first.id,
        plan_sections={s.letter: s.text or "" for s in first.plan.sections},
    )


def _changes_since(session: Session, moderation: Moderation, version: int) -> list[str]:
    entries = session.scalars(
        select(EventLogEntry)
        .where(
            EventLogEntry.entity == "moderation",
            EventLogEntry.entity_id == str(moderation.id),
            EventLogEntry.action.in_(("update", "agree")),
        )
        .order_by(EventLogEntry.id.desc())
        .limit(200)
    )
    changes = []
    for entry in entries:
        if json.loads(entry.detail or "{}").get("version", 0) <= version:
            break
        what = entry.field or "the moderation"
        changes.append(
            f"{entry.actor_name} changed {what} from {entry.old_value or 'nothing'} to {entry.new_value or 'nothing'}"
        )
    return list(reversed(changes))


def _guard(session: Session, moderation: Moderation, expected_version: int) -> None:
    if moderation.status == "agreed":
        raise InvalidInput("This moderation is agreed and closed.")
    if moderation.version != expected_version:
        raise StaleVersion(
            "Someone else saved this moderation after you opened it, so your change was not saved.",
            _changes_since(session, moderation, expected_version),
        )


def _flush(session: Session, moderation: Moderation) -> int:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        fresh = session.get_one(Moderation, moderation.id, populate_existing=True)
        raise StaleVersion(
            "Someone else saved this moderation at the same moment, so your change was not saved.",
            _changes_since(session, fresh, fresh.version - 1),
        ) from None
    return moderation.version


def save_agreed_score(
    session: Session,
    actor: Actor,
    moderation_id: int,
    criterion_id: str,
    *,
    expected_version: int,
    level=_UNCHANGED,
    rationale=_UNCHANGED,
) -> int:
    """Record the agreed level and/or its rationale for one criterion; returns the new version."""
    if rationale is not _UNCHANGED:
        rationale = clean_text(rationale, "The rationale", RATIONALE_LIMIT)
    moderation = _load(session, actor, moderation_id)
    _guard(session, moderation, expected_version)
    rubric = rubric_of(moderation.first_audit.rubric_version)
    criterion = next((c for c in _criteria(moderation, rubric) if c.id == criterion_id), None)
    if criterion is None:
        raise InvalidInput("That criterion is not part of this moderation.")
    if level == NOT_APPLICABLE and not criterion.allow_na:
        raise InvalidInput(f"{criterion.title} cannot be marked N/A.")
    row = next((s for s in moderation.scores if s.criterion_id == criterion_id), None)
    if row is None:
        row = ModerationScore(criterion_id=criterion_id, rationale="")
        moderation.scores.append(row)
    stamp = {"version": moderation.version + 1}
    if level is not _UNCHANGED:
        old = store_level(row, level)
        event_log.record(
            session,
            actor,
            AgreedLevelSaved(
                moderation.id,
                field=f"agreed level of {criterion.title}",
                old=old,
                new=level,
                detail=stamp,
            ),
        )
    if rationale is not _UNCHANGED:
        event_log.record(
            session,
            actor,
            CriterionRationaleSaved(
                moderation.id,
                field=f"rationale for {criterion.title}",
                detail=stamp,
            ),
        )
        row.rationale = rationale or ""
    moderation.updated_at = utcnow()
    return _flush(session, moderation)


def save_overall(
    session: Session,
    actor: Actor,
    moderation_id: int,
    *,
    expected_version: int,
    overall_grade=_UNCHANGED,
    rationale=_UNCHANGED,
) -> int:
    if rationale is not _UNCHANGED:
        rationale = clean_text(rationale, "The overall rationale", RATIONALE_LIMIT)
    moderation = _load(session, actor, moderation_id)
    _guard(session, moderation, expected_version)
    stamp = {"version": moderation.version + 1}
    if overall_grade is not _UNCHANGED:
        event_log.record(
            session,
            actor,
            AgreedGradeSaved(
                moderation.id,
                old=moderation.overall_grade,
                new=overall_grade,
                detail=stamp,
            ),
        )
        moderation.overall_grade = overall_grade
    if rationale is not _UNCHANGED:
        event_log.record(session, actor, OverallRationaleSaved(moderation.id, detail=stamp))
        moderation.rationale = rationale or ""
    moderation.updated_at = utcnow()
    return _flush(session, moderation)


def agreement_gaps(view: ModerationView) -> list[str]:
    problems = [
        f"{row.criterion.title} has no agreed level" for row in view.rows if row.agreed is None
    ]
    problems += [
        f"{row.criterion.title} needs a rationale (the auditors differed)"
        for row in view.rows
        if row.agreed is not None and row.disagree and not row.rationale.strip()
    ]
    if view.overall_grade is None:
        problems.append("the overall grade is not agreed")
    if not view.rationale.strip():
        problems.append("the overall rationale is empty")
    return problems


def agree(session: Session, actor: Actor, moderation_id: int, *, expected_version: int) -> int:
    """Close the moderation once every criterion and the overall grade are agreed, and mark
    both audits moderated."""
    moderation = _load(session, actor, moderation_id)
    _guard(session, moderation, expected_version)
    problems = agreement_gaps(_view(moderation))
    if problems:
        raise InvalidInput("The moderation cannot be closed yet: " + "; ".join(problems))
    summary = SummaryChange(session)
    moderation.status = "agreed"
    moderation.agreed_at = utcnow()
    moderation.moderator_id = actor.user_id
    event_log.record(
        session,
        actor,
        ModerationAgreed(
            moderation.id,
            old="draft",
            new="agreed",
            detail={"version": moderation.version + 1, "grade": moderation.overall_grade},
        ),
    )
    for audit in (moderation.first_audit, moderation.second_audit):
        event_log.record(
            session,
            actor,
            AuditModerated(
                audit.id,
                old=audit.status,
                new="moderated",
                detail={"version": audit.version + 1, "moderation": moderation.id},
            ),
        )
        audit.status = "moderated"
    version = _flush(session, moderation)
    summary.apply([moderation.first_audit_id, moderation.second_audit_id])
    return version


# -- agreement statistics ------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementReport:
    """Agreement overall, by criterion and by auditor. Each figure rests on double-rated
    plans: ``plans`` overall, ``plans_by_auditor`` for each auditor, and one plan per
    criterion pair. Where fewer than ``suppression_size`` plans stand behind a row, its
    figures are None (suppressed, as on the Trends page) and only the counts are kept."""

    overall: Agreement
    by_criterion: list[tuple[str, str, Agreement]]
    by_auditor: list[tuple[str, Agreement]]
    plans: int = 0
    plans_by_auditor: dict[str, int] = field(default_factory=dict)
    suppression_size: int = 1

    def suppressed(self, plans: int) -> bool:
        return plans < self.suppression_size


def _suppressed(stats: Agreement) -> Agreement:
    return replace(stats, exact=None, within_one=None, kappa=None, alpha=None, ac1=None)


def agreement_report(
    session: Session,
    actor: Actor,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    settings: Settings = DEFAULTS,
) -> AgreementReport:
    """Agreement between the two raters of every double-rated pair that both submitted
    (optionally in a period, by the later submission). Criteria either rater marked N/A
    or left unscored are left out of the pairs. Rows resting on fewer than
    the settings' ``suppression_size`` double-rated plans are suppressed, and auditors are
    named only where ``show_auditor_names``."""
    require(actor, Action.SEE_AGREEMENT)
    pairs: list[tuple[str, RatedPair]] = []
    plans_by_auditor: dict[str, int] = defaultdict(int)
    plans = 0
    titles: dict[str, str] = {}
    levels: set[int] = set()
    for first, second in _pairs(session):
        if first.status not in FINISHED or second.status not in FINISHED:
            continue
        finished = max(_aware(a.submitted_at or a.updated_at) for a in (first, second))
        if (since and finished < since) or (until and finished >= until):
            continue
        rubric = rubric_of(first.rubric_version)
        levels |= {lv.value for lv in rubric.scale}
        a, b = score_values(first.scores), score_values(second.scores)
        name_a = (
            first.auditor.display_name
            if settings.show_auditor_names
            else f"Auditor {first.auditor_id}"
        )
        name_b = (
            second.auditor.display_name
            if settings.show_auditor_names
            else f"Auditor {second.auditor_id}"
        )
        plans += 1
        plans_by_auditor[name_a] += 1
        plans_by_auditor[name_b] += 1
        for criterion in rubric.criteria:
            x, y = a.get(criterion.id), b.get(criterion.id)
            if isinstance(x, int) and isinstance(y, int):
                titles.setdefault(criterion.id, criterion.title)
                pairs.append((criterion.id, RatedPair(name_a, name_b, x, y)))
    scale = sorted(levels) or [1, 2, 3, 4]

    by_criterion: dict[str, list[RatedPair]] = defaultdict(list)
    by_auditor: dict[str, list[RatedPair]] = defaultdict(list)
    for criterion_id, pair in pairs:
        by_criterion[criterion_id].append(pair)
        by_auditor[pair.rater_a].append(pair)
        by_auditor[pair.rater_b].append(pair)
    k = settings.suppression_size

    def shown(stats: Agreement, behind: int) -> Agreement:
        return _suppressed(stats) if behind < k else stats

    return AgreementReport(
        overall=shown(summarise([p for _, p in pairs], scale), plans),
        # Each criterion is paired once per plan: its pairs are its plans.
        by_criterion=[
            (cid, titles[cid], shown(summarise(items, scale), len(items)))
            for cid, items in by_criterion.items()
        ],
        by_auditor=sorted(
            (
                (name, shown(summarise(items, scale), plans_by_auditor[name]))
                for name, items in by_auditor.items()
            ),
            key=lambda r: r[0],
        ),
        plans=plans,
        plans_by_auditor=dict(plans_by_auditor),
        suppression_size=k,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

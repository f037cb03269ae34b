"""Scoring a plan: the auditor's list, opening an audit, saving each change as it is made,
submitting, and reopening.

Every save names the audit version the caller last saw. A save made against an older
version is refused with ``StaleVersion``, listing what was changed since, so two people
(or two browser tabs) never silently overwrite each other. Each change is written to the
event log with its old and new value in the same transaction; the text of notes is not
logged, only that it changed.

Blind double rating: an auditor never sees another auditor's audit of the same plan and
agency until both have submitted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from qa_app.domain.grading import NOT_APPLICABLE, GradeResult, Score, grade
from qa_app.domain.rubric import Criterion, Rubric
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, allowed, require, sees_all
from qa_app.services.dashboard_summary import SummaryChange
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied, StaleVersion
from qa_app.services.events import (
    AuditReopened,
    AuditSubmitted,
    AuditTextSaved,
    AuditViewed,
    NoteSaved,
    ScoreSaved,
)
from qa_app.services.redacted_text import redacted_free_text
from qa_app.services.rubrics import rubric_of
from qa_app.services.score_rows import store_level, stored_level
from qa_app.services.text_input import AUDIT_TEXT_LIMIT, NOTE_LIMIT, REASON_LIMIT, clean_text
from qa_app.store.models import (
    Audit,
    AuditReopening,
    CriterionScore,
    EventLogEntry,
    Moderation,
    ModerationScore,
    Plan,
    RubricVersion,
    User,
    utcnow,
)

NOTE_REQUIRED_AT_OR_BELOW = 2
TEXT_FIELDS = {"strengths": "Strengths", "areas_for_development": "Areas for development"}
FINISHED = ("submitted", "moderated")
_UNCHANGED = object()


@dataclass(frozen=True)
class SubmitGap:
    """One thing that stops a submit: a criterion not scored (``needs`` is "score") or
    scored low without its evidence note ("note")."""

    criterion_id: str
    needs: str
    text: str


class SubmitRefused(InvalidInput):
    """Submit found gaps; ``problems`` lists each one in plain words, ``gaps`` the same
    with the criterion each is about."""

    def __init__(self, problems: list[str], gaps: tuple[SubmitGap, ...] = ()):
        super().__init__("This audit cannot be submitted yet: " + "; ".join(problems))
        self.problems = problems
        self.gaps = gaps


@dataclass(frozen=True)
class AuditSummary:
    id: int
    plan_id: int
    plan_reference: str
    agency: str
    status: str
    due_date: date | None
    double_rated: bool
    overall_grade: int | None
    updated_at: datetime
    scored: int
    to_score: int
    kind: str = "plan"  # the rubric's kind: "plan", or "annual_review"


@dataclass(frozen=True)
class ScoreState:
    level: int | str | None
    note: str


@dataclass
class Reopening:
    """A reopening of the audit: when, by whom, and the reason as stored (redacted; empty
    once retention purged the plan's text)."""

    id: int
    at: datetime
    by: str
    reason: str


@dataclass(frozen=True)
class AuditView:
    """Everything the audit page shows, read in one go."""

    id: int
    version: int
    status: str
    agency: str
    double_rated: bool
    due_date: date | None
    submitted_at: datetime | None
    auditor_name: str
    plan_id: int
    plan_reference: str
    plan_meta: dict
    plan_sections: list[tuple[str, str]]
    outcomes: list[dict]
    rubric: Rubric
    criteria: list[Criterion]
    scores: dict[str, ScoreState]
    strengths: str
    areas_for_development: str
    result: GradeResult = field(repr=False)
    reopenings: tuple[Reopening, ...] = ()

    @property
    def editable(self) -> bool:
        return self.status == "draft"


def note_required(level) -> bool:
    return isinstance(level, int) and level <= NOTE_REQUIRED_AT_OR_BELOW


def score_values(scores: Iterable[CriterionScore | ModerationScore]) -> dict[str, Score]:
    """Stored score rows as the mapping grading takes (unscored rows left out)."""
    values: dict[str, Score] = {}
    for row in scores:
        if row.not_applicable:
            values[row.criterion_id] = NOT_APPLICABLE
        elif row.score is not None:
            values[row.criterion_id] = row.score
    return values


def _load(session: Session, actor: Actor, audit_id: int) -> Audit:
    """The audit with its scores, plan and rubric version in one round trip (the rubric's
    text is read only if this process has not parsed that version before)."""
    require(actor, Action.WORK_ON_AUDIT)
    audit = session.scalar(
        select(Audit)
        .where(Audit.id == audit_id)
        .options(
            selectinload(Audit.scores),
            joinedload(Audit.plan),
            joinedload(Audit.rubric_version).defer(RubricVersion.content),
        )
    )
    if audit is None or not allowed(actor, Action.WORK_ON_AUDIT, audit):
        raise NotFound("That audit does not exist, or it is not one of yours.")
    return audit


def my_audits(
    session: Session, actor: Actor, *, include_finished: bool = True
) -> list[AuditSummary]:
    """The audits assigned to this user, the most urgent first."""
    require(actor, Action.HAVE_AUDITS)
    query = (
        select(Audit)
        .where(Audit.auditor_id == actor.user_id)
        .options(
            selectinload(Audit.scores), selectinload(Audit.plan), selectinload(Audit.rubric_version)
        )
    )
    if not include_finished:
        query = query.where(Audit.status == "draft")
    summaries = []
    for audit in session.scalars(query):
        rubric = rubric_of(audit.rubric_version)
        criteria = rubric.criteria_for(audit.agency, audit.plan.metadata_dict())
        values = score_values(audit.scores)
        summaries.append(
            AuditSummary(
                id=audit.id,
                plan_id=audit.plan_id,
                plan_reference=audit.plan.reference,
                agency=audit.agency,
                status=audit.status,
                due_date=audit.due_date,
                double_rated=audit.double_rated,
                overall_grade=audit.overall_grade,
                updated_at=audit.updated_at,
                scored=sum(c.id in values for c in criteria),
                to_score=len(criteria),
                kind=rubric.kind,
            )
        )
    status_order = {"draft": 0, "submitted": 1, "moderated": 2}
    return sorted(
        summaries, key=lambda s: (status_order.get(s.status, 3), s.due_date or date.max, s.id)
    )


def open_audit(
    session: Session, actor: Actor, audit_id: int, *, log_view: bool = True
) -> AuditView:
    """The audit with its plan and rubric, for its auditor or a QA lead. Logged as a view
    unless the caller is only redrawing a page it has already logged."""
    audit = _load(session, actor, audit_id)
    plan = session.scalars(
        select(Plan)
        .where(Plan.id == audit.plan_id)
        .options(selectinload(Plan.sections), selectinload(Plan.outcomes))
    ).one()
    rubric = rubric_of(audit.rubric_version)
    meta = plan.metadata_dict()
    if log_view:
        event_log.record(session, actor, AuditViewed(audit.id))
    return AuditView(
        id=audit.id,
        version=audit.version,
        status=audit.status,
        agency=audit.agency,
        double_rated=audit.double_rated,
        due_date=audit.due_date,
        submitted_at=audit.submitted_at,
        auditor_name=audit.auditor.display_name,
        plan_id=plan.id,
        plan_reference=plan.reference,
        plan_meta=meta,
        plan_sections=[(s.letter, s.text) for s in plan.sections],
        outcomes=[
            {
                "text": o.text,
                "area": o.area,
                "timescale": o.timescale,
                "weak": o.weak,
                "p_weak": o.p_weak,
                "reasons": o.reasons,
            }
            for o in plan.outcomes
        ],
        rubric=rubric,
        criteria=rubric.criteria_for(audit.agency, meta),
        scores={row.criterion_id: ScoreState(stored_level(row), row.note) for row in audit.scores},
        strengths=audit.strengths,
        areas_for_development=audit.areas_for_development,
        result=grade(rubric, score_values(audit.scores), meta),
        reopenings=tuple(_reopening(session, row) for row in audit.reopenings),
    )


def _reopening(session: Session, row: AuditReopening) -> Reopening:
    by = session.get(User, row.reopened_by_id) if row.reopened_by_id is not None else None
    return Reopening(row.id, row.reopened_at, by.display_name if by else "the system", row.reason)


def reopening_reasons(session: Session, actor: Actor, reopening_ids) -> dict[int, str]:
    """The stored (redacted) reasons of these reopenings, for those who see audits."""
    require(actor, Action.SEE_AUDITS)
    ids = [int(i) for i in reopening_ids]
    query = select(AuditReopening).where(AuditReopening.id.in_(ids))
    rows = session.scalars(query).all()
    if not sees_all(actor, Action.SEE_AUDITS):
        rows = [
            row for row in rows if session.get_one(Audit, row.audit_id).auditor_id == actor.user_id
        ]
    return {row.id: row.reason for row in rows}


def _changes_since(session: Session, audit: Audit, version: int) -> list[str]:
    """What other saves changed after ``version``, in words, oldest first."""
    entries = session.scalars(
        select(EventLogEntry)
        .where(
            EventLogEntry.entity == "audit",
            EventLogEntry.entity_id == str(audit.id),
            EventLogEntry.action.in_(("update", "submit", "reopen")),
        )
        .order_by(EventLogEntry.id.desc())
        .limit(200)
    )
    rubric = rubric_of(audit.rubric_version)
    changes = []
    for entry in entries:
        saved_as = json.loads(entry.detail or "{}").get("version", 0)
        if saved_as <= version:
            break
        changes.append(f"{entry.actor_name} {_describe(rubric, entry)}")
    return list(reversed(changes))


def _describe(rubric: Rubric, entry: EventLogEntry) -> str:
    if entry.action != "update":
        return {"submit": "submitted the audit", "reopen": "reopened the audit"}[entry.action]
    kind, _, criterion_id = (entry.field or "").partition(":")
    if kind == "status":
        return f"changed the status from {entry.old_value} to {entry.new_value}"
    if kind in TEXT_FIELDS:
        return f"changed {TEXT_FIELDS[kind].lower()}"
    try:
        title = rubric.criterion(criterion_id).title
    except KeyError:
        title = criterion_id
    if kind == "note":
        return f"changed the note on {title}"
    return f"changed {title} from {_level_text(rubric, entry.old_value)} to {_level_text(rubric, entry.new_value)}"


def _level_text(rubric: Rubric, stored: str | None) -> str:
    if stored is None:
        return "unscored"
    if stored == NOT_APPLICABLE:
        return "N/A"
    return rubric.label(int(stored))


def _check_version(session: Session, audit: Audit, expected_version: int) -> None:
    if audit.version != expected_version:
        raise StaleVersion(
            "Someone else saved this audit after you opened it, so your change was not saved.",
            _changes_since(session, audit, expected_version),
        )


def _regrade(audit: Audit, rubric: Rubric) -> GradeResult:
    result = grade(rubric, score_values(audit.scores), audit.plan.metadata_dict())
    audit.overall_grade = result.overall
    # Most saves leave the section grades and reasons as they were: assigning them only
    # when they change spares re-encoding and rewriting their JSON on every save.
    if audit.section_grades != result.sections:
        audit.section_grades = result.sections
    if audit.grade_reasons != result.reasons:
        audit.grade_reasons = result.reasons
    audit.updated_at = utcnow()
    return result


def _flush(session: Session, audit: Audit) -> None:
    """Write the change; a concurrent save that got in first turns into StaleVersion."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        fresh = session.get_one(Audit, audit.id, populate_existing=True)
        raise StaleVersion(
            "Someone else saved this audit at the same moment, so your change was not saved.",
            _changes_since(session, fresh, fresh.version - 1),
        ) from None


def _editable(actor: Actor, audit: Audit) -> None:
    if audit.status != "draft":
        raise InvalidInput("This audit has been submitted and is locked. A QA lead can reopen it.")
    if not allowed(actor, Action.WORK_ON_AUDIT, audit):
        raise PermissionDenied("Only the assigned auditor can change this audit.")


def save_score(
    session: Session,
    actor: Actor,
    audit_id: int,
    criterion_id: str,
    *,
    expected_version: int,
    level=_UNCHANGED,
    note=_UNCHANGED,
) -> tuple[int, GradeResult]:
    """Save one criterion's level (an int, ``NOT_APPLICABLE`` or None to clear) and/or
    its note. Returns the audit's new version and its grade."""
    if note is not _UNCHANGED:
        note = clean_text(note, "The evidence note", NOTE_LIMIT)
    audit = _load(session, actor, audit_id)
    _editable(actor, audit)
    _check_version(session, audit, expected_version)
    rubric = rubric_of(audit.rubric_version)
    criteria = {c.id: c for c in rubric.criteria_for(audit.agency, audit.plan.metadata_dict())}
    criterion = criteria.get(criterion_id)
    if criterion is None:
        raise InvalidInput("That criterion is not part of this audit.")
    if level is not _UNCHANGED:
        if level == NOT_APPLICABLE and not criterion.allow_na:
            raise InvalidInput(f"{criterion.title} cannot be marked N/A.")
        if isinstance(level, int) and level not in {lv.value for lv in rubric.scale}:
            raise InvalidInput(f"{level} is not a level on this rubric's scale.")

    row = next((s for s in audit.scores if s.criterion_id == criterion_id), None)
    if row is None:
        row = CriterionScore(criterion_id=criterion_id, note="")
        audit.scores.append(row)
    new_version = audit.version + 1
    stamp = {"version": new_version}
    if level is not _UNCHANGED:
        old = store_level(row, level)
        event_log.record(
            session,
            actor,
            ScoreSaved(
                audit.id,
                field=f"score:{criterion_id}",
                old=old,
                new=level,
                detail=stamp,
            ),
        )
    if note is not _UNCHANGED:
        note = note or ""
        event_log.record(
            session,
            actor,
            NoteSaved(
                audit.id,
                field=f"note:{criterion_id}",
                old=f"{len(row.note or '')} characters",
                new=f"{len(note)} characters",
                detail=stamp,
            ),
        )
        row.note = note
    row.updated_at = utcnow()
    result = _regrade(audit, rubric)
    _flush(session, audit)
    return audit.version, result


def save_text(
    session: Session,
    actor: Actor,
    audit_id: int,
    field_name: str,
    text: str,
    *,
    expected_version: int,
) -> int:
    """Save the strengths or the areas for development. Returns the new version."""
    if field_name not in TEXT_FIELDS:
        raise InvalidInput(f"'{field_name}' is not a free-text field of an audit.")
    text = clean_text(text, TEXT_FIELDS[field_name], AUDIT_TEXT_LIMIT)
    audit = _load(session, actor, audit_id)
    _editable(actor, audit)
    _check_version(session, audit, expected_version)
    old = getattr(audit, field_name) or ""
    setattr(audit, field_name, text or "")
    audit.updated_at = utcnow()
    event_log.record(
        session,
        actor,
        AuditTextSaved(
            audit.id,
            field=field_name,
            old=f"{len(old)} characters",
            new=f"{len(text or '')} characters",
            detail={"version": audit.version + 1},
        ),
    )
    _flush(session, audit)
    return audit.version


def submit_gaps(
    scores: dict[str, ScoreState], criteria: list[Criterion], rubric: Rubric
) -> list[SubmitGap]:
    """What stops an audit with these scores from being submitted, criterion by
    criterion in the rubric's order; empty when it can be."""
    gaps = []
    for criterion in criteria:
        state = scores.get(criterion.id)
        level = state.level if state else None
        if state is None or level is None:
            gaps.append(SubmitGap(criterion.id, "score", f"{criterion.title} is not scored"))
        elif note_required(level) and not (state.note or "").strip():
            gaps.append(
                SubmitGap(
                    criterion.id,
                    "note",
                    f"{criterion.title} needs an evidence note ({rubric.label(level)})",
                )
            )
    return gaps


def submit_problems(
    scores: dict[str, ScoreState], criteria: list[Criterion], rubric: Rubric
) -> list[str]:
    """Why an audit with these scores cannot be submitted; empty when it can."""
    return [gap.text for gap in submit_gaps(scores, criteria, rubric)]


def submit(session: Session, actor: Actor, audit_id: int, *, expected_version: int) -> int:
    """Check every applicable criterion is scored and every required note written, then
    lock the audit."""
    audit = _load(session, actor, audit_id)
    _editable(actor, audit)
    _check_version(session, audit, expected_version)
    rubric = rubric_of(audit.rubric_version)
    criteria = rubric.criteria_for(audit.agency, audit.plan.metadata_dict())
    states = {row.criterion_id: ScoreState(stored_level(row), row.note) for row in audit.scores}
    gaps = submit_gaps(states, criteria, rubric)
    if gaps:
        raise SubmitRefused([gap.text for gap in gaps], tuple(gaps))
    summary = SummaryChange(session)
    _regrade(audit, rubric)
    audit.status = "submitted"
    audit.submitted_at = utcnow()
    event_log.record(
        session,
        actor,
        AuditSubmitted(
            audit.id,
            old="draft",
            new="submitted",
            detail={"version": audit.version + 1, "grade": audit.overall_grade},
        ),
    )
    _flush(session, audit)
    summary.apply([audit.id])
    return audit.version


def reopen(session: Session, actor: Actor, audit_id: int, reason: str) -> int:
    """Unlock a submitted audit for changes. QA leads only. The reason is kept with the
    audit, redacted (``reports.privacy``: identifiers, users' names, and capitalised
    words not known to be ordinary), where retention purges it with the plan's text; the
    event log records the reopening and its id, never the reason."""
    require(actor, Action.REOPEN_AUDIT)
    reason = clean_text(reason, "The reason for reopening", REASON_LIMIT)
    if not (reason or "").strip():
        raise InvalidInput("Give a reason for reopening the audit.")
    audit = _load(session, actor, audit_id)
    if audit.status == "draft":
        raise InvalidInput("This audit is still a draft; there is nothing to reopen.")
    summary = SummaryChange(session)
    old = audit.status
    audit.status = "draft"
    audit.submitted_at = None
    audit.updated_at = utcnow()
    new_version = audit.version + 1
    reopening = AuditReopening(
        audit_id=audit.id,
        reopened_by_id=actor.user_id,
        reopened_at=utcnow(),
        reason=redacted_free_text(session, reason.strip()),
    )
    session.add(reopening)
    _flush(session, audit)
    event_log.record(
        session,
        actor,
        AuditReopened(
            audit.id,
            old=old,
            new="draft",
            detail={"version": new_version, "reopening": reopening.id},
        ),
    )
    _flush(session, audit)
    summary.apply([audit.id])
    return audit.version


# -- combined multi-agency view ------------------------------------------------------------


@dataclass(frozen=True)
class CombinedRow:
    criterion_id: str
    section: str
    title: str
    owner: str
    by_agency: dict[str, int | str | None]
    combined: int | str | None


@dataclass(frozen=True)
class CombinedView:
    rubric: Rubric
    agencies: list[str]
    audit_status: dict[str, str]
    rows: list[CombinedRow]
    result: GradeResult


def visible_audits_of_plan(session: Session, actor: Actor, plan_id: int) -> list[Audit]:
    """The plan's audits this actor may see. QA leads see all. An auditor sees their own,
    and another auditor's only once it is submitted; for a blind double rating, only once
    both raters have submitted."""
    require(actor, Action.SEE_AUDITS)
    audits = list(
        session.scalars(
            select(Audit)
            .where(Audit.plan_id == plan_id)
            .options(selectinload(Audit.scores), selectinload(Audit.rubric_version))
            .order_by(Audit.agency, Audit.rating_order, Audit.id)
        )
    )
    if sees_all(actor, Action.SEE_AUDITS):
        return audits
    mine = [a for a in audits if a.auditor_id == actor.user_id]
    if not mine:
        return []
    still_blind = {a.agency for a in mine if a.double_rated and a.status not in FINISHED}
    return [
        a
        for a in audits
        if a.auditor_id == actor.user_id or (a.status in FINISHED and a.agency not in still_blind)
    ]


def combined_view(
    session: Session, actor: Actor, plan_id: int, rubric_version_id: int | None = None
) -> CombinedView | None:
    """One plan's audits merged by the owning agency of each criterion: an agency's
    criteria take that agency's score; shared criteria take the lowest score any agency
    gave (the cautious reading). For a double-rated agency the first rater's audit is
    used. None when no audit is visible."""
    audits = visible_audits_of_plan(session, actor, plan_id)
    if rubric_version_id is not None:
        audits = [a for a in audits if a.rubric_version_id == rubric_version_id]
    if not audits:
        return None
    version = audits[0].rubric_version
    audits = [a for a in audits if a.rubric_version_id == version.id]
    rubric = rubric_of(version)
    plan = session.get_one(Plan, plan_id)
    meta = plan.metadata_dict()

    chosen: dict[str, Audit] = {}
    for audit in audits:
        current = chosen.get(audit.agency)
        if current is None or (audit.status in FINISHED and current.status not in FINISHED):
            chosen[audit.agency] = audit
    values_by_agency = {agency: score_values(a.scores) for agency, a in chosen.items()}
    moderations = session.scalars(
        select(Moderation)
        .where(Moderation.plan_id == plan_id, Moderation.status == "agreed")
        .options(selectinload(Moderation.scores))
    )
    for moderation in moderations:
        agency = moderation.first_audit.agency
        if agency in chosen and moderation.first_audit_id in {a.id for a in audits}:
            values_by_agency[agency] = score_values(moderation.scores)

    agencies = sorted(chosen)
    rows, merged = [], {}
    for criterion in rubric.criteria:
        if not criterion.applies_to(meta):
            continue
        by_agency = {agency: values_by_agency[agency].get(criterion.id) for agency in agencies}
        if criterion.agency == "any":
            numbers = [v for v in by_agency.values() if isinstance(v, int)]
            combined = (
                min(numbers)
                if numbers
                else (NOT_APPLICABLE if NOT_APPLICABLE in by_agency.values() else None)
            )
        else:
            combined = by_agency.get(criterion.agency)
        if combined is not None:
            merged[criterion.id] = combined
        rows.append(
            CombinedRow(
                criterion.id,
                criterion.section,
                criterion.title,
                criterion.agency,
                by_agency,
                combined,
            )
        )
    return CombinedView(
        rubric=rubric,
        agencies=agencies,
        audit_status={agency: chosen[agency].status for agency in agencies},
        rows=rows,
        result=grade(rubric, merged, meta),
    )

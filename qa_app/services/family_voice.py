"""Family voice: what the parent or carer, and the child or young person, said about an
audited plan, recorded by the auditor after talking with them.

Each of three statements is answered on a 4-point scale of agreement; a free-text
comment is redacted before it is stored (identifier patterns, the names of the tool's
users, and capitalised words that are not known to be ordinary words), so a child's name
said in conversation is never kept. The audit's auditor or a QA lead records and reads a
plan's record; aggregate figures, with small numbers suppressed, are for QA and training
leads. Every change is logged, field by field; the comment's log entry says only that it
changed, never what it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.reports.privacy import Scrubber
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, allowed, require
from qa_app.services.dashboard_summary import count_if
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.events import (
    FamilyVoiceAnswerChanged,
    FamilyVoiceCommentChanged,
    FamilyVoiceRecorded,
)
from qa_app.services.text_input import NOTE_LIMIT, clean_text
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import Audit, FamilyVoice, Plan, User, utcnow

RESPONDENTS = {"parent_carer": "Parent or carer", "child_young_person": "Child or young person"}
STATEMENTS = {
    "listened_to": "I was listened to",
    "describes": "The plan describes my child / me",
    "what_happens": "The plan says what will happen, who does it and when",
}
AGREEMENT = {4: "Strongly agree", 3: "Agree", 2: "Disagree", 1: "Strongly disagree"}
AGREES_AT_LEAST = 3


@dataclass(frozen=True)
class VoiceRecord:
    respondent: str
    answers: dict[str, int | None]
    comment: str
    recorded_at: datetime | None

    @property
    def respondent_label(self) -> str:
        return RESPONDENTS[self.respondent]


@dataclass(frozen=True)
class VoiceFigure:
    respondent: str
    statement: str
    n: int
    agree: int | None
    share: float | None  # percent agreeing (Agree or Strongly agree); None when suppressed
    suppressed: bool


@dataclass(frozen=True)
class VoiceSummary:
    plans: int
    records: dict[str, int]
    figures: list[VoiceFigure]
    suppression_size: int


def _audit_for(session: Session, actor: Actor, audit_id: int) -> Audit:
    require(actor, Action.RECORD_FAMILY_VOICE)
    audit = session.get(Audit, audit_id)
    if audit is None or not allowed(actor, Action.RECORD_FAMILY_VOICE, audit):
        raise NotFound("That audit does not exist, or it is not one of yours.")
    return audit


def redact_comment(session: Session, text: str) -> str:
    """A comment as it may be stored: identifiers and names replaced by tags."""
    names = session.scalars(select(User.display_name))
    return Scrubber(known_names=names).clean_free_text(text).strip()


def _checked_answers(answers: dict[str, int | None]) -> dict[str, int | None]:
    unknown = set(answers) - set(STATEMENTS)
    if unknown:
        raise InvalidInput(f"Unknown statement: {', '.join(sorted(unknown))}.")
    checked = {}
    for name, statement in STATEMENTS.items():
        value = answers.get(name)
        if value is not None and value not in AGREEMENT:
            raise InvalidInput(f"'{statement}' takes a level from 1 to 4, not {value!r}.")
        checked[name] = value
    return checked


def record_voice(
    session: Session,
    actor: Actor,
    audit_id: int,
    respondent: str,
    answers: dict[str, int | None],
    comment: str = "",
) -> VoiceRecord:
    """Create or update what ``respondent`` said about the audited plan."""
    audit = _audit_for(session, actor, audit_id)
    if respondent not in RESPONDENTS:
        raise InvalidInput(f"Unknown respondent '{respondent}'.")
    checked = _checked_answers(answers)
    cleaned = redact_comment(session, clean_text(comment, "The comment", NOTE_LIMIT))
    if all(value is None for value in checked.values()) and not cleaned:
        raise InvalidInput("Record at least one answer or a comment.")
    row = session.scalar(
        select(FamilyVoice).where(
            FamilyVoice.audit_id == audit.id, FamilyVoice.respondent == respondent
        )
    )
    created = row is None
    if row is None:
        row = FamilyVoice(
            audit_id=audit.id,
            plan_id=audit.plan_id,
            respondent=respondent,
            comment="",
            recorded_by_id=actor.user_id,
            is_synthetic=audit.is_synthetic,
        )
        session.add(row)
    changes = [
        (name, getattr(row, name), value)
        for name, value in checked.items()
        if created or getattr(row, name) != value
    ]
    comment_changed = cleaned != (row.comment or "")
    for name, value in checked.items():
        setattr(row, name, value)
    row.comment = cleaned
    row.updated_at = utcnow()
    session.flush()
    if created:
        event_log.record(
            session,
            actor,
            FamilyVoiceRecorded(row.id, detail={"audit": audit.id, "respondent": respondent}),
        )
    for name, old, new in changes:
        if created and new is None:
            continue
        event_log.record(
            session, actor, FamilyVoiceAnswerChanged(row.id, old=old, new=new, field=name)
        )
    if comment_changed:
        event_log.record(
            session, actor, FamilyVoiceCommentChanged(row.id, detail={"characters": len(cleaned)})
        )
    return _view(row)


def _view(row: FamilyVoice) -> VoiceRecord:
    return VoiceRecord(
        respondent=row.respondent,
        answers={name: getattr(row, name) for name in STATEMENTS},
        comment=row.comment or "",
        recorded_at=row.updated_at,
    )


def voices_for_audit(session: Session, actor: Actor, audit_id: int) -> list[VoiceRecord]:
    """What was recorded for this audit, parent or carer first."""
    audit = _audit_for(session, actor, audit_id)
    rows = session.scalars(select(FamilyVoice).where(FamilyVoice.audit_id == audit.id))
    order = list(RESPONDENTS)
    return sorted((_view(row) for row in rows), key=lambda r: order.index(r.respondent))


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time.min, tzinfo=UTC), datetime.combine(
        last + timedelta(days=1), time.min, tzinfo=UTC
    )


def voice_summary(
    session: Session,
    actor: Actor,
    first: date,
    last: date,
    *,
    team: str | None = None,
    settings: Settings = DEFAULTS,
) -> VoiceSummary:
    """The share agreeing with each statement, by respondent, for records made from
    ``first`` to ``last``; a share resting on fewer than the settings' ``suppression_size``
    answers is withheld."""
    require(actor, Action.SEE_FAMILY_VOICE)
    return voice_figures(session, first, last, team=team, settings=settings)


def voice_figures(
    session: Session,
    first: date,
    last: date,
    *,
    team: str | None = None,
    settings: Settings = DEFAULTS,
) -> VoiceSummary:
    """``voice_summary``'s figures, for a caller that has checked its own action (the
    learning report)."""
    suppression_size = settings.suppression_size
    start, end = _bounds(first, last)
    conditions = [FamilyVoice.recorded_at >= start, FamilyVoice.recorded_at < end]
    if team:
        conditions.append(Plan.team == team)

    def joined(query):
        return query.join(Plan, Plan.id == FamilyVoice.plan_id).where(*conditions)

    records = dict.fromkeys(RESPONDENTS, 0)
    counted = joined(select(FamilyVoice.respondent, func.count(FamilyVoice.id))).group_by(
        FamilyVoice.respondent
    )
    for respondent, count in session.execute(counted):
        records[respondent] = count
    plans = session.scalar(joined(select(func.count(func.distinct(FamilyVoice.plan_id))))) or 0
    figures = []
    for name in STATEMENTS:
        column = getattr(FamilyVoice, name)
        answered = dict.fromkeys(RESPONDENTS, (0, 0))
        rows = session.execute(
            joined(
                select(
                    FamilyVoice.respondent, func.count(column), count_if(column >= AGREES_AT_LEAST)
                )
            )
            .where(column.is_not(None))
            .group_by(FamilyVoice.respondent)
        )
        for respondent, n, agree in rows:
            answered[respondent] = (int(n), int(agree or 0))
        for respondent, (n, agree) in answered.items():
            suppressed = n < suppression_size
            figures.append(
                VoiceFigure(
                    respondent=respondent,
                    statement=name,
                    n=n,
                    agree=None if suppressed else agree,
                    share=None if suppressed or not n else round(100 * agree / n, 1),
                    suppressed=suppressed,
                )
            )
    return VoiceSummary(
        plans=plans, records=records, figures=figures, suppression_size=suppression_size
    )

"""Auditors' judgements on weak-outcome flags, and the training examples they make.

While auditing a plan an auditor says, outcome by outcome, whether they agree with the
classifier's flag. Disagreeing with a weak flag makes the statement a strong example;
disagreeing with a strong one makes it a weak example; agreeing confirms the flag.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.classifier import OutcomeVerdict, ShippedModel, load_model
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, allowed, require
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.services.events import OutcomeFlagJudged
from qa_app.store.models import Audit, Outcome, OutcomeJudgement, Plan, utcnow


@dataclass(frozen=True)
class ShownFlag:
    """The flag an auditor sees for one outcome, and the model version behind it."""

    verdict: OutcomeVerdict
    model_version: str


@dataclass(frozen=True)
class OutcomeFlagView:
    """One section E outcome on the audit page: its flag and the auditor's judgement."""

    outcome_id: int
    text: str
    area: str | None
    timescale: str | None
    flag: ShownFlag
    agrees: bool | None


@dataclass(frozen=True)
class AuditOutcomeFlags:
    outcomes: list[OutcomeFlagView]
    can_judge: bool


@dataclass(frozen=True)
class FeedbackExample:
    text: str
    weak: bool


def shown_flags(outcomes, model: ShippedModel | None = None) -> list[ShownFlag]:
    """The stored verdict of each outcome, or the shipped model's if none is stored."""
    unjudged = [outcome for outcome in outcomes if outcome.model_version is None]
    fresh = {}
    if unjudged:
        model = model or load_model()
        verdicts = model.classify(
            [outcome.text for outcome in unjudged], [outcome.timescale for outcome in unjudged]
        )
        fresh = {id(outcome): verdict for outcome, verdict in zip(unjudged, verdicts)}
        fresh_version = model.version
    flags = []
    for outcome in outcomes:
        if id(outcome) in fresh:
            flags.append(ShownFlag(fresh[id(outcome)], fresh_version))
            continue
        reasons = tuple(code for code in (outcome.reasons or "").split(";") if code)
        verdict = OutcomeVerdict(bool(outcome.weak), float(outcome.p_weak or 0.0), reasons)
        flags.append(ShownFlag(verdict, outcome.model_version))
    return flags


def outcome_flags_for_audit(
    session: Session, actor: Actor, audit_id: int, model: ShippedModel | None = None
) -> AuditOutcomeFlags:
    """The plan's outcomes in order, each with its flag and, on the auditor's own audit,
    their judgement. QA leads may look at any audit's flags; judging stays the auditor's."""
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise NotFound("That audit does not exist.")
    own = allowed(actor, Action.JUDGE_OUTCOME_FLAGS, audit)
    if not allowed(actor, Action.WORK_ON_AUDIT, audit):
        raise PermissionDenied("You can only see outcome flags on your own audits.")
    outcomes = session.scalars(
        select(Outcome).where(Outcome.plan_id == audit.plan_id).order_by(Outcome.position)
    ).all()
    agreed = dict(
        session.execute(
            select(OutcomeJudgement.outcome_id, OutcomeJudgement.agrees).where(
                OutcomeJudgement.audit_id == audit_id
            )
        ).all()
    )
    items = [
        OutcomeFlagView(o.id, o.text, o.area, o.timescale, flag, agreed.get(o.id))
        for o, flag in zip(outcomes, shown_flags(outcomes, model))
    ]
    return AuditOutcomeFlags(items, can_judge=own)


def _own_audit(session: Session, actor: Actor, audit_id: int) -> Audit:
    require(actor, Action.JUDGE_OUTCOME_FLAGS)
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise NotFound("That audit does not exist.")
    if not allowed(actor, Action.JUDGE_OUTCOME_FLAGS, audit):
        raise PermissionDenied("You can only judge outcome flags on your own audits.")
    return audit


def record_judgement(
    session: Session,
    actor: Actor,
    *,
    audit_id: int,
    outcome_id: int,
    agrees: bool,
    model: ShippedModel | None = None,
) -> OutcomeJudgement:
    """Store (or change) the auditor's judgement on one outcome's flag in their audit."""
    audit = _own_audit(session, actor, audit_id)
    outcome = session.get(Outcome, outcome_id)
    if outcome is None or outcome.plan_id != audit.plan_id:
        raise InvalidInput("That outcome is not part of the plan behind this audit.")
    shown = shown_flags([outcome], model)[0]
    judgement = session.scalar(
        select(OutcomeJudgement).where(
            OutcomeJudgement.audit_id == audit_id, OutcomeJudgement.outcome_id == outcome_id
        )
    )
    previous = None if judgement is None else judgement.agrees
    if judgement is None:
        judgement = OutcomeJudgement(
            outcome_id=outcome_id, audit_id=audit_id, auditor_id=actor.user_id
        )
        session.add(judgement)
    judgement.flagged_weak = shown.verdict.weak
    judgement.agrees = agrees
    judgement.model_version = shown.model_version
    judgement.judged_at = utcnow()
    session.flush()
    event_log.record(
        session,
        actor,
        OutcomeFlagJudged(
            outcome_id,
            old=previous,
            new=agrees,
            detail={
                "audit": audit_id,
                "flagged_weak": shown.verdict.weak,
                "model": shown.model_version,
            },
        ),
    )
    return judgement


def feedback_examples(session: Session, actor: Actor) -> list[FeedbackExample]:
    """One training example per distinct statement that auditors judged, labelled by the
    majority of their judgements (statements with a tie are left out). Plans whose text
    has been purged give none."""
    require(actor, Action.READ_JUDGEMENTS)
    rows = session.execute(
        select(Outcome.text, OutcomeJudgement.flagged_weak, OutcomeJudgement.agrees)
        .join(OutcomeJudgement, OutcomeJudgement.outcome_id == Outcome.id)
        .join(Plan, Plan.id == Outcome.plan_id)
        .where(Plan.text_purged_at.is_(None))
        .order_by(OutcomeJudgement.id)
    )
    votes: dict[str, int] = defaultdict(int)
    for text, flagged_weak, agrees in rows:
        weak = flagged_weak == agrees
        votes[text] += 1 if weak else -1
    return [FeedbackExample(text, balance > 0) for text, balance in votes.items() if balance]

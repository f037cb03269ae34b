"""The provision check on the audit page, and auditors' judgements on it.

While auditing a plan the auditor sees each provision item's verdict beside the provision
criteria and says whether they agree; disagreeing with a vague flag makes the item a
specified example for training, and the other way round. The plan's stored golden thread
is shown with it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.classifier.provision import (
    ProvisionVerdict,
    ShippedProvisionModel,
    load_provision_model,
)
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, allowed, require
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.services.events import ProvisionCheckJudged
from qa_app.services.plan_checks import stored_thread
from qa_app.store.models import Audit, Plan, ProvisionItem, ProvisionJudgement, utcnow


@dataclass(frozen=True)
class ProvisionCheckView:
    provision_id: int
    number: int
    section: str
    text: str
    area: str | None
    verdict: ProvisionVerdict
    model_version: str
    agrees: bool | None


@dataclass(frozen=True)
class AuditProvisionChecks:
    items: list[ProvisionCheckView]
    thread: dict
    can_judge: bool


@dataclass(frozen=True)
class ProvisionExample:
    text: str
    weak: bool


def _shown(items, model: ShippedProvisionModel | None = None) -> list[tuple[ProvisionVerdict, str]]:
    """The stored verdict of each item, or the shipped model's where none is stored."""
    unjudged = [item for item in items if item.model_version is None]
    fresh: dict[int, tuple[ProvisionVerdict, str]] = {}
    if unjudged:
        shipped = model or load_provision_model()
        verdicts = shipped.classify([item.text for item in unjudged])
        fresh = {id(item): (verdict, shipped.version) for item, verdict in zip(unjudged, verdicts)}
    shown: list[tuple[ProvisionVerdict, str]] = []
    for item in items:
        if id(item) in fresh:
            shown.append(fresh[id(item)])
        else:
            reasons = tuple(code for code in (item.reasons or "").split(";") if code)
            shown.append(
                (
                    ProvisionVerdict(bool(item.weak), float(item.p_weak or 0.0), reasons),
                    item.model_version,
                )
            )
    return shown


def _audit_for_viewing(session: Session, actor: Actor, audit_id: int) -> tuple[Audit, bool]:
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise NotFound("That audit does not exist.")
    own = allowed(actor, Action.JUDGE_PROVISION_CHECKS, audit)
    if not allowed(actor, Action.WORK_ON_AUDIT, audit):
        raise PermissionDenied("You can only see provision checks on your own audits.")
    return audit, own


def provision_checks_for_audit(
    session: Session, actor: Actor, audit_id: int, model: ShippedProvisionModel | None = None
) -> AuditProvisionChecks:
    audit, own = _audit_for_viewing(session, actor, audit_id)
    items = session.scalars(
        select(ProvisionItem)
        .where(ProvisionItem.plan_id == audit.plan_id)
        .order_by(ProvisionItem.position)
    ).all()
    agreed = dict(
        session.execute(
            select(ProvisionJudgement.provision_id, ProvisionJudgement.agrees).where(
                ProvisionJudgement.audit_id == audit_id
            )
        ).all()
    )
    views = [
        ProvisionCheckView(
            item.id,
            number,
            item.section,
            item.text,
            item.area,
            verdict,
            version,
            agreed.get(item.id),
        )
        for number, (item, (verdict, version)) in enumerate(
            zip(items, _shown(items, model)), start=1
        )
    ]
    plan = session.get_one(Plan, audit.plan_id)
    return AuditProvisionChecks(views, stored_thread(plan), can_judge=own)


def record_provision_judgement(
    session: Session,
    actor: Actor,
    *,
    audit_id: int,
    provision_id: int,
    agrees: bool,
    model: ShippedProvisionModel | None = None,
) -> ProvisionJudgement:
    """Store (or change) the auditor's judgement on one item's verdict in their audit."""
    require(actor, Action.JUDGE_PROVISION_CHECKS)
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise NotFound("That audit does not exist.")
    if not allowed(actor, Action.JUDGE_PROVISION_CHECKS, audit):
        raise PermissionDenied("You can only judge provision checks on your own audits.")
    item = session.get(ProvisionItem, provision_id)
    if item is None or item.plan_id != audit.plan_id:
        raise InvalidInput("That provision item is not part of the plan behind this audit.")
    verdict, version = _shown([item], model)[0]
    judgement = session.scalar(
        select(ProvisionJudgement).where(
            ProvisionJudgement.audit_id == audit_id, ProvisionJudgement.provision_id == provision_id
        )
    )
    previous = None if judgement is None else judgement.agrees
    if judgement is None:
        judgement = ProvisionJudgement(
            provision_id=provision_id, audit_id=audit_id, auditor_id=actor.user_id
        )
        session.add(judgement)
    judgement.flagged_weak = verdict.weak
    judgement.agrees = agrees
    judgement.model_version = version
    judgement.judged_at = utcnow()
    session.flush()
    event_log.record(
        session,
        actor,
        ProvisionCheckJudged(
            provision_id,
            old=previous,
            new=agrees,
            detail={"audit": audit_id, "flagged_weak": verdict.weak, "model": version},
        ),
    )
    return judgement


def provision_feedback_examples(session: Session, actor: Actor) -> list[ProvisionExample]:
    """One training example per distinct judged item, labelled by the majority of the
    judgements (ties left out); purged plans give none."""
    require(actor, Action.READ_JUDGEMENTS)
    rows = session.execute(
        select(ProvisionItem.text, ProvisionJudgement.flagged_weak, ProvisionJudgement.agrees)
        .join(ProvisionJudgement, ProvisionJudgement.provision_id == ProvisionItem.id)
        .join(Plan, Plan.id == ProvisionItem.plan_id)
        .where(Plan.text_purged_at.is_(None))
        .order_by(ProvisionJudgement.id)
    )
    votes: dict[str, int] = defaultdict(int)
    for text, flagged_weak, agrees in rows:
        votes[text] += 1 if flagged_weak == agrees else -1
    return [ProvisionExample(text, balance > 0) for text, balance in votes.items() if balance]

"""Weak-outcome flags: classify a plan's section E outcomes, store each verdict, and store
the plan-level flag with the model version that produced it.

Like the other services these add to the caller's transaction and leave the commit to the
caller. Plans whose text has been purged keep the flags they had.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from qa_app.classifier import ShippedModel, load_model, plan_flag_from_settings
from qa_app.services import audit_log
from qa_app.services.access import SYSTEM, Actor, require
from qa_app.settings import Settings
from qa_app.store.models import Plan

BATCH_SIZE = 200


@dataclass(frozen=True)
class FlagSummary:
    plans: int = 0
    flagged: int = 0
    skipped_purged: int = 0


def flag_plan(
    session: Session,
    plan: Plan,
    *,
    actor: Actor = SYSTEM,
    model: ShippedModel | None = None,
    settings: Settings | None = None,
) -> bool:
    """Classify the plan's outcomes and set its flag; returns whether it is flagged."""
    require(actor, "qa_lead", "admin", "auditor", doing="classify plan outcomes")
    model = model or load_model()
    _apply(session, actor, model, [plan], settings)
    return bool(plan.weak_flag)


def flag_all_plans(
    session: Session,
    *,
    actor: Actor = SYSTEM,
    model: ShippedModel | None = None,
    settings: Settings | None = None,
) -> FlagSummary:
    """Flag every plan that still holds its text, classifying in batches."""
    require(actor, "qa_lead", "admin", doing="classify all plans")
    model = model or load_model()
    ids = session.scalars(
        select(Plan.id).where(Plan.text_purged_at.is_(None)).order_by(Plan.id)
    ).all()
    flagged = 0
    for start in range(0, len(ids), BATCH_SIZE):
        plans = session.scalars(
            select(Plan)
            .where(Plan.id.in_(ids[start : start + BATCH_SIZE]))
            .options(selectinload(Plan.outcomes))
            .order_by(Plan.id)
        ).all()
        _apply(session, actor, model, plans, settings)
        flagged += sum(bool(plan.weak_flag) for plan in plans)
    purged = session.scalar(
        select(func.count()).select_from(Plan).where(Plan.text_purged_at.is_not(None))
    )
    return FlagSummary(plans=len(ids), flagged=flagged, skipped_purged=purged)


def _apply(session, actor, model, plans, settings) -> None:
    live = [plan for plan in plans if plan.text_purged_at is None]
    outcomes = [outcome for plan in live for outcome in plan.outcomes]
    verdicts = model.classify([o.text for o in outcomes], [o.timescale for o in outcomes])
    verdict_of = dict(zip(map(id, outcomes), verdicts))
    for plan in live:
        plan_verdicts = []
        for outcome in plan.outcomes:
            verdict = verdict_of[id(outcome)]
            outcome.weak = verdict.weak
            outcome.p_weak = round(verdict.p_weak, 4)
            outcome.reasons = verdict.reasons_text
            outcome.model_version = model.version
            plan_verdicts.append(verdict)
        flag = plan_flag_from_settings(plan_verdicts, settings)
        previous = plan.weak_flag
        plan.weak_flag = flag.flagged
        plan.weak_flag_reason = flag.reason
        plan.weak_flag_model = model.version
        audit_log.record(
            session,
            actor,
            "flag",
            "plan",
            plan.id,
            field="weak_flag",
            old=previous,
            new=flag.flagged,
            detail={
                "model": model.version,
                "outcomes": len(plan_verdicts),
                "weak": sum(verdict.weak for verdict in plan_verdicts),
            },
        )

"""Weak-outcome flags: classify a plan's section E outcomes, store each verdict, and store
the plan-level flag with the model version that produced it.

Every imported plan is flagged in the transaction that saves it (``flag_new_plan``);
``flag_stored_plans`` re-checks stored plans after a new model ships. Like the other
services these add to the caller's transaction and leave the commit to the caller. Plans
whose text has been purged keep the flags they had.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from qa_app.classifier import OutcomeVerdict, ShippedModel, load_model, plan_flag_from_settings
from qa_app.services import event_log
from qa_app.services.access import SYSTEM, Action, Actor, require
from qa_app.services.errors import NotFound
from qa_app.services.events import FlagRun, PlanFlagged
from qa_app.services.plan_checks import check_plan
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import Plan

BATCH_SIZE = 200


@dataclass(frozen=True)
class FlagSummary:
    plans: int = 0
    flagged: int = 0
    skipped_purged: int = 0
    model_version: str = ""


def outcome_verdicts(model: ShippedModel, outcomes: Sequence) -> list[OutcomeVerdict]:
    """One verdict per outcome (an outcome as read, or as stored: anything with ``text``
    and ``timescale``); the outcome's own timescale field goes to the model with its text."""
    return model.classify(
        [outcome.text for outcome in outcomes], [outcome.timescale for outcome in outcomes]
    )


def flag_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    model: ShippedModel | None = None,
    settings: Settings = DEFAULTS,
) -> bool:
    """Classify the plan's outcomes and set its flag; returns whether it is flagged."""
    require(actor, Action.FLAG_PLAN)
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("That plan does not exist.")
    _apply(session, actor, model or load_model(), [plan], settings)
    return bool(plan.weak_flag)


def flag_new_plan(
    session: Session,
    actor: Actor,
    plan: Plan,
    *,
    model: ShippedModel | None = None,
    settings: Settings = DEFAULTS,
) -> None:
    """Flag a plan being imported, in the import's own transaction (the importer's
    permission has been checked by the import)."""
    _apply(session, actor, model or load_model(), [plan], settings)


def flag_all_plans(
    session: Session,
    *,
    actor: Actor = SYSTEM,
    model: ShippedModel | None = None,
    settings: Settings = DEFAULTS,
) -> FlagSummary:
    """Flag every plan that still holds its text, classifying in batches."""
    return flag_stored_plans(session, actor, model=model, settings=settings)


def flag_stored_plans(
    session: Session,
    actor: Actor,
    *,
    model_changed_only: bool = False,
    model: ShippedModel | None = None,
    settings: Settings = DEFAULTS,
    progress: Callable[[int, int], None] | None = None,
) -> FlagSummary:
    """Re-check stored plans that still hold their text: all of them, or only those whose
    flag came from another model version or from none. The run itself is logged."""
    require(actor, Action.FLAG_ALL_PLANS)
    model = model or load_model()
    query = select(Plan.id).where(Plan.text_purged_at.is_(None))
    if model_changed_only:
        query = query.where(
            or_(Plan.weak_flag_model.is_(None), Plan.weak_flag_model != model.version)
        )
    ids = session.scalars(query.order_by(Plan.id)).all()
    flagged = 0
    for start in range(0, len(ids), BATCH_SIZE):
        plans = session.scalars(
            select(Plan)
            .where(Plan.id.in_(ids[start : start + BATCH_SIZE]))
            .options(
                selectinload(Plan.outcomes),
                selectinload(Plan.provision),
                selectinload(Plan.sections),
            )
            .order_by(Plan.id)
        ).all()
        _apply(session, actor, model, plans, settings)
        flagged += sum(bool(plan.weak_flag) for plan in plans)
        if progress:
            progress(min(start + BATCH_SIZE, len(ids)), len(ids))
    purged = session.execute(
        select(func.count()).select_from(Plan).where(Plan.text_purged_at.is_not(None))
    ).scalar_one()
    summary = FlagSummary(len(ids), flagged, purged, model.version)
    event_log.record(
        session,
        actor,
        FlagRun(
            detail={
                "model": model.version,
                "scope": "model-changed" if model_changed_only else "all",
                "plans": summary.plans,
                "flagged": summary.flagged,
                "skipped_purged": summary.skipped_purged,
            },
        ),
    )
    return summary


def _apply(session, actor, model, plans, settings) -> None:
    live = [plan for plan in plans if plan.text_purged_at is None]
    outcomes = [outcome for plan in live for outcome in plan.outcomes]
    verdict_of = dict(zip(map(id, outcomes), outcome_verdicts(model, outcomes)))
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
        checks = check_plan(session, plan, settings=settings)
        previous = plan.weak_flag
        plan.weak_flag = flag.flagged or checks.flagged
        plan.weak_flag_reason = "; ".join([flag.reason, *checks.reasons])
        plan.weak_flag_model = model.version
        event_log.record(
            session,
            actor,
            PlanFlagged(
                plan.id,
                old=previous,
                new=flag.flagged,
                detail={
                    "model": model.version,
                    "outcomes": len(plan_verdicts),
                    "weak": sum(verdict.weak for verdict in plan_verdicts),
                },
            ),
        )

"""Plans: listing with filters, reading one plan, and creating plans.

Auditors see only the plans behind the audits assigned to them; QA leads see all;
training and admin-only users never see plan text.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from qa_app.services import event_log
from qa_app.services.access import Action, Actor, require, sees_all
from qa_app.services.errors import NotFound
from qa_app.services.events import PlanViewed
from qa_app.services.text_input import FILTER_LIMIT, clean_text
from qa_app.store.models import Audit, Plan

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(prefix: str = "PLN") -> str:
    """A pseudonymous reference that carries nothing about the child."""
    return f"{prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


@dataclass(frozen=True)
class PlanFilters:
    team: str | None = None
    primary_need: str | None = None
    key_stage: str | None = None
    setting_type: str | None = None
    plan_type: str | None = None
    reference: str | None = None
    flagged_only: bool = False


def visible_plans_query(actor: Actor):
    """Plans this actor may see, as a select to refine further."""
    require(actor, Action.SEE_PLANS)
    query = select(Plan)
    if not sees_all(actor, Action.SEE_PLANS):
        assigned = exists().where(Audit.plan_id == Plan.id, Audit.auditor_id == actor.user_id)
        query = query.where(assigned)
    return query


def _filtered(query, filters: PlanFilters):
    for name in ("team", "primary_need", "key_stage", "setting_type", "plan_type"):
        value = getattr(filters, name)
        if value:
            value = clean_text(
                value, f"The {name.replace('_', ' ')} filter", FILTER_LIMIT, single_line=True
            )
            query = query.where(getattr(Plan, name) == value)
    reference = clean_text(
        filters.reference, "The reference filter", FILTER_LIMIT, single_line=True
    ).strip()
    if reference:
        query = query.where(Plan.reference.contains(reference.upper(), autoescape=True))
    if filters.flagged_only:
        query = query.where(Plan.weak_flag.is_(True))
    return query


def list_plans(
    session: Session,
    actor: Actor,
    filters: PlanFilters = PlanFilters(),
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[Plan], int]:
    query = _filtered(visible_plans_query(actor), filters)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.scalars(
        query.order_by(Plan.created_at.desc(), Plan.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total


def filter_options(session: Session, actor: Actor) -> dict[str, list[str]]:
    """Distinct values present in the plans this actor can see, for filter widgets."""
    base = visible_plans_query(actor).subquery()
    options = {}
    for name in ("team", "primary_need", "key_stage", "setting_type", "plan_type"):
        column = base.c[name]
        values = session.scalars(
            select(column).where(column.is_not(None)).distinct().order_by(column)
        )
        options[name] = list(values)
    return options


def get_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    """One plan with its text, for an actor allowed to read it. Every view is logged."""
    query = (
        visible_plans_query(actor)
        .where(Plan.id == plan_id)
        .options(
            selectinload(Plan.sections), selectinload(Plan.outcomes), selectinload(Plan.provision)
        )
    )
    plan = session.scalar(query)
    if plan is None:
        raise NotFound("That plan does not exist, or it is not one of yours.")
    event_log.record(session, actor, PlanViewed(plan.id))
    return plan

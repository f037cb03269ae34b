"""Provision and golden-thread figures for the dashboards and learning reports: the share
of provision items specified and the thread gaps per plan, by team, primary need and key
stage, with small numbers suppressed; and the commonest gaps.

Counted over stored plans whose provision has been checked, narrowed by the dashboard's
plan filters (team, need, key stage, setting, plan type)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from qa_app.services.access import Action, Actor, require
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import Plan, ProvisionItem, ThreadGap

DIMENSIONS = {"team": "Team", "primary_need": "Primary need", "key_stage": "Key stage"}
PLAN_FILTERS = ("team", "primary_need", "key_stage", "setting_type", "plan_type")
COLUMNS = ["group", "plans", "items", "specified_pct", "gaps_per_plan", "suppressed"]


@dataclass(frozen=True)
class ChecksSummary:
    suppression_size: int
    overall: dict
    by: dict[str, pd.DataFrame]
    commonest_gaps: pd.DataFrame


def _conditions(filters) -> list:
    conditions = [Plan.thread.is_not(None)]
    for name in PLAN_FILTERS:
        value = getattr(filters, name, None) if filters is not None else None
        if value is not None:
            conditions.append(getattr(Plan, name) == value)
    return conditions


def _per_plan(session: Session, conditions) -> pd.DataFrame:
    items = (
        select(
            ProvisionItem.plan_id,
            func.count().label("item_count"),
            func.sum(case((ProvisionItem.weak.is_(False), 1), else_=0)).label("specified"),
        )
        .where(ProvisionItem.model_version.is_not(None))
        .group_by(ProvisionItem.plan_id)
        .subquery()
    )
    gaps = (
        select(ThreadGap.plan_id, func.count().label("gaps")).group_by(ThreadGap.plan_id).subquery()
    )
    rows = session.execute(
        select(
            Plan.id,
            Plan.team,
            Plan.primary_need,
            Plan.key_stage,
            func.coalesce(items.c.item_count, 0),
            func.coalesce(items.c.specified, 0),
            func.coalesce(gaps.c.gaps, 0),
        )
        .outerjoin(items, items.c.plan_id == Plan.id)
        .outerjoin(gaps, gaps.c.plan_id == Plan.id)
        .where(*conditions)
    ).all()
    return pd.DataFrame(
        rows, columns=["plan_id", "team", "primary_need", "key_stage", "items", "specified", "gaps"]
    )


def _row(group: str, frame: pd.DataFrame, k: int) -> dict:
    plans, items = len(frame), int(frame["items"].sum())
    suppressed = plans < k
    return {
        "group": group,
        "plans": plans,
        "items": items,
        "specified_pct": None
        if suppressed or not items
        else round(100 * frame["specified"].sum() / items, 1),
        "gaps_per_plan": None if suppressed or not plans else round(float(frame["gaps"].mean()), 2),
        "suppressed": suppressed,
    }


def checks_summary(
    session: Session, actor: Actor, filters=None, *, settings: Settings = DEFAULTS
) -> ChecksSummary:
    require(actor, Action.SEE_DASHBOARDS)
    conditions = _conditions(filters)
    per_plan = _per_plan(session, conditions)
    k = settings.suppression_size
    by = {}
    for name in DIMENSIONS:
        groups = per_plan.assign(**{name: per_plan[name].fillna("not recorded")}).groupby(
            name, sort=True
        )
        by[name] = pd.DataFrame(
            [_row(str(value), frame, k) for value, frame in groups], columns=COLUMNS
        )
    kinds = session.execute(
        select(ThreadGap.kind, func.count(), func.count(func.distinct(ThreadGap.plan_id)))
        .join(Plan, Plan.id == ThreadGap.plan_id)
        .where(*conditions)
        .group_by(ThreadGap.kind)
        .order_by(func.count().desc(), ThreadGap.kind)
    ).all()
    plans = len(per_plan)
    commonest = pd.DataFrame(
        [
            (kind, count, with_gap, None if plans < k else round(100 * with_gap / plans, 1))
            for kind, count, with_gap in kinds
        ],
        columns=["kind", "gaps", "plans_with_gap", "plans_pct"],
    )
    return ChecksSummary(k, _row("all plans", per_plan, k), by, commonest)

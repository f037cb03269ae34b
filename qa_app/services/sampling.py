"""Drawing an audit sample and assigning it.

A QA lead draws plans at random (seeded, so the same seed gives the same sample),
stratified by team, primary need, key stage and/or plan type (each group gets its share of
the sample, the largest remainders rounding up), or picks them by hand. Each plan is then
assigned to one auditor per chosen agency, in turn, and a share of plans is double-rated
blind by a second auditor of the same agency.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.domain.plan_facts import AGENCIES
from qa_app.services import audit_log
from qa_app.services.access import Action, Actor, require
from qa_app.services.errors import InvalidInput
from qa_app.services.plans import PlanFilters, visible_plans_query
from qa_app.services.rubrics import get_version, mark_used
from qa_app.services.text_input import SAMPLE_NAME_LIMIT, clean_text
from qa_app.store.models import Audit, AuditSample, Plan, User

METHODS = {"random": "Random", "stratified": "Stratified", "manual": "Picked by hand"}
STRATA = {"team": "Team", "primary_need": "Primary need", "key_stage": "Key stage", "plan_type": "Plan type"}


@dataclass(frozen=True)
class SampleRequest:
    name: str
    method: str
    rubric_version_id: int
    assignees: dict[str, list[int]]
    size: int = 0
    seed: int | None = None
    strata: tuple[str, ...] = ()
    plan_ids: tuple[int, ...] = ()
    filters: PlanFilters = field(default_factory=PlanFilters)
    double_rate_pct: float = 0.0
    due_date: date | None = None


@dataclass(frozen=True)
class DrawnSample:
    sample_id: int
    plan_ids: list[int]
    audit_ids: list[int]
    double_rated_plan_ids: list[int]


def auditors_by_agency(session: Session, actor: Actor) -> dict[str, list[tuple[int, str]]]:
    """Active auditors of each agency, as (user id, display name)."""
    require(actor, Action.ASSIGN_AUDITS)
    found: dict[str, list[tuple[int, str]]] = {agency: [] for agency in AGENCIES}
    users = session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.display_name))
    for user in users:
        if "auditor" in user.roles and user.agency in found:
            found[user.agency].append((user.id, user.display_name))
    return found


def _matching(query, filters: PlanFilters):
    for name in ("team", "primary_need", "key_stage", "setting_type", "plan_type"):
        value = getattr(filters, name)
        if value:
            query = query.where(getattr(Plan, name) == value)
    return query


def _stratum(plan: Plan, strata: tuple[str, ...]) -> tuple:
    return tuple(getattr(plan, name) for name in strata)


def _allocate(group_sizes: dict[tuple, int], total: int) -> dict[tuple, int]:
    """Proportional shares of ``total`` by group size, largest remainders rounding up."""
    population = sum(group_sizes.values())
    exact = {key: total * size / population for key, size in group_sizes.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = total - sum(shares.values())
    by_remainder = sorted(group_sizes, key=lambda key: (exact[key] - shares[key], group_sizes[key]), reverse=True)
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def choose_plans(session: Session, actor: Actor, request: SampleRequest) -> list[int]:
    """The plan ids a request would draw, in a stable order, without writing anything."""
    require(actor, Action.DRAW_SAMPLES)
    if request.method == "manual":
        ids = list(dict.fromkeys(request.plan_ids))
        found = set(session.scalars(select(Plan.id).where(Plan.id.in_(ids))))
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput(f"{len(missing)} of the chosen plans do not exist.")
        return ids
    if request.method not in METHODS:
        raise InvalidInput(f"Unknown sampling method '{request.method}'.")
    if request.size < 1:
        raise InvalidInput("The sample needs at least one plan.")
    candidates = list(session.scalars(_matching(visible_plans_query(actor), request.filters).order_by(Plan.id)))
    if len(candidates) < request.size:
        raise InvalidInput(f"Only {len(candidates)} plans match; the sample cannot hold {request.size}.")
    rng = random.Random(request.seed)
    if request.method == "random":
        return sorted(p.id for p in rng.sample(candidates, request.size))
    strata = tuple(request.strata)
    if not strata or any(name not in STRATA for name in strata):
        raise InvalidInput("Choose what to stratify by: team, primary need, key stage or plan type.")
    groups: dict[tuple, list[Plan]] = defaultdict(list)
    for plan in candidates:
        groups[_stratum(plan, strata)].append(plan)
    ordered = sorted(groups, key=lambda key: tuple("" if v is None else str(v) for v in key))
    shares = _allocate({key: len(groups[key]) for key in ordered}, request.size)
    chosen = []
    for key in ordered:
        chosen.extend(p.id for p in rng.sample(groups[key], shares[key]))
    return sorted(chosen)


def preview(session: Session, actor: Actor, request: SampleRequest) -> list[Plan]:
    """The plans a request would draw, to show before anything is assigned."""
    ids = choose_plans(session, actor, request)
    return list(session.scalars(select(Plan).where(Plan.id.in_(ids)).order_by(Plan.id)))


def draw_sample(session: Session, actor: Actor, request: SampleRequest) -> DrawnSample:
    """Draw the plans, store the sample, and create one draft audit per plan and chosen
    agency (two for double-rated plans)."""
    name = clean_text(request.name, "The sample's name", SAMPLE_NAME_LIMIT, single_line=True).strip()
    if not name:
        raise InvalidInput("Give the sample a name.")
    if not 0 <= request.double_rate_pct <= 100:
        raise InvalidInput("The double-rated share must be between 0 and 100 per cent.")
    assignees = {agency: list(ids) for agency, ids in request.assignees.items() if ids}
    if not assignees:
        raise InvalidInput("Choose at least one auditor.")
    known = auditors_by_agency(session, actor)
    for agency, ids in assignees.items():
        allowed = {user_id for user_id, _ in known.get(agency, [])}
        if not set(ids) <= allowed:
            raise InvalidInput(f"Only {AGENCIES.get(agency, agency).lower()} auditors can take {AGENCIES.get(agency, agency).lower()} audits.")
    plan_ids = choose_plans(session, actor, request)
    version = get_version(session, request.rubric_version_id)
    mark_used(version)

    sample = AuditSample(
        name=name, method=request.method, seed=request.seed,
        rubric_version_id=version.id, double_rate_pct=request.double_rate_pct,
        due_date=request.due_date, created_by_id=actor.user_id,
    )
    session.add(sample)
    session.flush()
    rng = random.Random(request.seed)
    double_count = round(len(plan_ids) * request.double_rate_pct / 100)
    doubled = set(rng.sample(plan_ids, double_count))

    audits: list[Audit] = []
    turn = {agency: 0 for agency in assignees}
    for plan_id in plan_ids:
        for agency, ids in assignees.items():
            first = ids[turn[agency] % len(ids)]
            turn[agency] += 1
            double = plan_id in doubled and len(ids) > 1
            raters = [first, ids[turn[agency] % len(ids)]] if double else [first]
            for order, auditor_id in enumerate(raters, start=1):
                audits.append(Audit(
                    plan_id=plan_id, rubric_version_id=version.id, sample_id=sample.id,
                    auditor_id=auditor_id, agency=agency, double_rated=double,
                    rating_order=order, due_date=request.due_date,
                ))
    session.add_all(audits)
    session.flush()
    audit_log.record(session, actor, "create", "audit_sample", sample.id, detail={
        "method": request.method, "seed": request.seed, "plans": len(plan_ids),
        "audits": len(audits), "double_rate_pct": request.double_rate_pct,
        "rubric_version": version.id, "strata": list(request.strata),
    })
    for audit in audits:
        audit_log.record(session, actor, "assign", "audit", audit.id, field="auditor_id",
                         new=audit.auditor_id, detail={"plan": audit.plan_id, "agency": audit.agency,
                                                       "rating_order": audit.rating_order})
    return DrawnSample(
        sample_id=sample.id, plan_ids=plan_ids, audit_ids=[a.id for a in audits],
        double_rated_plan_ids=sorted({a.plan_id for a in audits if a.double_rated}),
    )

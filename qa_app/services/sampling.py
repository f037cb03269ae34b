"""Drawing an audit sample and assigning it.

A QA lead draws plans at random (seeded, so the same seed gives the same sample),
stratified by team, primary need, key stage and/or plan type (each group gets its share of
the sample, the largest remainders rounding up), or picks them by hand. Each plan is then
assigned to one auditor per chosen agency, in turn, and a share of plans is double-rated
blind by a second auditor of the same agency.

Nothing is dropped silently. A random or stratified draw leaves out plans that already
have an audit in progress, and says how many; nobody is given a second open audit of the
same plan; and blind double rating asked of an agency with only one chosen auditor is
said before drawing (``sample_warnings``) and refused when no plan could be double-rated.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.domain.plan_facts import AGENCIES
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, require
from qa_app.services.errors import InvalidInput
from qa_app.services.events import AuditAssigned, SampleDrawn
from qa_app.services.plans import PlanFilters, visible_plans_query
from qa_app.services.rubrics import get_version, mark_used, rubric_of
from qa_app.services.text_input import SAMPLE_NAME_LIMIT, clean_text
from qa_app.store.models import Audit, AuditSample, Plan, User

METHODS = {"random": "Random", "stratified": "Stratified", "manual": "Picked by hand"}
STRATA = {
    "team": "Team",
    "primary_need": "Primary need",
    "key_stage": "Key stage",
    "plan_type": "Plan type",
}


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
    users = session.scalars(
        select(User).where(User.is_active.is_(True)).order_by(User.display_name)
    )
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
    by_remainder = sorted(
        group_sizes, key=lambda key: (exact[key] - shares[key], group_sizes[key]), reverse=True
    )
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def _open_audits(session: Session, plan_ids=None) -> dict[int, set[int]]:
    """Plans with an audit still in progress: plan id → the auditors holding one."""
    query = select(Audit.plan_id, Audit.auditor_id).where(Audit.status == "draft")
    if plan_ids is not None:
        query = query.where(Audit.plan_id.in_(list(plan_ids)))
    held: dict[int, set[int]] = defaultdict(set)
    for plan_id, auditor_id in session.execute(query):
        held[plan_id].add(auditor_id)
    return held


def _agency_name(agency: str) -> str:
    return AGENCIES.get(agency, agency).lower()


def sample_warnings(session: Session, actor: Actor, request: SampleRequest) -> list[str]:
    """What a draw would not do as asked, in plain words, to show before drawing: blind
    double rating an agency cannot give, a share that rounds to no plan, plans left out
    or picked by hand that already have an audit in progress."""
    require(actor, Action.DRAW_SAMPLES)
    warnings = []
    chosen = {agency: ids for agency, ids in request.assignees.items() if ids}
    if request.double_rate_pct > 0 and chosen:
        available = {
            agency: len(people) for agency, people in auditors_by_agency(session, actor).items()
        }
        for agency, ids in chosen.items():
            if len(set(ids)) < 2:
                more = available.get(agency, 0) - len(set(ids))
                warnings.append(
                    f"Blind double rating needs two {_agency_name(agency)} auditors, and only one is chosen: "
                    f"no {_agency_name(agency)} audit will be double-rated. "
                    + (
                        f"Choose a second {_agency_name(agency)} auditor ({more} more available)."
                        if more > 0
                        else f"Add a second {_agency_name(agency)} auditor account first (User accounts page)."
                    )
                )
    try:
        plan_ids = choose_plans(session, actor, request)
    except InvalidInput:
        return warnings
    if (
        request.double_rate_pct > 0
        and plan_ids
        and round(len(plan_ids) * request.double_rate_pct / 100) == 0
    ):
        warnings.append(
            f"{request.double_rate_pct:g} % of {len(plan_ids)} plan(s) rounds to no plan: none will be "
            "double-rated. Raise the share or the sample size."
        )
    if request.method == "manual":
        busy = _open_audits(session, plan_ids)
        if busy:
            warnings.append(
                f"{len(busy)} of the chosen plans already have an audit in progress; each gets a "
                "different auditor from the one holding it."
            )
    else:
        left_out = _left_out_count(session, actor, request)
        if left_out:
            warnings.append(
                f"{left_out} matching plan(s) are left out: they already have an audit in progress."
            )
    return warnings


def _candidates_query(actor: Actor, request: SampleRequest):
    return _matching(visible_plans_query(actor), request.filters)


def _left_out_count(session: Session, actor: Actor, request: SampleRequest) -> int:
    """Plans the draw would take but for an audit in progress (of the plans it can draw
    from at all: an annual-review draw counts annual-review plans only)."""
    request = _drawn_from(session, request)
    busy = select(Audit.plan_id).where(Audit.status == "draft")
    matching = _candidates_query(actor, request).where(Plan.id.in_(busy)).subquery()
    return session.scalar(select(func.count()).select_from(matching)) or 0


def _reviews_only(session: Session, request: SampleRequest) -> bool:
    """An annual-review rubric audits how a review was run, so it is drawn only from
    plans that come from an annual review (not from new plans)."""
    version = get_version(session, request.rubric_version_id)
    return rubric_of(version).kind == "annual_review"


def _drawn_from(session: Session, request: SampleRequest) -> SampleRequest:
    """The request with its filters narrowed to the plans its rubric can be drawn from."""
    if not _reviews_only(session, request):
        return request
    if request.filters.plan_type not in (None, "annual_review"):
        raise InvalidInput(
            "An annual-review audit is drawn only from plans that come from an annual review."
        )
    return replace(request, filters=replace(request.filters, plan_type="annual_review"))


def choose_plans(session: Session, actor: Actor, request: SampleRequest) -> list[int]:
    """The plan ids a request would draw, in a stable order, without writing anything. A
    random or stratified draw takes only plans with no audit in progress."""
    require(actor, Action.DRAW_SAMPLES)
    reviews_only = _reviews_only(session, request)
    if request.method == "manual":
        ids = list(dict.fromkeys(request.plan_ids))
        found = dict(session.execute(select(Plan.id, Plan.plan_type).where(Plan.id.in_(ids))).all())
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput(f"{len(missing)} of the chosen plans do not exist.")
        if reviews_only and any(found[i] != "annual_review" for i in ids):
            raise InvalidInput(
                "An annual-review audit needs plans that come from an annual review; "
                "some of the chosen plans are new plans."
            )
        return ids
    request = _drawn_from(session, request)
    if request.method not in METHODS:
        raise InvalidInput(f"Unknown sampling method '{request.method}'.")
    if request.size < 1:
        raise InvalidInput("The sample needs at least one plan.")
    busy = select(Audit.plan_id).where(Audit.status == "draft")
    candidates = list(
        session.scalars(
            _candidates_query(actor, request).where(Plan.id.not_in(busy)).order_by(Plan.id)
        )
    )
    if len(candidates) < request.size:
        left_out = _left_out_count(session, actor, request)
        in_progress = f" ({left_out} more have an audit in progress)" if left_out else ""
        raise InvalidInput(
            f"Only {len(candidates)} plans match{in_progress}; the sample cannot hold {request.size}."
        )
    rng = random.Random(request.seed)
    if request.method == "random":
        return sorted(p.id for p in rng.sample(candidates, request.size))
    strata = tuple(request.strata)
    if not strata or any(name not in STRATA for name in strata):
        raise InvalidInput(
            "Choose what to stratify by: team, primary need, key stage or plan type."
        )
    groups: dict[tuple, list[Plan]] = defaultdict(list)
    for plan in candidates:
        groups[_stratum(plan, strata)].append(plan)
    ordered = sorted(groups, key=lambda key: tuple("" if v is None else str(v) for v in key))
    shares = _allocate({key: len(groups[key]) for key in ordered}, request.size)
    chosen: list[int] = []
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
    name = clean_text(
        request.name, "The sample's name", SAMPLE_NAME_LIMIT, single_line=True
    ).strip()
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
            raise InvalidInput(
                f"Only {AGENCIES.get(agency, agency).lower()} auditors can take {AGENCIES.get(agency, agency).lower()} audits."
            )
    plan_ids = choose_plans(session, actor, request)
    if request.double_rate_pct > 0 and not any(len(set(ids)) > 1 for ids in assignees.values()):
        raise InvalidInput(
            "Blind double rating needs two auditors of the same agency, and each chosen agency has one: "
            "no plan could be double-rated. Choose a second auditor, or set the double-rated share to 0 %."
        )
    held = _open_audits(session, plan_ids)
    version = get_version(session, request.rubric_version_id)
    mark_used(version)

    sample = AuditSample(
        name=name,
        method=request.method,
        seed=request.seed,
        rubric_version_id=version.id,
        double_rate_pct=request.double_rate_pct,
        due_date=request.due_date,
        created_by_id=actor.user_id,
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
            free = [
                user_id for user_id in dict.fromkeys(ids) if user_id not in held.get(plan_id, set())
            ]
            if not free:
                reference = session.get_one(Plan, plan_id).reference
                raise InvalidInput(
                    f"Every chosen {_agency_name(agency)} auditor already has an audit of plan "
                    f"{reference} in progress. Choose another auditor, or leave that plan out."
                )
            first = free[turn[agency] % len(free)]
            turn[agency] += 1
            double = plan_id in doubled and len(free) > 1
            raters = [first, free[turn[agency] % len(free)]] if double else [first]
            for order, auditor_id in enumerate(raters, start=1):
                audits.append(
                    Audit(
                        plan_id=plan_id,
                        rubric_version_id=version.id,
                        sample_id=sample.id,
                        auditor_id=auditor_id,
                        agency=agency,
                        double_rated=double,
                        rating_order=order,
                        due_date=request.due_date,
                    )
                )
    session.add_all(audits)
    session.flush()
    event_log.record(
        session,
        actor,
        SampleDrawn(
            sample.id,
            detail={
                "method": request.method,
                "seed": request.seed,
                "plans": len(plan_ids),
                "audits": len(audits),
                "double_rate_pct": request.double_rate_pct,
                "rubric_version": version.id,
                "strata": list(request.strata),
            },
        ),
    )
    for audit in audits:
        event_log.record(
            session,
            actor,
            AuditAssigned(
                audit.id,
                new=audit.auditor_id,
                detail={
                    "plan": audit.plan_id,
                    "agency": audit.agency,
                    "rating_order": audit.rating_order,
                },
            ),
        )
    return DrawnSample(
        sample_id=sample.id,
        plan_ids=plan_ids,
        audit_ids=[a.id for a in audits],
        double_rated_plan_ids=sorted({a.plan_id for a in audits if a.double_rated}),
    )

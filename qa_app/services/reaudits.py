"""Versions of a plan and what re-auditing them shows.

A plan can be imported as a new version of an earlier one (an amended plan, or the plan
after an annual review): the earlier plan is named by the app's pseudonymous reference,
never by anything about the child, and both belong to one case. A re-audit of a new
version is shown beside the latest finished audit of an earlier version, criterion by
criterion, and the dashboard shows the impact: of the cases audited on two versions,
the share whose grade improved and the mean change, by team and by the kinds of action
taken after the earlier audit.

A version's grade, for each agency, is that of its latest finished audit by that agency
(submitted or moderated). A case counts once: its earliest audited version against its
latest, the change averaged over the agencies that audited both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from qa_app.domain.rubric import Criterion
from qa_app.services.access import Action, Actor, allowed, require
from qa_app.services.actions import KINDS
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.rubrics import rubric_of
from qa_app.services.score_rows import stored_level
from qa_app.services.text_input import FILTER_LIMIT, clean_text
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import Audit, ImprovementAction, Plan, RubricVersion

FINISHED = ("submitted", "moderated")


def case_of(plan: Plan) -> int:
    """The id that stands for the plan's case: its first version's."""
    return plan.case_plan_id or plan.id


def earlier_version(session: Session, reference: str) -> Plan:
    """The stored plan a new import is a version of, by its pseudonymous reference;
    ``InvalidInput`` naming the reference when there is none."""
    cleaned = (
        clean_text(reference, "The reference of the earlier plan", FILTER_LIMIT, single_line=True)
        .strip()
        .upper()
    )
    if not cleaned:
        raise InvalidInput("Give the reference of the plan this is a version of.")
    plan = session.scalar(select(Plan).where(Plan.reference == cleaned))
    if plan is None:
        raise InvalidInput(
            f"No plan has the reference {cleaned}, so nothing was stored. "
            "Check the reference on the Plans page."
        )
    return plan


def next_version_number(session: Session, case_id: int) -> int:
    highest = session.scalar(
        select(func.max(Plan.version_number)).where(
            (Plan.id == case_id) | (Plan.case_plan_id == case_id)
        )
    )
    return (highest or 1) + 1


@dataclass(frozen=True)
class ComparedCriterion:
    criterion: Criterion
    earlier: int | str | None
    now: int | str | None

    @property
    def change(self) -> int | None:
        if isinstance(self.earlier, int) and isinstance(self.now, int):
            return self.now - self.earlier
        return None


@dataclass(frozen=True)
class Comparison:
    """The earlier audit beside the re-audit."""

    earlier_audit_id: int
    earlier_reference: str
    earlier_version: int
    earlier_grade: int | None
    earlier_submitted_at: object
    rows: list[ComparedCriterion]
    earlier_actions: list[str]


def _latest_finished(audits: list[Audit]) -> Audit | None:
    finished = [a for a in audits if a.status in FINISHED and a.submitted_at is not None]
    return max(finished, key=lambda a: (a.submitted_at, a.id), default=None)


def earlier_audit(session: Session, actor: Actor, audit_id: int) -> Comparison | None:
    """For an audit of a later version of a plan: the latest finished audit (on a rubric
    of the same key, by the same agency) of the nearest earlier version that has one,
    criterion by criterion beside this audit's levels. None for a first version, or when no earlier
    version was audited."""
    require(actor, Action.WORK_ON_AUDIT)
    audit = session.scalar(
        select(Audit)
        .where(Audit.id == audit_id)
        .options(
            selectinload(Audit.scores), selectinload(Audit.plan), selectinload(Audit.rubric_version)
        )
    )
    if audit is None or not allowed(actor, Action.WORK_ON_AUDIT, audit):
        raise NotFound("That audit does not exist, or it is not one of yours.")
    plan = audit.plan
    if plan.version_number <= 1:
        return None
    case_id = case_of(plan)
    earlier_plans = session.scalars(
        select(Plan)
        .where(
            ((Plan.id == case_id) | (Plan.case_plan_id == case_id)),
            Plan.version_number < plan.version_number,
        )
        .order_by(Plan.version_number.desc())
    ).all()
    key = audit.rubric_version.rubric_key
    for earlier_plan in earlier_plans:
        candidates = session.scalars(
            select(Audit)
            .join(RubricVersion, RubricVersion.id == Audit.rubric_version_id)
            .where(
                Audit.plan_id == earlier_plan.id,
                RubricVersion.rubric_key == key,
                Audit.agency == audit.agency,
            )
            .options(selectinload(Audit.scores))
        ).all()
        earlier = _latest_finished(list(candidates))
        if earlier is None:
            continue
        rubric = rubric_of(audit.rubric_version)
        before = {s.criterion_id: s for s in earlier.scores}
        now = {s.criterion_id: s for s in audit.scores}
        criteria = [c for c in rubric.criteria if c.id in before or c.id in now]
        kinds = session.scalars(
            select(ImprovementAction.kind).where(
                ImprovementAction.audit_id == earlier.id, ImprovementAction.status != "cancelled"
            )
        ).all()
        return Comparison(
            earlier_audit_id=earlier.id,
            earlier_reference=earlier_plan.reference,
            earlier_version=earlier_plan.version_number,
            earlier_grade=earlier.overall_grade,
            earlier_submitted_at=earlier.submitted_at,
            rows=[
                ComparedCriterion(c, stored_level(before.get(c.id)), stored_level(now.get(c.id)))
                for c in criteria
            ],
            earlier_actions=sorted({KINDS.get(k, k) for k in kinds}),
        )
    return None


@dataclass(frozen=True)
class ImpactRow:
    """One group of re-audited cases: how many, and (unless suppressed) the share that
    improved and the mean change in overall grade."""

    group: str
    cases: int
    improved: int | None
    improved_pct: float | None
    mean_change: float | None
    suppressed: bool


@dataclass(frozen=True)
class Impact:
    overall: ImpactRow
    by_team: list[ImpactRow]
    by_action_kind: list[ImpactRow]
    suppression_size: int


def _row(group: str, changes: list[float], k: int) -> ImpactRow:
    n = len(changes)
    if n < k:
        return ImpactRow(group, n, None, None, None, True)
    improved = sum(change > 0 for change in changes)
    return ImpactRow(
        group, n, improved, round(100 * improved / n, 1), round(sum(changes) / n, 2), False
    )


def reaudit_impact(
    session: Session,
    actor: Actor,
    *,
    team: str | None = None,
    since: date | None = None,
    until: date | None = None,
    rubric_key: str | None = None,
    settings: Settings = DEFAULTS,
) -> Impact:
    """Of the cases audited on an earlier and a later version: the share improved and the
    mean grade change, overall, by team (the later version's) and by each kind of action
    recorded on audits of the earlier versions (a case counts under every kind it had, or under
    "No action recorded"). Groups of fewer than the settings' ``suppression_size`` cases are suppressed.

    For a period, a case counts when its latest re-audit was submitted from ``since`` to
    ``until``, compared as it stood at ``until`` (later audits are left out); with
    ``rubric_key``, only audits on that rubric count."""
    require(actor, Action.SEE_DASHBOARDS)
    query = (
        select(
            Plan.id,
            Plan.case_plan_id,
            Plan.version_number,
            Plan.team,
            Audit.id,
            Audit.overall_grade,
            Audit.submitted_at,
            RubricVersion.rubric_key,
            Audit.agency,
        )
        .join(Audit, Audit.plan_id == Plan.id)
        .join(RubricVersion, RubricVersion.id == Audit.rubric_version_id)
        .where(
            Audit.status.in_(FINISHED),
            Audit.overall_grade.is_not(None),
            Audit.submitted_at.is_not(None),
        )
    )
    if rubric_key:
        query = query.where(RubricVersion.rubric_key == rubric_key)
    rows = [
        row
        for row in session.execute(query)
        if until is None or (row[6] is not None and row[6].date() <= until)
    ]
    # case -> (rubric, agency) -> version -> (submitted_at, audit id, grade, team)
    latest: dict[int, dict[tuple[str, str], dict[int, tuple]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    plan_versions: dict[int, dict[int, int]] = defaultdict(dict)  # case -> version -> plan id
    for (
        plan_id,
        case_plan_id,
        version,
        plan_team,
        audit_id,
        grade,
        submitted_at,
        rubric_key,
        agency,
    ) in rows:
        plan_versions[case_plan_id or plan_id][version] = plan_id
        versions = latest[case_plan_id or plan_id][(rubric_key, agency)]
        entry = (submitted_at, audit_id, grade, plan_team)
        if version not in versions or entry[:2] > versions[version][:2]:
            versions[version] = entry
    pairs = []  # (the plan ids of the earlier versions, change, team of the later version)
    for case_id, by_kind_of_audit in latest.items():
        compared = [
            (min(versions), max(versions), versions[min(versions)], versions[max(versions)])
            for versions in by_kind_of_audit.values()
            if len(versions) >= 2
        ]
        if not compared:
            continue
        if since is not None and max(last[0] for _, _, _, last in compared).date() < since:
            continue
        change = sum(last[2] - first[2] for _, _, first, last in compared) / len(compared)
        newest = max(later for _, later, _, _ in compared)
        earlier_plans = [
            plan_id for version, plan_id in plan_versions[case_id].items() if version < newest
        ]
        pairs.append((earlier_plans, change, compared[0][3][3] or "No team"))
    if team:
        pairs = [p for p in pairs if p[2] == team]
    kinds_by_plan: dict[int, set[str]] = defaultdict(set)
    earlier_ids = [plan_id for ids, _, _ in pairs for plan_id in ids]
    if earlier_ids:
        for plan_id, kind in session.execute(
            select(Audit.plan_id, ImprovementAction.kind)
            .join(Audit, Audit.id == ImprovementAction.audit_id)
            .where(Audit.plan_id.in_(earlier_ids), ImprovementAction.status != "cancelled")
        ):
            kinds_by_plan[plan_id].add(kind)
    k = settings.suppression_size
    by_team: dict[str, list[float]] = defaultdict(list)
    by_kind: dict[str, list[float]] = defaultdict(list)
    for ids, change, plan_team in pairs:
        by_team[plan_team].append(change)
        for kind in set().union(*(kinds_by_plan.get(plan_id, set()) for plan_id in ids)) or {
            "none"
        }:
            by_kind[kind].append(change)
    kind_names = KINDS | {"none": "No action recorded"}
    return Impact(
        overall=_row("All re-audited plans", [p[1] for p in pairs], k),
        by_team=[_row(name, changes, k) for name, changes in sorted(by_team.items())],
        by_action_kind=[
            _row(kind_names[kind], by_kind[kind], k) for kind in [*KINDS, "none"] if kind in by_kind
        ],
        suppression_size=k,
    )

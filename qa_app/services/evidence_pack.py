"""The inspection evidence pack: what a council's EHCP quality assurance did and found in
a period, gathered for an area SEND inspection.

Figures are aggregates over audits submitted in the period (first ratings, the agreed
grade standing in where a double-rated plan was moderated), with every share resting on
fewer than the suppression size withheld and small counts shown as "fewer than N". The
only case-level list, the cases available for deep dives, names plans by their
pseudonymous reference alone. Every string reaches the document through the report
scrubber (``reports.privacy``). QA leads only; each pack is logged as an export.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, aliased

from qa_app.domain.plan_facts import AGENCIES
from qa_app.reports.evidence import write_evidence_pack
from qa_app.reports.privacy import Scrubber
from qa_app.reports.writing import ReportWriter
from qa_app.services import actions as action_service
from qa_app.services import event_log, family_voice, reaudits
from qa_app.services.access import Action, Actor, require
from qa_app.services.dashboard_summary import count_if
from qa_app.services.errors import InvalidInput
from qa_app.services.events import EvidencePackExported
from qa_app.services.rubrics import rubric_of
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import (
    Audit,
    AuditSample,
    CriterionScore,
    Moderation,
    Plan,
    RubricVersion,
    User,
    utcnow,
)

FINISHED = ("submitted", "moderated")
GOOD = 3
DEEP_DIVE_ROWS = 40
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GRADE_LABELS = {4: "Outstanding", 3: "Good", 2: "Requires improvement", 1: "Inadequate"}
SAMPLE_METHODS = {
    "random": "Random",
    "stratified": "Stratified",
    "manual": "Picked by hand",
    None: "Not from a drawn sample",
}


@dataclass(frozen=True)
class EvidenceRequest:
    date_from: date
    date_to: date
    team: str | None = None


@dataclass(frozen=True)
class Share:
    """A count of ``hits`` out of ``n``; ``pct`` is None when suppressed (n below the size)."""

    n: int
    hits: int | None
    pct: float | None
    suppressed: bool

    @classmethod
    def of(cls, hits: int, n: int, k: int) -> Share:
        if n < k:
            return cls(n, None, None, True)
        return cls(n, hits, round(100 * hits / n, 1) if n else None, False)


@dataclass(frozen=True)
class MonthQuality:
    month: str  # YYYY-MM
    good: Share


@dataclass(frozen=True)
class DeepDiveCase:
    reference: str
    team: str | None
    latest_grade: str
    audited_on: date
    open_actions: int
    overdue_actions: int


@dataclass
class EvidenceFigures:
    request: EvidenceRequest
    generated_at: datetime
    suppression_size: int
    target_pct: float
    audits_by_rubric: list[tuple[str, int]]
    plans_audited: int
    auditors: int
    agencies: list[tuple[str, int]]
    samples: list[tuple[str, int, int]]  # method, samples, audits
    double_rated: Share
    quality: list[MonthQuality]
    quality_overall: Share
    grades: Counter
    pairs: Share  # double-rated pairs, exact agreement
    within_one: Share
    moderations_agreed: int
    actions_opened: int
    actions_done: int
    actions_overdue: int
    actions_by_kind: list[tuple[str, int, int, int]]  # kind, opened, done, overdue now
    impact: reaudits.Impact | None
    voice: family_voice.VoiceSummary
    voice_rows: list[tuple[str, str, Share]]  # statement, who, agree
    reviews: int
    review_good: Share
    review_criteria: list[tuple[str, str, Share]]  # section, title, met
    deep_dives: list[DeepDiveCase] = field(default_factory=list)
    deep_dives_total: int = 0


@dataclass(frozen=True)
class EvidencePack:
    filename: str
    content: bytes
    audits: int
    mime: str = DOCX_MIME


def _bounds(request: EvidenceRequest) -> tuple[datetime, datetime]:
    return (
        datetime.combine(request.date_from, time.min, tzinfo=UTC),
        datetime.combine(request.date_to + timedelta(days=1), time.min, tzinfo=UTC),
    )


def _kinds(session: Session) -> dict[int, tuple[str, str]]:
    """Each rubric version's (kind, title)."""
    return {v.id: (rubric_of(v).kind, v.title) for v in session.scalars(select(RubricVersion))}


def _finished_first_ratings(session: Session, request: EvidenceRequest):
    start, end = _bounds(request)
    agreed = aliased(Moderation)
    query = (
        select(
            Audit.id,
            Audit.plan_id,
            Audit.rubric_version_id,
            Audit.agency,
            Audit.auditor_id,
            Audit.sample_id,
            Audit.double_rated,
            Audit.submitted_at,
            Plan.reference,
            Plan.team,
            Audit.overall_grade.label("own_grade"),
            func.coalesce(agreed.overall_grade, Audit.overall_grade).label("grade"),
        )
        .join(Plan, Plan.id == Audit.plan_id)
        .outerjoin(agreed, (agreed.first_audit_id == Audit.id) & (agreed.status == "agreed"))
        .where(
            Audit.status.in_(FINISHED),
            Audit.rating_order == 1,
            Audit.submitted_at >= start,
            Audit.submitted_at < end,
        )
    )
    if request.team:
        query = query.where(Plan.team == request.team)
    return session.execute(query).all()


def _pairs(session: Session, rows, k: int) -> tuple[Share, Share]:
    first = {(r.plan_id, r.agency, r.rubric_version_id): r for r in rows if r.double_rated}
    if not first:
        return Share.of(0, 0, k), Share.of(0, 0, k)
    seconds = session.execute(
        select(Audit.plan_id, Audit.agency, Audit.rubric_version_id, Audit.overall_grade).where(
            Audit.rating_order == 2,
            Audit.status.in_(FINISHED),
            Audit.overall_grade.is_not(None),
            Audit.plan_id.in_({key[0] for key in first}),
        )
    ).all()
    exact = near = n = 0
    for plan_id, agency, version_id, second_grade in seconds:
        row = first.get((plan_id, agency, version_id))
        if row is None or row.own_grade is None:
            continue
        first_grade = row.own_grade
        n += 1
        exact += first_grade == second_grade
        near += abs(first_grade - second_grade) <= 1
    return Share.of(exact, n, k), Share.of(near, n, k)


def _months(first: date, last: date) -> list[str]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(f"{day:%Y-%m}")
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _review_criteria(
    session: Session, review_ids: list[int], versions: dict[int, RubricVersion], k: int
):
    if not review_ids:
        return []
    counts = session.execute(
        select(
            CriterionScore.criterion_id,
            func.count(CriterionScore.score),
            count_if(CriterionScore.score >= GOOD),
        )
        .where(CriterionScore.audit_id.in_(review_ids), CriterionScore.score.is_not(None))
        .group_by(CriterionScore.criterion_id)
    ).all()
    rubric = rubric_of(max(versions.values(), key=lambda v: v.id))
    by_id = {cid: (int(n), int(hits or 0)) for cid, n, hits in counts}
    return [
        (rubric.section_title(c.section), c.title, Share.of(by_id[c.id][1], by_id[c.id][0], k))
        for c in rubric.criteria
        if c.id in by_id
    ]


def _action_figures(session: Session, actor: Actor, request: EvidenceRequest, today: date):
    start, end = _bounds(request)
    views = [
        v
        for v in action_service.list_actions(session, actor, today=today)
        if not request.team or v.team == request.team
    ]
    opened = [v for v in views if start <= _aware(v.created_at) < end]
    done = [
        v
        for v in views
        if v.status == "done" and v.closed_at and start <= _aware(v.closed_at) < end
    ]
    overdue = [v for v in views if v.overdue]
    by_kind = []
    for kind, label in action_service.KINDS.items():
        counts = (
            sum(v.kind == kind for v in opened),
            sum(v.kind == kind for v in done),
            sum(v.kind == kind for v in overdue),
        )
        if any(counts):
            by_kind.append((label, *counts))
    open_by_plan: dict[int, list] = defaultdict(list)
    for view in views:
        if view.status == "open":
            open_by_plan[view.plan_id].append(view)
    return len(opened), len(done), len(overdue), by_kind, open_by_plan


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def gather_evidence(
    session: Session,
    actor: Actor,
    request: EvidenceRequest,
    *,
    today: date | None = None,
    settings: Settings = DEFAULTS,
) -> EvidenceFigures:
    require(actor, Action.MAKE_EVIDENCE_PACK)
    if request.date_from > request.date_to:
        raise InvalidInput("The pack's period must start on or before the day it ends.")
    if request.team is not None and request.team not in (teams := _teams(session)):
        raise InvalidInput(
            f"No plan belongs to a team called '{request.team}'. "
            f"The teams are: {', '.join(teams) or 'none yet'}."
        )
    k = settings.suppression_size
    today = today or date.today()
    kinds = _kinds(session)
    rows = _finished_first_ratings(session, request)
    plan_rows = [r for r in rows if kinds[r.rubric_version_id][0] == "plan"]
    review_rows = [r for r in rows if kinds[r.rubric_version_id][0] == "annual_review"]

    by_rubric = Counter(kinds[r.rubric_version_id][1] for r in rows)
    samples = {
        s.id: s
        for s in session.scalars(
            select(AuditSample).where(
                AuditSample.id.in_({r.sample_id for r in rows if r.sample_id})
            )
        )
    }
    sample_rows: dict[str, list] = defaultdict(lambda: [set(), 0])
    for r in rows:
        method = SAMPLE_METHODS.get(samples[r.sample_id].method if r.sample_id else None, "Other")
        sample_rows[method][0].add(r.sample_id)
        sample_rows[method][1] += 1
    all_audits = (
        session.execute(
            select(Audit.agency, Audit.auditor_id)
            .join(Plan, Plan.id == Audit.plan_id)
            .where(
                Audit.id.in_([r.id for r in rows])
                | (
                    Audit.status.in_(FINISHED)
                    & Audit.plan_id.in_({r.plan_id for r in rows})
                    & (Audit.rating_order == 2)
                )
            )
        ).all()
        if rows
        else []
    )
    agencies = Counter(agency for agency, _ in all_audits)

    graded = [r for r in plan_rows if r.grade is not None]
    monthly: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in graded:
        month = f"{r.submitted_at:%Y-%m}"
        monthly[month][0] += 1
        monthly[month][1] += r.grade >= GOOD
    quality = [
        MonthQuality(m, Share.of(monthly[m][1], monthly[m][0], k))
        for m in _months(request.date_from, request.date_to)
    ]
    exact, within_one = _pairs(session, plan_rows, k)
    start, end = _bounds(request)
    moderations = (
        session.scalar(
            select(func.count(Moderation.id))
            .join(Plan, Plan.id == Moderation.plan_id)
            .where(
                Moderation.status == "agreed",
                Moderation.agreed_at >= start,
                Moderation.agreed_at < end,
                *([Plan.team == request.team] if request.team else []),
            )
        )
        or 0
    )
    opened, done, overdue, by_kind, open_by_plan = _action_figures(session, actor, request, today)
    impact = reaudits.reaudit_impact(session, actor, team=request.team, settings=settings)
    voice = family_voice.voice_summary(
        session, actor, request.date_from, request.date_to, team=request.team, settings=settings
    )
    review_versions = {
        vid: session.get_one(RubricVersion, vid)
        for vid in {r.rubric_version_id for r in review_rows}
    }
    review_graded = [r for r in review_rows if r.grade is not None]

    latest: dict[int, Row] = {}
    for r in graded:
        if r.plan_id not in latest or (r.submitted_at, r.id) > (
            latest[r.plan_id].submitted_at,
            latest[r.plan_id].id,
        ):
            latest[r.plan_id] = r
    cases = [
        DeepDiveCase(
            reference=r.reference,
            team=r.team,
            latest_grade=GRADE_LABELS.get(r.grade, "Not graded"),
            audited_on=r.submitted_at.date(),
            open_actions=len(open_by_plan.get(plan_id, [])),
            overdue_actions=sum(v.overdue for v in open_by_plan.get(plan_id, [])),
        )
        for plan_id, r in latest.items()
    ]
    worst_first = {label: grade for grade, label in GRADE_LABELS.items()}
    # Cases with open actions first, then the weakest, so inspectors see where work is live.
    cases.sort(key=lambda c: (-c.open_actions, worst_first.get(c.latest_grade, 9), c.reference))
    return EvidenceFigures(
        request=request,
        generated_at=utcnow(),
        suppression_size=k,
        target_pct=settings.good_target_pct,
        audits_by_rubric=sorted(by_rubric.items(), key=lambda item: -item[1]),
        plans_audited=len({r.plan_id for r in rows}),
        auditors=len({auditor for _, auditor in all_audits}),
        agencies=[(AGENCIES.get(a, a), n) for a, n in agencies.most_common()],
        samples=[
            (method, len(ids - {None}), n) for method, (ids, n) in sorted(sample_rows.items())
        ],
        double_rated=Share.of(sum(r.double_rated for r in rows), len(rows), k),
        quality=quality,
        quality_overall=Share.of(sum(r.grade >= GOOD for r in graded), len(graded), k),
        grades=Counter(r.grade for r in graded),
        pairs=exact,
        within_one=within_one,
        moderations_agreed=moderations,
        actions_opened=opened,
        actions_done=done,
        actions_overdue=overdue,
        actions_by_kind=by_kind,
        impact=impact,
        voice=voice,
        voice_rows=[
            (
                f"“{family_voice.STATEMENTS[v.statement]}”",
                family_voice.RESPONDENTS[v.respondent],
                Share(v.n, v.agree, v.share, v.suppressed),
            )
            for v in voice.figures
        ],
        reviews=len(review_rows),
        review_good=Share.of(sum(r.grade >= GOOD for r in review_graded), len(review_graded), k),
        review_criteria=_review_criteria(session, [r.id for r in review_rows], review_versions, k),
        deep_dives=cases[:DEEP_DIVE_ROWS],
        deep_dives_total=len(cases),
    )


def _scrubber(session: Session) -> Scrubber:
    return Scrubber(known_names=session.scalars(select(User.display_name)))


def build_evidence_pack(
    session: Session,
    actor: Actor,
    request: EvidenceRequest,
    *,
    today: date | None = None,
    settings: Settings = DEFAULTS,
) -> EvidencePack:
    """The pack as a .docx file, logged as an export."""
    figures = gather_evidence(session, actor, request, today=today, settings=settings)
    out = ReportWriter(_scrubber(session).clean)
    write_evidence_pack(out, figures)
    content = out.to_bytes()
    audits = sum(n for _, n in figures.audits_by_rubric)
    event_log.record(
        session,
        actor,
        EvidencePackExported(
            None,
            detail={
                "from": request.date_from.isoformat(),
                "to": request.date_to.isoformat(),
                "team": request.team,
                "audits": audits,
                "deep_dive_cases": len(figures.deep_dives),
                "bytes": len(content),
            },
        ),
    )
    team = f"-{''.join(ch for ch in request.team if ch.isalnum())[:30]}" if request.team else ""
    filename = f"evidence-pack{team}-{request.date_from:%Y%m%d}-{request.date_to:%Y%m%d}.docx"
    return EvidencePack(filename=filename, content=content, audits=audits)


def _teams(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Plan.team).where(Plan.team.is_not(None)).distinct().order_by(Plan.team)
        )
    )


def evidence_teams(session: Session, actor: Actor) -> list[str]:
    """The teams a pack can be made for."""
    require(actor, Action.MAKE_EVIDENCE_PACK)
    return _teams(session)

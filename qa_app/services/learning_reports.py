"""Learning reports: gathering a period's figures from the database and building the Word
document a QA lead or training lead downloads.

What counts: audits submitted (or moderated) in the period, first ratings only, graded
on one rubric. Where a double-rated plan has been moderated, the agreed grade stands in
for the first auditor's. Figures are aggregated in SQL; only the outcome statements and
auditors' notes behind the themes and exemplars are read as text, and they reach the
document only through the report's scrubber.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from qa_app.classifier import ModelUnavailable, load_model
from qa_app.domain.plan_facts import AGENCIES
from qa_app.domain.rubric import Rubric
from qa_app.reports import build_document
from qa_app.reports.actions import training_actions
from qa_app.reports.exemplars import OutcomeVerdictRow, pick_exemplars
from qa_app.reports.figures import (
    GOOD,
    CriterionFigure,
    GradeCounts,
    ModerationFigures,
    ReportFigures,
    Scope,
    TeamRow,
    WriterAudit,
    previous_period,
)
from qa_app.reports.privacy import Scrubber
from qa_app.reports.provision_learning import ProvisionRow, gap_counts, provision_pairs
from qa_app.reports.themes import find_themes
from qa_app.services import event_log, family_voice
from qa_app.services.access import Action, Actor, require
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.events import ReportDownloaded
from qa_app.services.rubrics import current_versions, rubric_of
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import (
    Audit,
    CriterionScore,
    Moderation,
    Outcome,
    Plan,
    ProvisionItem,
    RubricVersion,
    ThreadGap,
    User,
    utcnow,
)

FINISHED = ("submitted", "moderated")
_names = itertools.count()
CRITERIA_LISTED = 5
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class ReportRequest:
    date_from: date
    date_to: date
    team: str | None = None
    agency: str | None = None
    rubric: str | None = None
    writer: str | None = None


@dataclass(frozen=True)
class Report:
    filename: str
    content: bytes
    audits: int
    mime: str = DOCX_MIME


class ReportNeedsMore(InvalidInput):
    """Every figure the report would hold is suppressed; ``needed`` is how many more
    submitted audits it takes (with the same choices) before any is shown."""

    def __init__(self, audits: int, needed: int, suppression_size: int):
        what = (
            "No audit matches these choices"
            if not audits
            else f"Only {audits} audit(s) match these choices"
        )
        super().__init__(
            f"{what}, and figures are shown only where at least {suppression_size} audits stand behind them, "
            f"so every part of the report would be empty. It needs {needed} more submitted audit(s): choose a "
            "longer or earlier period, or fewer filters."
        )
        self.audits, self.needed = audits, needed


def audits_still_needed(figures: ReportFigures, writer: bool) -> int:
    """How many more audits the report needs before it shows anything; 0 when it does.
    A writer's feedback shows their own audits from the first one."""
    if writer:
        return 0 if figures.grades.total else 1
    if figures.strongest or figures.weakest:
        return 0
    return max(figures.suppression_size - figures.grades.total, 1)


def build_report(
    session: Session,
    actor: Actor,
    request: ReportRequest,
    *,
    allow_empty: bool = False,
    settings: Settings = DEFAULTS,
) -> Report:
    """The learning report (or, with ``writer``, one writer's feedback) as a .docx file.
    Producing it for download is recorded in the event log. Raises ``ReportNeedsMore``
    rather than hand over a document whose every figure is suppressed, unless
    ``allow_empty`` (to inspect such a document). Suppression and whether auditors are
    named come from ``settings``."""
    require(actor, Action.DOWNLOAD_REPORTS)
    figures = gather_figures(session, request, settings)
    needed = audits_still_needed(figures, bool(request.writer))
    if needed and not allow_empty:
        raise ReportNeedsMore(figures.grades.total, needed, figures.suppression_size)
    content = build_document(figures, clean=_scrubber(session, settings).clean)
    event_log.record(
        session,
        actor,
        ReportDownloaded(
            None,
            detail={key: str(value) for key, value in asdict(request).items() if value is not None},
        ),
    )
    kind = f"feedback-{request.writer}" if request.writer else "learning-report"
    filename = f"{kind}-{request.date_from:%Y%m%d}-{request.date_to:%Y%m%d}.docx"
    return Report(filename=filename, content=content, audits=figures.grades.total)


def report_options(session: Session, actor: Actor) -> dict[str, list[str] | dict[str, str]]:
    """The choices the reports page offers: teams, agencies, rubrics and writer codes."""
    require(actor, Action.DOWNLOAD_REPORTS)

    def distinct(column):
        return list(
            session.scalars(select(column).where(column.is_not(None)).distinct().order_by(column))
        )

    return {
        "team": distinct(Plan.team),
        "agency": dict(AGENCIES),
        "rubric": {version.rubric_key: version.title for version in current_versions(session)},
        "writer": distinct(Plan.writer_code),
    }


def gather_figures(session: Session, request: ReportRequest, settings: Settings) -> ReportFigures:
    if request.date_from > request.date_to:
        raise InvalidInput("The report period must start on or before the day it ends.")
    rubric_key = request.rubric or _busiest_rubric(session, request)
    rubric = _rubric(session, rubric_key)
    chosen = _selection(request, rubric_key).cte("chosen")
    before = _selection(
        request, rubric_key, period=previous_period(request.date_from, request.date_to)
    )
    criteria = _criterion_figures(session, rubric, chosen)
    eligible = [c for c in criteria if request.writer or c.scored >= settings.suppression_size]
    weakest = sorted(eligible, key=lambda c: (c.mean, -c.below_good))[:CRITERIA_LISTED]
    strongest = sorted(
        (c for c in eligible if c not in weakest), key=lambda c: (-c.mean, c.below_good)
    )[:CRITERIA_LISTED]
    notes = session.execute(
        select(Audit.id, Audit.strengths, Audit.areas_for_development).where(
            Audit.id.in_(select(chosen.c.audit_id))
        )
    ).all()
    verdicts, model_version, unjudged = _outcome_verdicts(session, chosen)
    scrubber = _scrubber(
        session,
        settings,
        corpus=[*(text for row in notes for text in row[1:]), *(v.text for v in verdicts)],
    )
    size = settings.suppression_size
    strong, weak = pick_exemplars(
        verdicts, clean=scrubber.clean_free_text, count=50 if request.writer else 3
    )
    if request.writer:
        strong = strong[:3]
    return ReportFigures(
        scope=Scope(
            request.date_from,
            request.date_to,
            rubric.title,
            rubric.version,
            team=request.team,
            agency=request.agency,
            writer=request.writer,
        ),
        generated_at=utcnow(),
        suppression_size=settings.suppression_size,
        good_target_pct=settings.good_target_pct,
        grades=_grade_counts(session, rubric, chosen),
        previous_grades=_grade_counts(session, rubric, before.subquery()),
        strongest=strongest,
        weakest=weakest,
        strength_themes=[]
        if request.writer
        else find_themes(
            ((row.id, row.strengths) for row in notes),
            clean=scrubber.clean_free_text,
            min_audits=size,
        ),
        development_themes=[]
        if request.writer
        else find_themes(
            ((row.id, row.areas_for_development) for row in notes),
            clean=scrubber.clean_free_text,
            min_audits=size,
        ),
        strong_exemplars=strong,
        weak_exemplars=weak,
        teams=[]
        if request.writer
        else _team_rows(session, rubric, request, rubric_key, settings.suppression_size),
        actions=training_actions(weakest),
        sample=_sample(session, chosen),
        moderation=_moderation(session, request, rubric_key),
        classifier_version=model_version,
        unjudged_outcomes=unjudged,
        notes_audits=sum(
            1
            for row in notes
            if (row.strengths or "").strip() or (row.areas_for_development or "").strip()
        ),
        auditors=_auditor_counts(session, chosen) if settings.show_auditor_names else None,
        writer_audits=_writer_audits(session, rubric, chosen) if request.writer else [],
        family_voice=[] if request.writer else _family_voice_rows(session, request, settings),
        **_provision_and_thread(session, chosen, scrubber.clean_free_text),
    )


def _family_voice_rows(session: Session, request: ReportRequest, settings: Settings) -> list[tuple]:
    summary = family_voice.voice_figures(
        session, request.date_from, request.date_to, team=request.team, settings=settings
    )
    return [
        (family_voice.STATEMENTS[f.statement], family_voice.RESPONDENTS[f.respondent], f.n, f.share)
        for f in summary.figures
        if f.n
    ]


def _period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time.min, tzinfo=UTC)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)


def _selection(
    request: ReportRequest,
    rubric_key: str,
    *,
    period: tuple[date, date] | None = None,
    all_teams: bool = False,
):
    """One row per counted audit: its id, plan, team, agency and final grade."""
    start, end = _period_bounds(*(period or (request.date_from, request.date_to)))
    as_first, as_second = aliased(Moderation), aliased(Moderation)
    counted = (
        select(
            Audit.id.label("audit_id"),
            Audit.plan_id,
            Audit.agency,
            Audit.auditor_id,
            Audit.submitted_at,
            func.coalesce(
                as_first.overall_grade, as_second.overall_grade, Audit.overall_grade
            ).label("grade"),
        )
        .join(RubricVersion, RubricVersion.id == Audit.rubric_version_id)
        .outerjoin(as_first, and_(as_first.first_audit_id == Audit.id, as_first.status == "agreed"))
        .outerjoin(
            as_second, and_(as_second.second_audit_id == Audit.id, as_second.status == "agreed")
        )
        .where(
            Audit.status.in_(FINISHED),
            Audit.rating_order == 1,
            Audit.submitted_at >= start,
            Audit.submitted_at < end,
            RubricVersion.rubric_key == rubric_key,
        )
    )
    if request.agency:
        counted = counted.where(Audit.agency == request.agency)
    # Materialised first, so SQLite walks the period's audits rather than every plan.
    audits = counted.cte(f"audits_{next(_names)}").prefix_with("MATERIALIZED")
    query = select(audits, Plan.team, Plan.plan_type, Plan.key_stage, Plan.reference).join(
        Plan, Plan.id == audits.c.plan_id
    )
    if request.team and not all_teams:
        query = query.where(Plan.team == request.team)
    if request.writer:
        query = query.where(Plan.writer_code == request.writer)
    return query


def _busiest_rubric(session: Session, request: ReportRequest) -> str:
    """Without ``--rubric``: the rubric most audits in the period were scored on."""
    start, end = _period_bounds(request.date_from, request.date_to)
    query = (
        select(RubricVersion.rubric_key, func.count(Audit.id).label("audits"))
        .join(Audit, Audit.rubric_version_id == RubricVersion.id)
        .join(Plan, Plan.id == Audit.plan_id)
        .where(Audit.status.in_(FINISHED), Audit.submitted_at >= start, Audit.submitted_at < end)
        .group_by(RubricVersion.rubric_key)
        .order_by(func.count(Audit.id).desc(), RubricVersion.rubric_key)
    )
    if request.writer:
        query = query.where(Plan.writer_code == request.writer)
    busiest = session.execute(query.limit(1)).first()
    if busiest is not None:
        return busiest.rubric_key
    versions = current_versions(session)
    if not versions:
        raise NotFound("No rubric is registered, so there is nothing to report against.")
    return versions[0].rubric_key


def _rubric(session: Session, rubric_key: str) -> Rubric:
    version = session.scalar(
        select(RubricVersion)
        .where(RubricVersion.rubric_key == rubric_key)
        .order_by(RubricVersion.id.desc())
        .limit(1)
    )
    if version is None:
        raise NotFound(f"There is no rubric called '{rubric_key}'.")
    return rubric_of(version)


def _grade_counts(session: Session, rubric: Rubric, chosen) -> GradeCounts:
    rows = session.execute(
        select(chosen.c.grade, func.count())
        .where(chosen.c.grade.is_not(None))
        .group_by(chosen.c.grade)
    ).all()
    labels = [(level.value, level.label) for level in rubric.levels_high_to_low]
    return GradeCounts({grade: count for grade, count in rows}, labels)


def _criterion_figures(session: Session, rubric: Rubric, chosen) -> list[CriterionFigure]:
    rows = session.execute(
        select(
            CriterionScore.criterion_id,
            func.count(CriterionScore.score),
            func.avg(CriterionScore.score),
            func.sum(case((CriterionScore.score < GOOD, 1), else_=0)),
        )
        .join(chosen, chosen.c.audit_id == CriterionScore.audit_id)
        .where(CriterionScore.score.is_not(None))
        .group_by(CriterionScore.criterion_id)
    ).all()
    known = {criterion.id: criterion for criterion in rubric.criteria}
    top = max(level.value for level in rubric.scale)
    figures = []
    for criterion_id, scored, mean, below_good in rows:
        criterion = known.get(criterion_id)
        if criterion is None:  # dropped from the newest version of the rubric
            continue
        figures.append(
            CriterionFigure(
                criterion_id=criterion_id,
                title=criterion.title,
                section=rubric.section_title(criterion.section),
                scored=scored,
                mean=float(mean),
                below_good=int(below_good or 0),
                good_looks_like=" ".join(criterion.descriptors.get(GOOD, "").split()),
                outstanding_looks_like=" ".join(criterion.descriptors.get(top, "").split()),
                training_action=criterion.training_action,
            )
        )
    return figures


def _team_rows(
    session: Session, rubric: Rubric, request: ReportRequest, rubric_key: str, size: int
) -> list[TeamRow]:
    everyone = _selection(request, rubric_key, all_teams=True).cte("everyone")
    grades: dict[str, dict[int, int]] = defaultdict(dict)
    for team, grade, count in session.execute(
        select(everyone.c.team, everyone.c.grade, func.count())
        .where(everyone.c.team.is_not(None), everyone.c.grade.is_not(None))
        .group_by(everyone.c.team, everyone.c.grade)
    ):
        grades[team][grade] = count
    by_criterion = session.execute(
        select(
            everyone.c.team,
            CriterionScore.criterion_id,
            func.avg(CriterionScore.score),
            func.count(CriterionScore.score),
        )
        .join(CriterionScore, CriterionScore.audit_id == everyone.c.audit_id)
        .where(CriterionScore.score.is_not(None))
        .group_by(everyone.c.team, CriterionScore.criterion_id)
    ).all()
    weakest: dict[str, tuple[float, str]] = {}
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for team, criterion_id, mean, scored in by_criterion:
        totals[team][0] += float(mean) * scored
        totals[team][1] += scored
        if scored >= size and (team not in weakest or (mean, criterion_id) < weakest[team]):
            weakest[team] = (mean, criterion_id)
    labels = [(level.value, level.label) for level in rubric.levels_high_to_low]
    titles = {criterion.id: criterion.title for criterion in rubric.criteria}
    return [
        TeamRow(
            team=team,
            grades=GradeCounts(grades[team], labels),
            mean_score=totals[team][0] / totals[team][1] if totals[team][1] else None,
            weakest_criterion=titles.get(weakest[team][1]) if team in weakest else None,
            selected=team == request.team,
        )
        for team in sorted(grades)
    ]


def _sample(session: Session, chosen) -> dict[str, dict[str, int]]:
    sample = {}
    for name in ("agency", "plan_type", "key_stage"):
        column = chosen.c[name]
        rows = session.execute(select(column, func.count()).group_by(column).order_by(column)).all()
        sample[name] = {value or "not recorded": count for value, count in rows}
    return sample


def _moderation(session: Session, request: ReportRequest, rubric_key: str) -> ModerationFigures:
    first_ratings = _selection(request, rubric_key).subquery()
    second = aliased(Audit)
    first = aliased(Audit)
    pairs = (
        select(
            first.overall_grade.label("first_grade"),
            second.overall_grade.label("second_grade"),
            first.status,
        )
        .join(first_ratings, first_ratings.c.audit_id == first.id)
        .join(
            second,
            and_(
                second.plan_id == first.plan_id,
                second.agency == first.agency,
                second.rating_order == 2,
                second.rubric_version_id == first.rubric_version_id,
                second.status.in_(FINISHED),
            ),
        )
        .where(first.double_rated.is_(True))
        .subquery()
    )
    double_rated, moderated, agreed = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((pairs.c.status == "moderated", 1), else_=0)), 0),
            func.coalesce(
                func.sum(case((pairs.c.first_grade == pairs.c.second_grade, 1), else_=0)), 0
            ),
        )
    ).one()
    return ModerationFigures(int(double_rated), int(moderated), int(agreed))


def _outcome_verdicts(session: Session, chosen) -> tuple[list[OutcomeVerdictRow], str | None, int]:
    """Outcomes of the plans behind the counted audits, with the classifier's stored
    verdicts, classifying on the fly those the flags service has not reached. Also
    returns the model version and how many outcomes are left unjudged (no model)."""
    rows = session.execute(
        select(
            Outcome.text,
            Outcome.area,
            Outcome.weak,
            Outcome.p_weak,
            Outcome.reasons,
            Outcome.model_version,
        )
        .where(Outcome.plan_id.in_(select(chosen.c.plan_id)))
        .order_by(Outcome.plan_id, Outcome.position)
    ).all()
    unclassified = sorted({row.text for row in rows if row.p_weak is None or row.weak is None})
    fresh, model_version, unjudged = {}, None, 0
    if unclassified:
        try:
            model = load_model()
        except ModelUnavailable:
            judged = [row for row in rows if row.p_weak is not None and row.weak is not None]
            unjudged, rows = len(rows) - len(judged), judged
        else:
            fresh = dict(zip(unclassified, model.classify(unclassified)))
            model_version = model.version
    verdicts = []
    for row in rows:
        if row.text in fresh:
            verdict = fresh[row.text]
            verdicts.append(
                OutcomeVerdictRow(row.text, row.area, verdict.weak, verdict.p_weak, verdict.reasons)
            )
        else:
            model_version = model_version or row.model_version
            reasons = tuple(code for code in (row.reasons or "").split(";") if code)
            verdicts.append(
                OutcomeVerdictRow(row.text, row.area, bool(row.weak), float(row.p_weak), reasons)
            )
    return verdicts, model_version, unjudged


def _provision_and_thread(session: Session, chosen, clean) -> dict:
    """Vague provision beside specified rewrites, and the commonest thread gaps, over the
    plans behind the counted audits (stored verdicts only)."""
    plan_ids = select(chosen.c.plan_id)
    rows = [
        ProvisionRow(
            text,
            area,
            bool(weak),
            float(p_weak or 0.0),
            tuple(c for c in (reasons or "").split(";") if c),
        )
        for text, area, weak, p_weak, reasons in session.execute(
            select(
                ProvisionItem.text,
                ProvisionItem.area,
                ProvisionItem.weak,
                ProvisionItem.p_weak,
                ProvisionItem.reasons,
            )
            .where(
                ProvisionItem.plan_id.in_(plan_ids),
                ProvisionItem.model_version.is_not(None),
                ProvisionItem.text != "",
            )
            .order_by(ProvisionItem.plan_id, ProvisionItem.position)
        )
    ]
    plans = session.scalar(
        select(func.count())
        .select_from(Plan)
        .where(Plan.id.in_(plan_ids), Plan.thread.is_not(None))
    )
    plan_gaps: dict[int, set[str]] = defaultdict(set)
    for plan_id, kind in session.execute(
        select(ThreadGap.plan_id, ThreadGap.kind).where(ThreadGap.plan_id.in_(plan_ids))
    ):
        plan_gaps[plan_id].add(kind)
    return {
        "provision_pairs": provision_pairs(rows, clean),
        "provision_items": len(rows),
        "provision_specified_pct": round(100 * sum(not r.weak for r in rows) / len(rows), 1)
        if rows
        else None,
        "thread_gaps": gap_counts(plan_gaps, plans or 0),
    }


def _auditor_counts(session: Session, chosen) -> dict[str, int]:
    rows = session.execute(
        select(User.display_name, func.count())
        .join(chosen, chosen.c.auditor_id == User.id)
        .group_by(User.display_name)
        .order_by(User.display_name)
    ).all()
    return dict(rows)


def _writer_audits(session: Session, rubric: Rubric, chosen) -> list[WriterAudit]:
    rows = session.execute(
        select(chosen.c.submitted_at, chosen.c.reference, chosen.c.agency, chosen.c.grade).order_by(
            chosen.c.submitted_at, chosen.c.reference
        )
    ).all()
    return [
        WriterAudit(submitted.date(), reference, AGENCIES.get(agency, agency), rubric.label(grade))
        for submitted, reference, agency, grade in rows
    ]


def _scrubber(session: Session, settings: Settings, corpus=()) -> Scrubber:
    """Known names are every user's name, except auditors' when configured to show them."""
    query = select(User.display_name)
    if settings.show_auditor_names:
        query = query.where(~User.id.in_(select(Audit.auditor_id).distinct()))
    return Scrubber(known_names=session.scalars(query), corpus=corpus)

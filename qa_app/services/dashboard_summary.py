"""Keeps the dashboard's summary tables in step with the audits they summarise.

A cheap *data version* (counts and version sums of finished audits, moderations and plan
flags) is compared with the version the summary was built from. When it differs, the
per-audit facts are recomputed and compared with the stored ones; only the months whose
facts changed have their criterion totals aggregated again from the score rows, so one
submitted audit costs one month's aggregation, not the whole history's.

Counted audits are finished (submitted or moderated) first ratings: the second rating of a
double-rated plan is not counted again, and where moderation has agreed a grade, that
grade replaces the first auditor's.
"""

from __future__ import annotations

import threading

from sqlalchemy import case, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from qa_app.store.dashboard_summary import (
    COUNTS,
    audit_facts,
    criterion_totals,
    month_totals,
    summary_state,
)
from qa_app.store.models import Audit, CriterionScore, Moderation, Plan

FINISHED = ("submitted", "moderated")
PLAN_DIMENSIONS = ("team", "primary_need", "key_stage", "setting_type", "plan_type")
CHUNK = 500
MONTH = 3  # position of the month in a facts row
_refresh_lock = threading.Lock()
_COUNTED = (Audit.status.in_(FINISHED), Audit.submitted_at.is_not(None), Audit.rating_order == 1)
AUDIT_PARTS = 3  # the data version's leading parts that describe audits alone
TIMELY_DAYS = 20 * 7


def count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def fact_counts() -> list:
    """The additive counts of a group of audit facts, labelled as in ``COUNTS``."""
    f = audit_facts.c
    expressions = {
        "audits": func.count(),
        "graded": func.count(f.grade),
        "good": count_if(f.grade >= 3),
        **{f"grade_{g}": count_if(f.grade == g) for g in (4, 3, 2, 1)},
        "flag_known": func.count(f.weak_flag),
        "flagged": count_if(f.weak_flag == 1),
        "pairs": func.count(f.pair_agreed),
        "agreed": count_if(f.pair_agreed == 1),
        "new_dated": func.count(f.days_to_issue),
        "on_time": count_if(f.days_to_issue <= TIMELY_DAYS),
    }
    return [expressions[name].label(name) for name in COUNTS]


def data_version(session: Session) -> str:
    """A fingerprint that changes whenever a counted audit, a moderation or a plan's weak
    flag changes; cheap enough to read on every dashboard request."""
    audits = session.execute(
        select(func.count(), func.max(Audit.id), func.sum(Audit.version)).where(Audit.status.in_(FINISHED))
    ).one()
    moderations = session.execute(
        select(func.count(), func.max(Moderation.id), func.sum(Moderation.version), func.sum(Moderation.overall_grade))
    ).one()
    plans = session.execute(
        select(func.count(), func.max(Plan.id), func.count(Plan.weak_flag),
               func.sum(case((Plan.weak_flag.is_(True), Plan.id), else_=0)))
    ).one()
    return "/".join(str(value or 0) for value in (*audits, *moderations, *plans))


def stored_version(session: Session) -> str:
    return session.scalar(select(summary_state.c.data_version).where(summary_state.c.id == 1)) or ""


def _agreed_grades(session: Session) -> dict[int, int]:
    """Grades agreed at moderation, by the first audit of the pair."""
    query = select(Moderation.first_audit_id, Moderation.overall_grade).where(
        Moderation.status == "agreed", Moderation.overall_grade.is_not(None)
    )
    return dict(session.execute(query).all())


def _second_grades(session: Session) -> dict[tuple[int, str], int | None]:
    """The second auditor's own grade, by plan and agency, for double-rated plans."""
    query = (
        select(Audit.plan_id, Audit.agency, Audit.overall_grade)
        .where(Audit.rating_order == 2, Audit.status.in_(FINISHED))
        .order_by(Audit.id.desc())
    )
    return {(plan_id, agency): grade for plan_id, agency, grade in session.execute(query)}


def _current_facts(session: Session, only: list[int] | None = None) -> dict[int, tuple]:
    agreed, seconds = _agreed_grades(session), _second_grades(session)
    query = (
        select(
            Audit.id, Audit.plan_id, Audit.version, Audit.submitted_at, Audit.rubric_version_id, Audit.agency,
            Plan.team, Plan.primary_need, Plan.key_stage, Plan.setting_type, Plan.plan_type, Plan.year_group,
            Audit.overall_grade, Audit.double_rated, Plan.weak_flag, Plan.request_date, Plan.issue_date,
        )
        .join(Plan, Plan.id == Audit.plan_id)
        .where(*_COUNTED)
    )
    rows = session.execute(query) if only is None else (
        row for ids in _chunks(only) for row in session.execute(query.where(Audit.id.in_(ids)))
    )
    facts: dict[int, tuple] = {}
    for (audit_id, plan_id, audit_version, submitted_at, rubric_version_id, agency, team, need, stage, setting, kind,
         year, own_grade, double_rated, weak, requested, issued) in rows:
        second_grade = seconds.get((plan_id, agency)) if double_rated else None
        days_to_issue = (issued - requested).days if kind == "new" and requested and issued else None
        facts[audit_id] = (
            audit_id, plan_id, audit_version, submitted_at.strftime("%Y-%m"), submitted_at.date(), rubric_version_id,
            agency, team, need, stage, setting, kind, year,
            agreed.get(audit_id, own_grade),
            None if weak is None else int(weak),
            None if second_grade is None or own_grade is None else int(second_grade == own_grade),
            days_to_issue,
        )
    return facts


def _stored_facts(session: Session, only: list[int] | None = None) -> dict[int, tuple]:
    query = select(*audit_facts.columns)
    rows = session.execute(query) if only is None else (
        row for ids in _chunks(only) for row in session.execute(query.where(audit_facts.c.audit_id.in_(ids)))
    )
    return {row[0]: tuple(row) for row in rows}


def _candidates(session: Session) -> list[int]:
    """Audits whose facts may have changed when only audits did: new or re-versioned
    counted audits, double-rated ones (their partner may have changed), and stored facts
    whose audit no longer counts."""
    f = audit_facts.c
    current = (
        select(Audit.id)
        .outerjoin(audit_facts, (f.audit_id == Audit.id) & (f.audit_version == Audit.version))
        .where(*_COUNTED, f.audit_id.is_(None) | Audit.double_rated.is_(True))
    )
    counted = select(Audit.id).where(*_COUNTED, Audit.id == f.audit_id).exists()
    gone = select(f.audit_id).where(~counted)
    return sorted(set(session.scalars(current)) | set(session.scalars(gone)))


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _aggregate_months(session: Session, months: list[str]) -> None:
    session.execute(delete(month_totals).where(month_totals.c.month.in_(months)))
    session.execute(delete(criterion_totals).where(criterion_totals.c.month.in_(months)))
    keys = ["month", "rubric_version_id", "agency", "dimension", "value"]
    score = CriterionScore.score
    for dimension in ("all", *PLAN_DIMENSIONS):
        value = literal("") if dimension == "all" else func.coalesce(audit_facts.c[dimension], "")
        counted = (
            select(audit_facts.c.month, audit_facts.c.rubric_version_id, audit_facts.c.agency, literal(dimension), value, *fact_counts())
            .where(audit_facts.c.month.in_(months))
            .group_by(audit_facts.c.month, audit_facts.c.rubric_version_id, audit_facts.c.agency, value)
        )
        session.execute(insert(month_totals).from_select([*keys, *COUNTS], counted))
        grouped = (
            select(
                audit_facts.c.month, audit_facts.c.rubric_version_id, audit_facts.c.agency,
                literal(dimension), value, CriterionScore.criterion_id,
                func.sum(score), func.count(score), count_if(score >= 3),
            )
            .join(CriterionScore, CriterionScore.audit_id == audit_facts.c.audit_id)
            .where(audit_facts.c.month.in_(months), score.is_not(None))
            .group_by(audit_facts.c.month, audit_facts.c.rubric_version_id, audit_facts.c.agency, value, CriterionScore.criterion_id)
        )
        session.execute(insert(criterion_totals).from_select(
            [*keys, "criterion_id", "score_sum", "score_count", "good_count"], grouped
        ))


def _catch_up(session: Session, version: str) -> None:
    session.execute(select(summary_state.c.id).where(summary_state.c.id == 1).with_for_update())
    stored = stored_version(session)
    if stored == version:
        return
    only_audits_changed = bool(stored) and stored.split("/")[AUDIT_PARTS:] == version.split("/")[AUDIT_PARTS:]
    only = _candidates(session) if only_audits_changed else None
    new, old = _current_facts(session, only), _stored_facts(session, only)
    changed = [audit_id for audit_id, row in new.items() if old.get(audit_id) != row]
    removed = [audit_id for audit_id in old if audit_id not in new]
    dirty_months = {new[a][MONTH] for a in changed} | {old[a][MONTH] for a in changed + removed if a in old}
    for ids in _chunks(changed + removed):
        session.execute(delete(audit_facts).where(audit_facts.c.audit_id.in_(ids)))
    names = [c.name for c in audit_facts.columns]
    for rows in _chunks(changed, 5000):
        session.execute(insert(audit_facts), [dict(zip(names, new[a])) for a in rows])
    if dirty_months:
        _aggregate_months(session, sorted(dirty_months))
    session.execute(update(summary_state).where(summary_state.c.id == 1).values(data_version=version))


def refresh(session: Session) -> str:
    """Bring the summary up to date if the audits changed; returns the data version it
    now reflects. The catch-up is committed in a transaction of its own, one at a time
    per process, so that concurrent readers never rebuild the same months twice."""
    version = data_version(session)
    if stored_version(session) == version:
        return version
    with _refresh_lock, Session(session.get_bind()) as own:
        _catch_up(own, version)
        own.commit()
    return version

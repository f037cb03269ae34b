"""Synthetic demo data for the closing of the QA loop: annual-review audits of review
plans, and what families said about audited plans. Every record is marked synthetic.

Runs after the main demo generator, with its own seeded random stream, so the plan
audits it adds to are the same whatever is added here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qa_app.domain.grading import NOT_APPLICABLE, Score, grade
from qa_app.domain.rubric import Rubric
from qa_app.services import demo_text as text
from qa_app.services.family_voice import STATEMENTS
from qa_app.store.models import Audit, CriterionScore, FamilyVoice, Plan, RubricVersion, User

REVIEW_SHARE = 0.3
VOICE_SHARE = 0.35
CHILD_VOICE_SHARE = 0.6
# Reviews run later than plans are written well: the timescales are where councils slip.
TIMELINESS_DIFFICULTY = -0.35


@dataclass(frozen=True)
class LoopSummary:
    review_audits: int
    voice_records: int


def _clamp(value: float) -> int:
    return max(1, min(4, round(value)))


def _finished_first_audits(session: Session, plan_version_id: int, plans_after: int) -> list[Audit]:
    return list(
        session.scalars(
            select(Audit)
            .join(Plan, Plan.id == Audit.plan_id)
            .where(
                Plan.id > plans_after,
                Audit.is_synthetic.is_(True),
                Audit.rubric_version_id == plan_version_id,
                Audit.status.in_(("submitted", "moderated")),
                Audit.rating_order == 1,
                Audit.agency == "education",
                Audit.overall_grade.is_not(None),
            )
            .options(selectinload(Audit.plan))
            .order_by(Audit.id)
        )
    )


def _graded(audit: Audit) -> tuple[int, datetime]:
    """A finished audit's grade and when it was submitted (``_finished_first_audits``
    reads only graded, submitted audits)."""
    assert audit.overall_grade is not None and audit.submitted_at is not None
    return audit.overall_grade, audit.submitted_at


def _review_audit(
    rng: random.Random,
    rubric: Rubric,
    version_id: int,
    plan_audit: Audit,
    auditor: User,
    until: date,
) -> Audit:
    plan = plan_audit.plan
    meta = plan.metadata_dict()
    plan_grade, plan_submitted = _graded(plan_audit)
    quality = plan_grade + rng.gauss(0, 0.6)
    scores: dict[str, Score] = {}
    for criterion in rubric.criteria_for("education", meta):
        if criterion.allow_na and rng.random() < 0.35:
            scores[criterion.id] = NOT_APPLICABLE
            continue
        difficulty = TIMELINESS_DIFFICULTY if criterion.section == "timeliness" else 0.0
        scores[criterion.id] = _clamp(quality + difficulty + rng.gauss(0, 0.55))
    result = grade(rubric, scores, meta)
    submitted = min(
        plan_submitted + timedelta(days=rng.randint(1, 10)),
        datetime.combine(until, plan_submitted.timetz()),
    )
    return Audit(
        plan_id=plan.id,
        rubric_version_id=version_id,
        auditor_id=auditor.id,
        agency="education",
        status="submitted",
        due_date=submitted.date() + timedelta(days=7),
        is_synthetic=True,
        created_at=plan_audit.created_at,
        updated_at=submitted,
        submitted_at=submitted,
        overall_grade=result.overall,
        section_grades=result.sections,
        grade_reasons=result.reasons,
        strengths=rng.choice(text.REVIEW_NOTES[4 if quality >= 3 else 3]),
        areas_for_development=rng.choice(text.REVIEW_NOTES[2 if quality >= 2 else 1]),
        scores=[
            CriterionScore(
                criterion_id=cid,
                score=None if value == NOT_APPLICABLE else value,
                not_applicable=value == NOT_APPLICABLE,
                note=rng.choice(text.REVIEW_NOTES[value]) if isinstance(value, int) else "",
            )
            for cid, value in scores.items()
        ],
    )


def _voice(rng: random.Random, audit: Audit, respondent: str, until: date) -> FamilyVoice:
    audit_grade, audit_submitted = _graded(audit)
    lean = audit_grade + (0.3 if respondent == "parent_carer" else 0.0)
    answers: dict[str, int | None] = {name: _clamp(lean + rng.gauss(0, 0.8)) for name in STATEMENTS}
    if respondent == "child_young_person" and rng.random() < 0.2:
        answers["what_happens"] = None  # not asked, or did not say
    given = [v for v in answers.values() if v is not None]
    tone = "agree" if sum(given) / len(given) >= 2.5 else "disagree"
    when = min(
        audit_submitted + timedelta(days=rng.randint(0, 14)),
        datetime.combine(until, audit_submitted.timetz()),
    )
    return FamilyVoice(
        audit_id=audit.id,
        plan_id=audit.plan_id,
        respondent=respondent,
        comment=rng.choice(text.FAMILY_COMMENTS[respondent][tone]),
        recorded_by_id=audit.auditor_id,
        is_synthetic=True,
        recorded_at=when,
        updated_at=when,
        **answers,
    )


def seed_loop(
    session: Session,
    rng: random.Random,
    users: dict[str, User],
    plan_version_id: int,
    review_version: RubricVersion | None,
    review_rubric: Rubric | None,
    until: date,
    *,
    plans_after: int = 0,
) -> LoopSummary:
    """Annual-review audits for a share of the review plans audited, and family voice
    for a share of audited plans: of the plans with ids above ``plans_after`` (those the
    demo generator has just added)."""
    finished = _finished_first_audits(session, plan_version_id, plans_after)
    reviewers = [
        u for name, u in sorted(users.items()) if u.agency == "education" and name != "demo_auditor"
    ]
    reviews = 0
    if review_version is not None and review_rubric is not None:
        for plan_audit in finished:
            if plan_audit.plan.plan_type == "annual_review" and rng.random() < REVIEW_SHARE:
                session.add(
                    _review_audit(
                        rng,
                        review_rubric,
                        review_version.id,
                        plan_audit,
                        rng.choice(reviewers),
                        until,
                    )
                )
                reviews += 1
    voices = 0
    for audit in finished:
        if rng.random() >= VOICE_SHARE:
            continue
        respondents = ["parent_carer"] + (
            ["child_young_person"] if rng.random() < CHILD_VOICE_SHARE else []
        )
        for respondent in respondents:
            session.add(_voice(rng, audit, respondent, until))
            voices += 1
    session.flush()
    return LoopSummary(review_audits=reviews, voice_records=voices)

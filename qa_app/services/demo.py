"""Synthetic demo data: plans, users, audits and moderations that look like a council's
year of quality assurance, deterministic for a seed. Every record is marked synthetic.

Quality differs by team and improves over time, so the dashboards have a story to tell.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.domain import plan_facts
from qa_app.domain.grading import NOT_APPLICABLE, Score, grade
from qa_app.domain.rubric import Rubric
from qa_app.domain.thread import AREAS, area_of
from qa_app.services import accounts, database_kind, demo_actions, event_log
from qa_app.services import demo_text as text
from qa_app.services.access import SYSTEM, Action, Actor, require
from qa_app.services.audits import score_values
from qa_app.services.demo_loop import seed_loop
from qa_app.services.events import DemoDataAdded, DemoUserCreated
from qa_app.services.flags import flag_all_plans
from qa_app.services.plans import new_reference
from qa_app.services.rubrics import current_versions, mark_used, rubric_of
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import (
    Audit,
    CriterionScore,
    Moderation,
    ModerationScore,
    Outcome,
    Plan,
    PlanSection,
    ProvisionItem,
    User,
    UserRole,
)

TEAMS = {
    "North locality": 0.30,
    "South locality": -0.25,
    "East locality": 0.0,
    "West locality": -0.05,
    "Post-16 team": -0.35,
}
NEED_WEIGHTS = {
    "ASD": 32,
    "SEMH": 18,
    "SLCN": 16,
    "MLD": 9,
    "SLD": 6,
    "PD": 5,
    "SpLD": 4,
    "OTH": 3,
    "HI": 2,
    "VI": 1.5,
    "PMLD": 1.5,
    "NSA": 1.5,
    "MSI": 0.5,
}
SECTION_DIFFICULTY = {
    "gate": 0.7,
    "A": 0.15,
    "E": -0.3,
    "F": -0.35,
    "H": -0.3,
    "G": -0.2,
    "thread": -0.2,
}
DOUBLE_RATE_SHARE = 0.15

DEMO_USERS = [
    # username, display name, roles, agency
    ("demo_qa_lead", "Demo QA lead", ("qa_lead",), None),
    ("demo_training", "Demo training lead", ("training",), None),
    ("demo_admin", "Demo administrator", ("admin",), None),
    ("demo_auditor", "Demo auditor (education)", ("auditor",), "education"),
    ("demo_edu_2", "Demo education auditor 2", ("auditor",), "education"),
    ("demo_edu_3", "Demo education auditor 3", ("auditor",), "education"),
    ("demo_edu_4", "Demo education auditor 4", ("auditor",), "education"),
    ("demo_health_1", "Demo health auditor (DCO)", ("auditor",), "health"),
    ("demo_health_2", "Demo health auditor 2", ("auditor",), "health"),
    ("demo_social_1", "Demo social care auditor", ("auditor",), "social_care"),
    ("demo_social_2", "Demo social care auditor 2", ("auditor",), "social_care"),
]


@dataclass(frozen=True)
class DemoSummary:
    plans: int
    audits: int
    scores: int
    moderations: int


_AREA_TITLES = dict(zip(AREAS, plan_facts.NEED_AREAS))


def has_data(session: Session) -> bool:
    return session.execute(select(func.count()).select_from(Plan)).scalar_one() > 0


def ensure_demo_users(session: Session, actor: Actor = SYSTEM) -> dict[str, User]:
    """The synthetic accounts, added (and logged) where missing."""
    users = {
        u.username: u for u in session.scalars(select(User).where(User.is_synthetic.is_(True)))
    }
    added = []
    for username, name, roles, agency in DEMO_USERS:
        if username not in users:
            user = User(
                username=username,
                display_name=name,
                agency=agency,
                is_synthetic=True,
                role_rows=[UserRole(role=r) for r in roles],
            )
            session.add(user)
            users[username] = user
            added.append(user)
    session.flush()
    for user in added:
        event_log.record(
            session,
            actor,
            DemoUserCreated(
                user.id, new=sorted(user.roles), detail={"agency": user.agency, "synthetic": True}
            ),
        )
    return users


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _clamp_score(value: float) -> int:
    return max(1, min(4, round(value)))


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60)), tzinfo=UTC)


class _Generator:
    def __init__(
        self,
        session: Session,
        actor: Actor,
        rubric: Rubric,
        rubric_version_id: int,
        seed: int,
        months: int,
        until: date,
    ):
        self.session = session
        self.rubric = rubric
        self.rubric_version_id = rubric_version_id
        self.rng = random.Random(seed)
        self.months = months
        self.until = until
        self.users = ensure_demo_users(session, actor)
        self.auditors = {
            agency: [u for u in self.users.values() if u.agency == agency]
            for agency in plan_facts.AGENCIES
        }
        self.writers = {
            team: [f"W{i * 4 + j + 1:02d}" for j in range(4)] for i, team in enumerate(TEAMS)
        }
        self.counts = {"audits": 0, "scores": 0, "moderations": 0}
        self.plans: list[Plan] = []

    def plan_metadata(self, team: str) -> dict:
        rng = self.rng
        need = rng.choices(list(NEED_WEIGHTS), weights=list(NEED_WEIGHTS.values()))[0]
        if team == "Post-16 team":
            year_group = rng.randint(12, 16)
        else:
            year_group = rng.choices(
                range(-1, 12), weights=[3, 5, 7, 8, 8, 8, 9, 9, 9, 9, 9, 8, 7]
            )[0]
        key_stage = plan_facts.key_stage_for_year_group(year_group)
        if need in ("SLD", "PMLD", "MSI"):
            setting = "special"
        elif key_stage in ("Post-16", "Post-19"):
            setting = rng.choices(
                ["fe_college", "special", "independent", "none"], weights=[6, 3, 1, 1]
            )[0]
        elif key_stage == "EYFS":
            setting = rng.choices(["mainstream", "special", "none"], weights=[7, 2, 1])[0]
        else:
            setting = rng.choices(
                ["mainstream", "resourced_provision", "special", "independent"],
                weights=[55, 15, 22, 8],
            )[0]
        return {
            "year_group": year_group,
            "age_at_audit": year_group + 5,
            "key_stage": key_stage,
            "primary_need": need,
            "setting_type": setting,
            "team": team,
            "writer_code": rng.choice(self.writers[team]),
            "plan_type": rng.choices(["new", "annual_review"], weights=[45, 55])[0],
        }

    def quality(self, team: str, month_index: int) -> float:
        trend = 0.55 * month_index / max(1, self.months - 1)
        return 2.35 + TEAMS[team] + trend + self.rng.gauss(0, 0.45)

    def plan_text(self, plan: Plan, quality: float) -> None:
        rng = self.rng
        assert plan.primary_need is not None and plan.setting_type is not None  # made here
        p_good = 1 / (1 + math.exp(-2.2 * (quality - 2.6)))
        views = f"{rng.choice(text.VIEWS_OPENINGS)} {rng.choice(text.VIEWS_CONTENT)}. {rng.choice(text.VIEWS_GATHERING)}"
        needs = " ".join(
            [text.NEEDS_BY_PRIMARY[plan.primary_need]] + rng.sample(text.NEEDS_EXTRA, 2)
        )
        sections = {
            "A": views.strip(),
            "B": needs,
            "C": rng.choice(text.HEALTH_NEEDS),
            "D": rng.choice(text.SOCIAL_CARE_NEEDS),
            "G": "Health provision: "
            + rng.choice(text.STRONG_PROVISION if rng.random() < p_good else text.WEAK_PROVISION),
            "H1": "No provision under section 2 of the Chronically Sick and Disabled Persons Act 1970.",
            "H2": rng.choice(
                [
                    "Short breaks: two overnight stays a month at the local short-break unit.",
                    "None identified.",
                ]
            ),
            "I": text.PLACEMENT[plan.setting_type],
            "J": rng.choice(
                [
                    "No personal budget requested.",
                    "A personal budget of direct payments for short breaks, reviewed annually.",
                ]
            ),
            "K": "Advice received from: educational psychology, speech and language therapy, paediatrics, school, parents.",
        }
        n_outcomes = rng.choices([2, 3, 4, 5, 6, 7, 8], weights=[1, 3, 5, 6, 5, 3, 2])[0]
        # Most outcomes and provision serve the needs described in B; some do not, so
        # some plans have a broken golden thread.
        need_areas = {area_of(sentence) for sentence in needs.split(". ")} - {""}

        def pick(good: list[str], bad: list[str]) -> str:
            pool = good if rng.random() < p_good else bad
            fitting = [item for item in pool if area_of(item) in need_areas]
            return rng.choice(fitting if fitting and rng.random() < 0.9 else pool)

        outcomes = [pick(text.STRONG_OUTCOMES, text.WEAK_OUTCOMES) for _ in range(n_outcomes)]
        provision = [
            pick(text.STRONG_PROVISION, text.WEAK_PROVISION) for _ in range(rng.randint(3, 7))
        ]
        sections["E"] = "\n".join(outcomes)
        sections["F"] = "\n".join(provision)
        plan.sections = [
            PlanSection(letter=letter, position=i, text=sections[letter])
            for i, letter in enumerate(plan_facts.SECTION_LETTERS)
        ]
        areas = plan_facts.PFA_DOMAINS if (plan.year_group or 0) >= 9 else plan_facts.NEED_AREAS
        plan.outcomes = [
            Outcome(
                position=i,
                text=t,
                area=_AREA_TITLES.get(area_of(t)) or rng.choice(areas),
                timescale=rng.choice(
                    ["End of key stage", "12 months", "By next annual review", ""]
                ),
            )
            for i, t in enumerate(outcomes)
        ]
        plan.provision = [
            ProvisionItem(position=i, section="F", text=t) for i, t in enumerate(provision)
        ]

    def scores_for(self, criteria, quality: float) -> dict[str, Score]:
        scores: dict[str, Score] = {}
        for criterion in criteria:
            if criterion.allow_na and self.rng.random() < 0.12:
                scores[criterion.id] = NOT_APPLICABLE
                continue
            difficulty = SECTION_DIFFICULTY.get(criterion.section, 0.0)
            scores[criterion.id] = _clamp_score(quality + difficulty + self.rng.gauss(0, 0.5))
        return scores

    def add_audit(
        self,
        plan: Plan,
        auditor: User,
        agency: str,
        quality: float,
        assigned: date,
        status: str,
        rating_order: int = 1,
        double_rated: bool = False,
    ) -> Audit:
        rng = self.rng
        meta = plan.metadata_dict()
        criteria = self.rubric.criteria_for(agency, meta)
        audit = Audit(
            plan=plan,
            rubric_version_id=self.rubric_version_id,
            auditor_id=auditor.id,
            agency=agency,
            status=status,
            double_rated=double_rated,
            rating_order=rating_order,
            due_date=assigned + timedelta(days=21),
            is_synthetic=True,
            created_at=_at(assigned, rng),
            updated_at=_at(assigned, rng),
        )
        if status == "assigned":
            audit.status = "draft"
            scores = {}
        else:
            scores = self.scores_for(criteria, quality)
            if status == "draft":
                keep = rng.randint(1, max(1, len(scores) - 1))
                scores = dict(list(scores.items())[:keep])
        audit.scores = [
            CriterionScore(
                criterion_id=cid,
                score=None if value == NOT_APPLICABLE else value,
                not_applicable=value == NOT_APPLICABLE,
                note=rng.choice(text.EVIDENCE_NOTES[value]) if isinstance(value, int) else "",
            )
            for cid, value in scores.items()
        ]
        result = grade(self.rubric, {c: v for c, v in scores.items()}, meta)
        audit.overall_grade = result.overall
        audit.section_grades = result.sections
        audit.grade_reasons = result.reasons
        if status in ("submitted", "moderated"):
            finished = assigned + timedelta(days=rng.randint(2, 20))
            audit.submitted_at = _at(min(finished, self.until), rng)
            audit.updated_at = audit.submitted_at
            audit.strengths = " ".join(rng.sample(text.STRENGTHS_NOTES, 2))
            audit.areas_for_development = " ".join(
                rng.sample(text.DEVELOPMENT_NOTES, 2 if quality < 3 else 1)
            )
        self.counts["audits"] += 1
        self.counts["scores"] += len(audit.scores)
        self.session.add(audit)
        return audit

    def moderate(self, plan: Plan, first: Audit, second: Audit, when: date) -> None:
        rng = self.rng
        moderator = self.users["demo_qa_lead"]
        first_scores = {s.criterion_id: s for s in first.scores}
        agreed = []
        for other in second.scores:
            mine = first_scores.get(other.criterion_id)
            if mine is None:
                continue
            if mine.not_applicable or other.not_applicable:
                agreed.append(
                    ModerationScore(
                        criterion_id=other.criterion_id, not_applicable=True, rationale=""
                    )
                )
                continue
            value = rng.choice([mine.score, other.score])
            rationale = (
                ""
                if mine.score == other.score
                else "Agreed after discussing the evidence in the plan."
            )
            agreed.append(
                ModerationScore(criterion_id=other.criterion_id, score=value, rationale=rationale)
            )
        scores = score_values(agreed)
        result = grade(self.rubric, scores, plan.metadata_dict())
        self.session.add(
            Moderation(
                plan=plan,
                rubric_version_id=self.rubric_version_id,
                first_audit=first,
                second_audit=second,
                moderator_id=moderator.id,
                status="agreed",
                overall_grade=result.overall,
                rationale="Both auditors' evidence reviewed; grade agreed at moderation panel.",
                scores=agreed,
                is_synthetic=True,
                agreed_at=_at(when, rng),
            )
        )
        first.status = second.status = "moderated"
        self.counts["moderations"] += 1

    def run(self, n_plans: int) -> DemoSummary:
        rng = self.rng
        start = _month_start(self.until)
        for _ in range(self.months - 1):
            start = _month_start(start - timedelta(days=1))
        span_days = (self.until - start).days
        for index in range(n_plans):
            offset = int(span_days * index / max(1, n_plans - 1))
            audit_day = start + timedelta(days=offset)
            month_index = (audit_day.year - start.year) * 12 + audit_day.month - start.month
            team = rng.choice(list(TEAMS))
            meta = self.plan_metadata(team)
            quality = self.quality(team, month_index)
            plan = Plan(
                reference=new_reference("DEMO"),
                source="demo",
                is_synthetic=True,
                created_at=_at(audit_day - timedelta(days=3), rng),
                **meta,
            )
            if meta["plan_type"] == "new":
                weeks = max(12.0, rng.gauss(24 - 5 * month_index / max(1, self.months), 5))
                plan.issue_date = audit_day - timedelta(days=rng.randint(5, 25))
                plan.request_date = plan.issue_date - timedelta(days=int(weeks * 7))
            self.plan_text(plan, quality)
            self.session.add(plan)
            self.plans.append(plan)

            age_days = (self.until - audit_day).days
            status = (
                "submitted"
                if age_days > 30
                else rng.choices(["submitted", "draft", "assigned"], weights=[4, 3, 3])[0]
            )
            agencies = ["education"]
            if rng.random() < 0.45:
                agencies.append("health")
            if rng.random() < 0.35:
                agencies.append("social_care")
            for agency in agencies:
                pool = self.auditors[agency]
                first_auditor = rng.choice(pool)
                double = agency == "education" and rng.random() < DOUBLE_RATE_SHARE
                first = self.add_audit(
                    plan, first_auditor, agency, quality, audit_day, status, 1, double
                )
                if double:
                    second_auditor = rng.choice([u for u in pool if u is not first_auditor])
                    second = self.add_audit(
                        plan, second_auditor, agency, quality, audit_day, status, 2, True
                    )
                    if status == "submitted" and age_days > 45 and rng.random() < 0.7:
                        self.moderate(plan, first, second, audit_day + timedelta(days=30))
            if index % 100 == 99:
                self.session.flush()
        self.session.flush()
        return DemoSummary(plans=n_plans, **self.counts)


def seed_demo(
    session: Session,
    actor: Actor,
    *,
    plans: int = 400,
    seed: int = 7,
    months: int = 24,
    until: date | None = None,
    rubric_key: str = "ehcp_core",
    settings: Settings = DEFAULTS,
) -> DemoSummary:
    """Add synthetic plans and audits to the database the session is bound to, flagged
    with the thresholds of ``settings``."""
    require(actor, Action.FILL_DEMO_DATA)
    versions = {v.rubric_key: v for v in current_versions(session)}
    if rubric_key not in versions:
        raise LookupError(
            f"rubric '{rubric_key}' is not registered; is rubrics/{rubric_key}.yaml present?"
        )
    version = versions[rubric_key]
    mark_used(version)
    generator = _Generator(
        session, actor, rubric_of(version), version.id, seed, months, until or date.today()
    )
    plans_before = session.scalar(select(func.max(Plan.id))) or 0
    summary = generator.run(plans)
    review = versions.get("annual_review")
    loop = seed_loop(
        session,
        random.Random(seed + 1),
        generator.users,
        version.id,
        review,
        rubric_of(review) if review else None,
        generator.until,
        plans_after=plans_before,
    )
    if review is not None and loop.review_audits:
        mark_used(review)
    followed_up = demo_actions.add_actions_and_reaudits(generator, seed, generator.plans)
    flag_all_plans(session, actor=actor, settings=settings)
    event_log.record(
        session,
        actor,
        DemoDataAdded(
            None,
            detail={
                "plans": summary.plans,
                "audits": summary.audits,
                "seed": seed,
                "months": months,
                "annual_review_audits": loop.review_audits,
                "family_voice": loop.voice_records,
            }
            | followed_up,
        ),
    )
    return summary


def fill_demo_database(
    session: Session, actor: Actor, *, only_if_empty: bool = False, **seed_options
) -> DemoSummary | None:
    """Make the database a demo one, or add to one, and open the demo accounts; a real
    database is refused. With ``only_if_empty``, data is added only to a database without
    plans (None is returned when there were some)."""
    require(actor, Action.FILL_DEMO_DATA)
    database_kind.refuse_unless_demo(session)
    if database_kind.settle_kind(session, database_kind.DEMO) != database_kind.DEMO:
        database_kind.refuse_unless_demo(session)
    summary = (
        None if only_if_empty and has_data(session) else seed_demo(session, actor, **seed_options)
    )
    accounts.open_demo_accounts(session, actor)
    return summary

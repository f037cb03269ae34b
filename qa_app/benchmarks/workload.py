"""A working floor for reliability tests and the load benchmark, in a real database:
synthetic plans, local accounts with a password (no demo account, which cannot sign in
to a real database), and audits assigned through the real sampling service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.domain.grading import NOT_APPLICABLE
from qa_app.services import accounts, audits, moderation, rubrics
from qa_app.services.access import OPERATOR, Actor, actor_for
from qa_app.services.sampling import SampleRequest, draw_sample
from qa_app.store.models import Audit, Outcome, Plan, PlanSection, User

PASSWORD = "synthetic-floor-password-1"
SECTIONS = ("A", "B", "E", "F")


def add_plans(session: Session, count: int, prefix: str = "PLN-LOAD") -> list[int]:
    plans = [
        Plan(
            reference=f"{prefix}{n:04d}",
            year_group=9,
            key_stage="KS3",
            primary_need="ASD",
            setting_type="mainstream",
            team="North locality",
            plan_type="annual_review",
            is_synthetic=True,
            sections=[
                PlanSection(
                    letter=letter, position=i, text=f"Section {letter} of synthetic plan {n}."
                )
                for i, letter in enumerate(SECTIONS)
            ],
            outcomes=[
                Outcome(
                    position=0,
                    text="By July [child] will make a hot drink on their own.",
                    area="Independent living",
                    weak=False,
                    p_weak=0.1,
                )
            ],
        )
        for n in range(count)
    ]
    session.add_all(plans)
    session.flush()
    return [plan.id for plan in plans]


def add_auditors(
    session: Session,
    count: int,
    agency: str = "education",
    prefix: str = "floor_auditor",
    password: str | None = PASSWORD,
) -> list[Actor]:
    users = [
        accounts.add_user(
            session,
            OPERATOR,
            f"{prefix}_{n}",
            f"Floor auditor {n}",
            {"auditor"},
            agency=agency,
            password=password,
        )
        for n in range(count)
    ]
    return [actor_for(user) for user in users]


def ehcp_core_version(session: Session) -> int:
    return next(v.id for v in rubrics.current_versions(session) if v.rubric_key == "ehcp_core")


def assign(
    session: Session,
    lead: Actor,
    plan_ids: list[int],
    auditors: list[Actor],
    *,
    double_rate_pct: float = 0.0,
    name: str = "Floor sample",
) -> list[int]:
    """Assign the plans round-robin to the auditors (all of one agency); returns audit ids."""
    agency = auditors[0].agency
    drawn = draw_sample(
        session,
        lead,
        SampleRequest(
            name=name,
            method="manual",
            rubric_version_id=ehcp_core_version(session),
            assignees={agency: [a.user_id for a in auditors]},
            plan_ids=tuple(plan_ids),
            double_rate_pct=double_rate_pct,
            seed=1,
        ),
    )
    return drawn.audit_ids


def add_lead(
    session: Session, username: str = "floor_lead", password: str | None = PASSWORD
) -> Actor:
    return actor_for(
        accounts.add_user(
            session,
            OPERATOR,
            username,
            username.replace("_", " ").title(),
            {"qa_lead"},
            password=password,
        )
    )


def actor_named(session: Session, username: str) -> Actor:
    return actor_for(session.scalar(select(User).where(User.username == username)))


def fill(session: Session, actor: Actor, audit_id: int, level: int = 3) -> int:
    """Score every criterion (N/A where allowed), with notes; returns the new version."""
    view = audits.open_audit(session, actor, audit_id)
    version = view.version
    for criterion in view.criteria:
        value = NOT_APPLICABLE if criterion.allow_na else level
        version, _ = audits.save_score(
            session,
            actor,
            audit_id,
            criterion.id,
            expected_version=version,
            level=value,
            note="Evidence seen in the plan.",
        )
    return version


def submitted_pair(
    session: Session, lead: Actor, first: Actor, second: Actor, levels=(3, 2)
) -> list[int]:
    """A double-rated plan scored and submitted by both auditors; returns the two audit ids."""
    (plan_id,) = add_plans(session, 1, prefix="PLN-PAIR")
    audit_ids = assign(
        session, lead, [plan_id], [first, second], double_rate_pct=100, name="Pair sample"
    )
    by_auditor = {session.get(Audit, audit_id).auditor_id: audit_id for audit_id in audit_ids}
    for actor, level in zip((first, second), levels):
        version = fill(session, actor, by_auditor[actor.user_id], level)
        audits.submit(session, actor, by_auditor[actor.user_id], expected_version=version)
    return audit_ids


@dataclass(frozen=True)
class Floor:
    """Who can sign in (all with ``PASSWORD``) and what they have."""

    first_auditor: Actor
    second_auditor: Actor
    lead: Actor
    second_lead: Actor
    drafts: dict[int, int]
    pair: list[int]
    moderation_id: int


FIRST_AUDITOR = "floor_auditor_0"
SECOND_AUDITOR = "floor_auditor_1"
LEAD = "floor_lead"
SECOND_LEAD = "floor_lead_2"


def open_floor(session: Session) -> Floor:
    """Two education auditors (``floor_auditor_0`` and ``floor_auditor_1``) with a draft
    each, a double-rated pair both have submitted, its moderation started, and two QA
    leads (``floor_lead`` and ``floor_lead_2``)."""
    first, second = add_auditors(session, 2)
    lead = add_lead(session, LEAD)
    second_lead = add_lead(session, SECOND_LEAD)
    draft_ids = assign(session, lead, add_plans(session, 2), [first, second])
    drafts = {session.get(Audit, audit_id).auditor_id: audit_id for audit_id in draft_ids}
    pair = submitted_pair(session, lead, first, second)
    moderation_id = moderation.start_moderation(session, lead, pair[0])
    return Floor(first, second, lead, second_lead, drafts, pair, moderation_id)

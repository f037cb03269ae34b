"""People, a plan and assigned audits to score, on a fresh database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from qa_app.benchmarks import workload
from qa_app.services import rubrics
from qa_app.services.access import Actor, actor_for
from qa_app.services.sampling import SampleRequest, draw_sample
from qa_app.store.models import Outcome, Plan, PlanSection, User, UserRole


@dataclass
class Team:
    lead: Actor
    edu_1: Actor
    edu_2: Actor
    health: Actor
    training: Actor
    plan_id: int
    rubric_version_id: int


def _user(session, username: str, roles: tuple[str, ...], agency: str | None) -> Actor:
    user = User(
        username=username,
        display_name=username.replace("_", " ").title(),
        agency=agency,
        role_rows=[UserRole(role=r) for r in roles],
    )
    session.add(user)
    session.flush()
    return actor_for(user)


def make_plan(session, reference: str, **meta) -> Plan:
    values = {
        "year_group": 10,
        "key_stage": "KS4",
        "primary_need": "ASD",
        "setting_type": "mainstream",
        "team": "North",
        "plan_type": "new",
    } | meta
    plan = Plan(
        reference=reference,
        **values,
        sections=[
            PlanSection(letter=letter, position=i, text=f"Section {letter} text of {reference}.")
            for i, letter in enumerate(["A", "B", "E", "F"])
        ],
        outcomes=[
            Outcome(
                position=0,
                text="By July [child] will travel to college alone.",
                area="Independent living",
                weak=False,
                p_weak=0.1,
            ),
            Outcome(
                position=1,
                text="[child] will receive speech therapy.",
                area="Health",
                weak=True,
                p_weak=0.9,
                reasons="provision written as an outcome",
            ),
        ],
    )
    session.add(plan)
    session.flush()
    return plan


@pytest.fixture
def team(session) -> Team:
    version = next(v for v in rubrics.current_versions(session) if v.rubric_key == "ehcp_core")
    built = Team(
        lead=_user(session, "qa_lead", ("qa_lead",), None),
        edu_1=_user(session, "edu_one", ("auditor",), "education"),
        edu_2=_user(session, "edu_two", ("auditor",), "education"),
        health=_user(session, "health_one", ("auditor",), "health"),
        training=_user(session, "trainer", ("training",), None),
        plan_id=make_plan(session, "PLN-AUDIT001").id,
        rubric_version_id=version.id,
    )
    session.commit()
    return built


def assign_plan(
    session, team: Team, assignees: dict[str, list[int]], double_rate_pct: float = 0.0
) -> list[int]:
    """Assign the team's plan by hand; returns the new audit ids."""
    drawn = draw_sample(
        session,
        team.lead,
        SampleRequest(
            name="Test sample",
            method="manual",
            rubric_version_id=team.rubric_version_id,
            assignees=assignees,
            plan_ids=(team.plan_id,),
            double_rate_pct=double_rate_pct,
        ),
    )
    session.commit()
    return drawn.audit_ids


def fill_audit(session, actor: Actor, audit_id: int, level: int = 3) -> int:
    """Score every criterion of the audit at ``level`` (N/A where allowed for variety),
    with notes; returns the audit's version."""
    version = workload.fill(session, actor, audit_id, level)
    session.commit()
    return version


@pytest.fixture
def assign():
    return assign_plan


@pytest.fixture
def fill():
    return fill_audit

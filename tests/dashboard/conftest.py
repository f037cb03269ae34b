"""A small, known set of finished audits to chart, built directly in the database.

``add_audit`` writes one submitted audit of a new plan, with the grade and criterion
scores given, submitted in the month given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from qa_app.services import dashboard
from qa_app.services.access import Actor
from qa_app.store.models import Audit, CriterionScore, Plan, RubricVersion, User, UserRole

LEAD = Actor(user_id=None, display_name="QA lead", roles=frozenset({"qa_lead"}))
AUDITOR = Actor(
    user_id=None, display_name="Auditor", roles=frozenset({"auditor"}), agency="education"
)


@pytest.fixture
def lead() -> Actor:
    return LEAD


@pytest.fixture
def auditor() -> Actor:
    return AUDITOR


@pytest.fixture(autouse=True)
def fresh_cache():
    dashboard.clear_cache()
    yield
    dashboard.clear_cache()


class Builder:
    def __init__(self, session):
        self.session = session
        self.version = session.scalar(
            select(RubricVersion).where(RubricVersion.rubric_key == "ehcp_core")
        )
        self.auditor = User(
            username="dash_auditor",
            display_name="Auditor",
            agency="education",
            role_rows=[UserRole(role="auditor")],
        )
        session.add(self.auditor)
        session.flush()
        self.count = 0

    def add_audit(
        self,
        month: str,
        grade: int | None,
        scores: dict[str, int] | None = None,
        *,
        team: str = "North",
        agency: str = "education",
        need: str = "ASD",
        key_stage: str = "KS2",
        setting: str = "mainstream",
        plan_type: str = "annual_review",
        year_group: int = 4,
        weak: bool | None = None,
        request: date | None = None,
        issue: date | None = None,
        status: str = "submitted",
        plan: Plan | None = None,
        rating_order: int = 1,
        double_rated: bool = False,
    ) -> Audit:
        self.count += 1
        if plan is None:
            plan = Plan(
                reference=f"PLN-DASH{self.count:04d}",
                team=team,
                primary_need=need,
                key_stage=key_stage,
                setting_type=setting,
                plan_type=plan_type,
                year_group=year_group,
                weak_flag=weak,
                request_date=request,
                issue_date=issue,
            )
        year, number = (int(part) for part in month.split("-"))
        audit = Audit(
            plan=plan,
            rubric_version_id=self.version.id,
            auditor_id=self.auditor.id,
            agency=agency,
            status=status,
            overall_grade=grade,
            rating_order=rating_order,
            double_rated=double_rated,
            submitted_at=datetime(year, number, 10, 12, tzinfo=UTC),
            scores=[CriterionScore(criterion_id=c, score=s) for c, s in (scores or {}).items()],
        )
        self.session.add(audit)
        self.session.flush()
        return audit


@pytest.fixture
def build(session):
    return Builder(session)

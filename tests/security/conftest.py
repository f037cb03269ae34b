"""A demo database shared by the cross-cutting security tests, with hostile text planted
where plan text, notes and metadata are shown or exported."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from qa_app.services import demo
from qa_app.services.access import SYSTEM, Actor, actor_for
from qa_app.store.engine import engine_for, session_factory
from qa_app.store.models import Audit, CriterionScore, Outcome, PlanSection, User

MARKER = "ZXQ7-PLANTED"
# Would run script in a browser if any page rendered it as HTML.
HOSTILE_HTML = f'<img src=x onerror="window.__xss=1">{MARKER}<script>window.__xss=2</script>'
FORMULAS = ('=HYPERLINK("http://evil.example","x")', "+SUM(1,2)", "-2+3", "@cmd")


@dataclass(frozen=True)
class Planted:
    url: str
    actors: dict[str, Actor]
    plan_id: int
    audit_id: int
    other_plan_id: int
    other_audit_id: int
    draft_audit_id: int
    marker: str = MARKER
    formulas: tuple[str, ...] = FORMULAS


@pytest.fixture(scope="module")
def planted(sqlite_template, tmp_path_factory) -> Planted:
    path = tmp_path_factory.mktemp("security") / "qa.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    with session_factory(url)() as session:
        demo.seed_demo(session, SYSTEM, plans=24, seed=11, months=4, until=date(2026, 6, 30))
        session.flush()
        users = {u.username: u for u in session.scalars(select(User))}
        actors = {
            "qa_lead": actor_for(users["demo_qa_lead"]),
            "auditor": actor_for(users["demo_auditor"]),
            "training": actor_for(users["demo_training"]),
            "admin": actor_for(users["demo_admin"]),
        }
        mine = session.scalars(
            select(Audit)
            .where(Audit.auditor_id == users["demo_auditor"].id, Audit.status != "draft")
            .order_by(Audit.id)
        ).first()
        others = session.scalars(
            select(Audit)
            .where(
                Audit.auditor_id == users["demo_edu_2"].id,
                Audit.plan_id != mine.plan_id,
                Audit.plan_id.not_in(
                    select(Audit.plan_id).where(Audit.auditor_id == users["demo_auditor"].id)
                ),
            )
            .order_by(Audit.id)
        ).first()
        for plan_id in (mine.plan_id, others.plan_id):
            section = session.scalar(
                select(PlanSection).where(PlanSection.plan_id == plan_id, PlanSection.letter == "A")
            )
            section.text = HOSTILE_HTML + " " + section.text
            outcome = session.scalars(
                select(Outcome).where(Outcome.plan_id == plan_id).order_by(Outcome.position)
            ).first()
            outcome.text = HOSTILE_HTML + " " + outcome.text
        mine.strengths = HOSTILE_HTML
        scores = session.scalars(
            select(CriterionScore)
            .where(CriterionScore.audit_id == mine.id)
            .order_by(CriterionScore.id)
        ).all()
        scores[0].note = HOSTILE_HTML
        for score, formula in zip(scores[1:], FORMULAS):
            score.note = formula
        mine.plan.team = "=1+1"
        mine.plan.writer_code = "@W01"
        draft = session.scalars(
            select(Audit)
            .where(Audit.auditor_id == users["demo_auditor"].id, Audit.status == "draft")
            .order_by(Audit.id)
        ).first()
        if draft is None:
            # The seeded sample may give this auditor nothing open: hand them another
            # education auditor's draft of a plan they have not audited.
            draft = session.scalars(
                select(Audit)
                .where(
                    Audit.status == "draft",
                    Audit.agency == "education",
                    Audit.plan_id.not_in(
                        select(Audit.plan_id).where(Audit.auditor_id == users["demo_auditor"].id)
                    ),
                )
                .order_by(Audit.id)
            ).first()
            draft.auditor_id = users["demo_auditor"].id
        planted = Planted(url, actors, mine.plan_id, mine.id, others.plan_id, others.id, draft.id)
        session.commit()
    yield planted
    engine_for(url).dispose()


@pytest.fixture
def app_settings(planted, point_app_at):
    """Point the app's settings at the planted database for AppTest runs."""
    point_app_at(planted.url)
    return planted

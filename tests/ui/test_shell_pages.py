"""The app shell: Plans, Plan and Rubrics pages render for a QA lead on demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa_app.services.access import actor_for
from qa_app.store.engine import session_factory
from qa_app.store.models import Plan, User


@pytest.fixture
def demo_url(demo_database, point_app_at):
    url = demo_database(plans=40, seed=2, months=6)
    point_app_at(url)
    return url


def actor(url: str, username: str):
    with session_factory(url)() as session:
        return actor_for(session.scalar(select(User).where(User.username == username)))


def test_plans_page_lists_and_filters(demo_url, run_page):
    lead = actor(demo_url, "demo_qa_lead")
    at = run_page("plans", lead)
    assert not at.exception
    assert at.title[0].value == "Plans"
    with session_factory(demo_url)() as session:
        stored = session.scalar(select(func.count()).select_from(Plan))
    # Amended versions are plans of their own, so the demo holds more than the 40 it drew.
    assert f"Showing {stored} plans." in at.caption[0].value
    team = at.selectbox[0]
    chosen = team.options[1]
    at = team.select(chosen).run()
    table = at.dataframe[0].value
    assert set(table["Team"]) == {chosen}


def test_plan_page_shows_sections_and_outcomes(demo_url, run_page):
    lead = actor(demo_url, "demo_qa_lead")
    with session_factory(demo_url)() as session:
        plan = session.scalars(select(Plan).order_by(Plan.id)).first()
        reference, first_outcome = plan.reference, plan.outcomes[0].text
    at = run_page("plan", lead, {"plan": str(plan.id)})
    assert not at.exception
    assert at.title[0].value == f"Plan {reference}"
    assert first_outcome in set(at.dataframe[0].value["Outcome"])


def test_plan_page_refuses_an_auditor_not_assigned(demo_url, run_page):
    with session_factory(demo_url)() as session:
        auditor = session.scalar(select(User).where(User.username == "demo_social_2"))
        assigned = {
            a.plan_id
            for a in session.scalars(select(Plan).join(Plan.audits))
            for a in a.audits
            if a.auditor_id == auditor.id
        }
        other = session.scalar(select(Plan.id).where(Plan.id.not_in(assigned or {0})))
        who = actor_for(auditor)
    at = run_page("plan", who, {"plan": str(other)})
    assert not at.exception
    assert "not one of yours" in at.error[0].value


def test_rubrics_page_renders_criteria_and_descriptors(demo_url, run_page):
    lead = actor(demo_url, "demo_qa_lead")
    at = run_page("rubrics", lead)
    assert not at.exception
    assert at.title[0].value == "Rubrics"
    first = at.dataframe[0].value
    assert {
        "Criterion",
        "Question",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    } <= set(first.columns)

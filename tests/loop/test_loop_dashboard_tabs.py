"""The dashboard's own tabs for annual-review audits and for family voice, rendered in
AppTest over demo data: each counts what the database holds, follows the team filter,
and withholds shares resting on fewer answers than the suppression size."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa_app.services import dashboard
from qa_app.services.access import actor_for
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit, FamilyVoice, Plan, RubricVersion, User

REVIEW_STANDARDS = [
    "Meeting notified two weeks ahead",
    "Advice circulated two weeks before the meeting",
    "Decision within four weeks of the meeting",
    "Amended plan issued on time",
    "Child's or young person's views gathered",
    "Family's views gathered",
    "Progress and provision reviewed",
    "Preparing for Adulthood discussed",
]


@pytest.fixture(scope="module")
def demo_url(demo_database):
    return demo_database(plans=120, seed=4, months=6)


@pytest.fixture(autouse=True)
def fresh_cache():
    dashboard.clear_cache()
    yield
    dashboard.clear_cache()


def _lead(url):
    with session_factory(url)() as session:
        return actor_for(session.scalar(select(User).where(User.username == "demo_qa_lead")))


def _tab(at, label):
    return next(tab for tab in at.tabs if tab.label == label)


def _reviews(url, team=None) -> int:
    query = (
        select(func.count(Audit.id))
        .join(RubricVersion)
        .join(Plan, Plan.id == Audit.plan_id)
        .where(
            RubricVersion.rubric_key == "annual_review",
            Audit.status.in_(("submitted", "moderated")),
            Audit.rating_order == 1,
        )
    )
    if team:
        query = query.where(Plan.team == team)
    with session_factory(url)() as session:
        return session.scalar(query)


def test_the_annual_reviews_tab_counts_review_audits_apart_and_follows_the_team(
    demo_url, point_app_at, run_page
):
    point_app_at(demo_url)
    at = run_page("dashboard", _lead(demo_url))
    assert not at.exception
    tab = _tab(at, "Annual reviews")
    assert tab.markdown[0].value == "##### Annual review quality standard"
    reviews = _reviews(demo_url)
    assert reviews >= 5
    assert tab.caption[0].value.startswith(f"{reviews} annual-review audits completed")
    table = tab.table[0].value
    assert list(table.index) == REVIEW_STANDARDS
    assert set(table["Area"]) == {
        "Timeliness against the Code of Practice",
        "Content of the review",
    }
    assert len(tab.get("vega_lite_chart")) == 1
    plan_audits = next(m for m in at.metric if m.label == "Audits completed").value
    with session_factory(demo_url)() as session:
        every_audit = session.scalar(
            select(func.count(Audit.id)).where(
                Audit.status.in_(("submitted", "moderated")), Audit.rating_order == 1
            )
        )
    assert int(plan_audits.replace(",", "")) == every_audit - reviews, "plan audits alone"

    at.selectbox(key="dash_team").set_value("Post-16 team").run()
    in_team = _reviews(demo_url, "Post-16 team")
    caption = _tab(at, "Annual reviews")
    if in_team:
        assert caption.caption[0].value.startswith(f"{in_team} annual-review audits completed")
    else:
        assert "No annual-review audits" in caption.info[0].value


def test_the_family_voice_tab_shows_shares_and_suppresses_small_numbers(
    demo_url, point_app_at, suppression, run_page
):
    point_app_at(demo_url)
    with session_factory(demo_url)() as session:
        parents = session.scalar(
            select(func.count(FamilyVoice.id)).where(FamilyVoice.respondent == "parent_carer")
        )
    at = run_page("dashboard", _lead(demo_url))
    tab = _tab(at, "Family voice")
    assert f"{parents} parents or carers" in tab.caption[0].value
    shown = tab.table[0].value
    assert "Parent or carer: “I was listened to”" in shown.index
    assert shown["Agree or strongly agree"].str.endswith("%").all()

    suppression(parents + 1)
    at = run_page("dashboard", _lead(demo_url))
    assert not at.exception
    hidden = _tab(at, "Family voice").table[0].value
    assert (hidden["Agree or strongly agree"] == "suppressed").all()
    assert (_tab(at, "Annual reviews").table[0].value["Met the standard"] == "suppressed").all()

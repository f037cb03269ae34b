"""Drawing samples: seeded random, stratified, by hand; assignment and blind double rating."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.services.rubrics import current_versions
from qa_app.services.sampling import SampleRequest, choose_plans, draw_sample, sample_warnings
from qa_app.store.models import Audit, EventLogEntry, Plan


def _add_plans(session, count: int) -> list[int]:
    teams = (
        ["North"] * (count // 2)
        + ["South"] * (count // 4)
        + ["East"] * (count - count // 2 - count // 4)
    )
    plans = [
        Plan(
            reference=f"PLN-S{i:05d}",
            team=team,
            key_stage="KS2" if i % 3 else "KS4",
            primary_need="ASD" if i % 2 else "SEMH",
            plan_type="new" if i % 4 else "annual_review",
        )
        for i, team in enumerate(teams)
    ]
    session.add_all(plans)
    session.commit()
    return [p.id for p in plans]


def _request(team, **changes) -> SampleRequest:
    values = {
        "name": "Monthly sample",
        "method": "random",
        "rubric_version_id": team.rubric_version_id,
        "assignees": {"education": [team.edu_1.user_id, team.edu_2.user_id]},
        "size": 12,
        "seed": 42,
    }
    return SampleRequest(**(values | changes))


def test_random_sample_is_repeatable_for_a_seed_and_differs_for_another(session, team):
    _add_plans(session, 80)
    first = choose_plans(session, team.lead, _request(team))
    assert first == choose_plans(session, team.lead, _request(team))
    assert len(first) == len(set(first)) == 12
    assert first != choose_plans(session, team.lead, _request(team, seed=43))


def test_stratified_sample_gives_each_team_its_share(session, team):
    _add_plans(session, 80)  # plus the fixture's plan, in team North: 41 North, 20 South, 20 East
    chosen = choose_plans(
        session, team.lead, _request(team, method="stratified", strata=("team",), size=20)
    )
    teams = Counter(session.get(Plan, i).team for i in chosen)
    assert teams == {"North": 10, "South": 5, "East": 5}
    with pytest.raises(InvalidInput, match="stratify"):
        choose_plans(session, team.lead, _request(team, method="stratified", strata=()))


def test_drawing_assigns_in_turn_and_double_rates_the_share_blind(session, team):
    _add_plans(session, 40)
    drawn = draw_sample(session, team.lead, _request(team, size=10, double_rate_pct=20))
    session.commit()
    audits = session.scalars(select(Audit).where(Audit.sample_id == drawn.sample_id)).all()
    assert len(drawn.plan_ids) == 10 and len(drawn.double_rated_plan_ids) == 2
    assert len(audits) == 12
    per_plan = Counter(a.plan_id for a in audits)
    for plan_id in drawn.double_rated_plan_ids:
        pair = sorted((a for a in audits if a.plan_id == plan_id), key=lambda a: a.rating_order)
        assert per_plan[plan_id] == 2
        assert [a.rating_order for a in pair] == [1, 2] and all(a.double_rated for a in pair)
        assert pair[0].auditor_id != pair[1].auditor_id
    load = Counter(a.auditor_id for a in audits if a.rating_order == 1)
    assert load == {team.edu_1.user_id: 5, team.edu_2.user_id: 5}
    assert (
        len(session.scalars(select(EventLogEntry).where(EventLogEntry.action == "assign")).all())
        == 12
    )


def test_by_hand_and_by_agency(session, team):
    ids = _add_plans(session, 5)
    drawn = draw_sample(
        session,
        team.lead,
        _request(
            team,
            method="manual",
            plan_ids=(ids[1], ids[3]),
            assignees={"education": [team.edu_1.user_id], "health": [team.health.user_id]},
        ),
    )
    session.commit()
    audits = session.scalars(select(Audit).where(Audit.sample_id == drawn.sample_id)).all()
    assert sorted((a.plan_id, a.agency, a.auditor_id) for a in audits) == sorted(
        [
            (ids[1], "education", team.edu_1.user_id),
            (ids[1], "health", team.health.user_id),
            (ids[3], "education", team.edu_1.user_id),
            (ids[3], "health", team.health.user_id),
        ]
    )


def test_refusals(session, team):
    _add_plans(session, 5)
    with pytest.raises(InvalidInput, match="health auditors"):
        draw_sample(
            session, team.lead, _request(team, size=2, assignees={"health": [team.edu_1.user_id]})
        )
    with pytest.raises(InvalidInput, match="cannot hold"):
        draw_sample(session, team.lead, _request(team, size=500))
    with pytest.raises(PermissionDenied):
        draw_sample(session, team.edu_1, _request(team, size=2))


def test_a_second_draw_leaves_out_plans_with_audits_in_progress_and_says_so(session, team):
    _add_plans(session, 10)  # 11 plans with the fixture's
    first = draw_sample(session, team.lead, _request(team, size=8))
    session.commit()
    second = _request(team, size=3, seed=7)
    assert sample_warnings(session, team.lead, second) == [
        "8 matching plan(s) are left out: they already have an audit in progress."
    ]
    drawn = draw_sample(session, team.lead, second)
    assert not set(drawn.plan_ids) & set(first.plan_ids)
    with pytest.raises(
        InvalidInput, match=r"Only 0 plans match \(11 more have an audit in progress\)"
    ):
        draw_sample(session, team.lead, _request(team, size=1, seed=8))


def test_nobody_is_given_a_second_open_audit_of_the_same_plan(session, team):
    ids = _add_plans(session, 2)
    by_hand = _request(
        team, method="manual", plan_ids=(ids[0],), assignees={"education": [team.edu_1.user_id]}
    )
    draw_sample(session, team.lead, by_hand)
    session.commit()
    both = _request(
        team,
        method="manual",
        plan_ids=(ids[0],),
        assignees={"education": [team.edu_1.user_id, team.edu_2.user_id]},
    )
    assert (
        "1 of the chosen plans already have an audit in progress"
        in sample_warnings(session, team.lead, both)[0]
    )
    drawn = draw_sample(session, team.lead, both)
    assert [session.get(Audit, i).auditor_id for i in drawn.audit_ids] == [team.edu_2.user_id]
    with pytest.raises(
        InvalidInput, match="Every chosen education auditor already has an audit of plan PLN-S00000"
    ):
        draw_sample(session, team.lead, by_hand)


def test_blind_double_rating_with_one_auditor_is_said_before_drawing_and_refused(session, team):
    _add_plans(session, 10)
    alone = _request(
        team, size=4, double_rate_pct=50, assignees={"education": [team.edu_1.user_id]}
    )
    (warning,) = sample_warnings(session, team.lead, alone)
    assert warning.startswith(
        "Blind double rating needs two education auditors, and only one is chosen"
    )
    assert "Choose a second education auditor (1 more available)." in warning
    with pytest.raises(InvalidInput, match="no plan could be double-rated"):
        draw_sample(session, team.lead, alone)
    assert session.scalar(select(Audit.id)) is None
    tiny = _request(team, size=2, double_rate_pct=10)
    assert sample_warnings(session, team.lead, tiny) == [
        "10 % of 2 plan(s) rounds to no plan: none will be double-rated. Raise the share or the sample size."
    ]
    assert draw_sample(
        session, team.lead, _request(team, size=4, double_rate_pct=50)
    ).double_rated_plan_ids


def test_an_annual_review_draw_counts_only_annual_review_plans_as_left_out(session, team):
    ids = _add_plans(session, 10)  # PLN-S00000, -04 and -08 come from annual reviews
    reviews = session.scalars(
        select(Plan.id).where(Plan.id.in_(ids), Plan.plan_type == "annual_review")
    ).all()
    new_ones = [i for i in ids if i not in reviews]
    by_hand = _request(team, method="manual", plan_ids=(reviews[0], *new_ones[:4]))
    draw_sample(session, team.lead, by_hand)
    session.commit()
    annual = next(v for v in current_versions(session) if v.rubric_key == "annual_review")
    review_draw = _request(team, size=1, rubric_version_id=annual.id)
    assert sample_warnings(session, team.lead, review_draw) == [
        "1 matching plan(s) are left out: they already have an audit in progress."
    ]
    assert sample_warnings(session, team.lead, _request(team, size=1)) == [
        "5 matching plan(s) are left out: they already have an audit in progress."
    ]

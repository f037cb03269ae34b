"""Moderating a double-rated pair, and agreement statistics from the pairs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from qa_app.services import audits, moderation
from qa_app.services.errors import InvalidInput, PermissionDenied, StaleVersion
from qa_app.settings import Settings
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit, CriterionScore

NAMED = Settings(show_auditor_names=True, suppression_size=1)
ANONYMOUS = Settings(suppression_size=1)


@pytest.fixture
def pair(session, team, assign, fill):
    """Both raters of a blind double rating: first scores Good throughout, second
    Requires improvement on the aspirations criterion."""
    first_id, second_id = assign(
        session, team, {"education": [team.edu_1.user_id, team.edu_2.user_id]}, 100
    )
    audits.submit(
        session, team.edu_1, first_id, expected_version=fill(session, team.edu_1, first_id, 3)
    )
    version = fill(session, team.edu_2, second_id, 3)
    version, _ = audits.save_score(
        session, team.edu_2, second_id, "a_aspirations", expected_version=version, level=2
    )
    audits.submit(session, team.edu_2, second_id, expected_version=version)
    session.commit()
    return first_id, second_id


def test_a_pair_cannot_be_moderated_before_both_submit(session, team, assign, fill):
    first_id, second_id = assign(
        session, team, {"education": [team.edu_1.user_id, team.edu_2.user_id]}, 100
    )
    audits.submit(
        session, team.edu_1, first_id, expected_version=fill(session, team.edu_1, first_id)
    )
    session.commit()
    (summary,) = moderation.double_rated_pairs(session, team.lead)
    assert (summary.first_audit_id, summary.second_audit_id, summary.ready) == (
        first_id,
        second_id,
        False,
    )
    with pytest.raises(InvalidInput, match="Both auditors must submit"):
        moderation.start_moderation(session, team.lead, first_id)
    with pytest.raises(PermissionDenied):
        moderation.double_rated_pairs(session, team.edu_1)


def test_moderation_shows_disagreements_and_records_an_agreed_record(session, team, pair):
    first_id = pair[0]
    originals = {
        a: sorted(
            (s.criterion_id, s.score)
            for s in session.scalars(select(CriterionScore).where(CriterionScore.audit_id == a))
        )
        for a in pair
    }
    moderation_id = moderation.start_moderation(session, team.lead, first_id)
    session.commit()
    view = moderation.open_moderation(session, team.lead, moderation_id)
    assert view.disagreements == 1
    (different,) = [row for row in view.rows if row.disagree]
    assert (different.criterion.id, different.first, different.second, different.agreed) == (
        "a_aspirations",
        3,
        2,
        None,
    )
    assert all(row.agreed == row.first for row in view.rows if not row.disagree)

    version = moderation.save_agreed_score(
        session, team.lead, moderation_id, "a_aspirations", expected_version=view.version, level=2
    )
    session.commit()
    with pytest.raises(InvalidInput) as gaps:
        moderation.agree(session, team.lead, moderation_id, expected_version=version)
    assert "Aspirations" in str(gaps.value) and "needs a rationale" in str(gaps.value)
    assert "overall grade is not agreed" in str(gaps.value)
    session.rollback()
    version = moderation.save_agreed_score(
        session,
        team.lead,
        moderation_id,
        "a_aspirations",
        expected_version=version,
        rationale="Aspirations are the parents', not the child's.",
    )
    version = moderation.save_overall(
        session,
        team.lead,
        moderation_id,
        expected_version=version,
        overall_grade=3,
        rationale="Good overall; voice of the child needs work.",
    )
    moderation.agree(session, team.lead, moderation_id, expected_version=version)
    session.commit()

    assert {session.get(Audit, a).status for a in pair} == {"moderated"}
    for audit_id in pair:
        assert (
            sorted(
                (s.criterion_id, s.score)
                for s in session.scalars(
                    select(CriterionScore).where(CriterionScore.audit_id == audit_id)
                )
            )
            == originals[audit_id]
        )
    closed = moderation.open_moderation(session, team.lead, moderation_id)
    assert closed.status == "agreed" and closed.overall_grade == 3
    with pytest.raises(InvalidInput, match="agreed and closed"):
        moderation.save_overall(
            session, team.lead, moderation_id, expected_version=closed.version, overall_grade=2
        )


def test_two_moderators_cannot_overwrite_each_other(session, db_url, team, pair):
    moderation_id = moderation.start_moderation(session, team.lead, pair[0])
    session.commit()
    seen = moderation.open_moderation(session, team.lead, moderation_id).version
    session.commit()
    with session_factory(db_url)() as other:
        moderation.save_overall(
            other, team.lead, moderation_id, expected_version=seen, overall_grade=2
        )
        other.commit()
    with pytest.raises(StaleVersion) as stale:
        moderation.save_overall(
            session, team.lead, moderation_id, expected_version=seen, overall_grade=4
        )
    assert stale.value.changes == ["Qa Lead changed agreed overall grade from nothing to 2"]


def test_agreement_statistics_rest_on_the_submitted_pairs(session, team, pair):
    report = moderation.agreement_report(session, team.lead, settings=NAMED)
    scored = [c for c in audits.open_audit(session, team.edu_1, pair[0]).criteria if not c.allow_na]
    assert report.overall.pairs == len(scored)
    assert report.overall.exact == pytest.approx((len(scored) - 1) / len(scored))
    assert report.overall.within_one == 1.0
    assert report.overall.alpha is None  # only two raters
    criteria = {cid: stats for cid, _, stats in report.by_criterion}
    assert criteria["a_aspirations"].pairs == 1 and criteria["a_aspirations"].exact == 0.0
    assert criteria["a_child_voice"].exact == 1.0
    assert [name for name, _ in report.by_auditor] == ["Edu One", "Edu Two"]
    assert report.by_auditor[0][1].pairs == len(scored)
    anonymous = moderation.agreement_report(session, team.lead, settings=ANONYMOUS)
    assert [name for name, _ in anonymous.by_auditor] == sorted(
        [f"Auditor {team.edu_1.user_id}", f"Auditor {team.edu_2.user_id}"]
    )


def test_agreement_statistics_for_a_period(session, team, pair):
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert (
        moderation.agreement_report(
            session, team.lead, settings=ANONYMOUS, since=tomorrow
        ).overall.pairs
        == 0
    )
    everything = moderation.agreement_report(
        session, team.lead, settings=ANONYMOUS, until=tomorrow
    ).overall.pairs
    assert (
        everything
        == moderation.agreement_report(session, team.lead, settings=ANONYMOUS).overall.pairs
        > 0
    )


def test_agreement_on_too_few_plans_is_suppressed_as_on_trends_with_the_counts_kept(
    session, team, pair
):
    report = moderation.agreement_report(
        session, team.lead, settings=Settings(show_auditor_names=True, suppression_size=2)
    )
    assert report.plans == 1 and report.suppressed(report.plans)
    assert report.overall.pairs > 20  # criterion pairs are still counted
    assert (report.overall.exact, report.overall.kappa, report.overall.ac1) == (None, None, None)
    assert all(
        stats.kappa is None and stats.ac1 is None and stats.pairs == 1
        for _, _, stats in report.by_criterion
    )
    assert report.plans_by_auditor == {"Edu One": 1, "Edu Two": 1}
    assert all(stats.exact is None for _, stats in report.by_auditor)
    shown = moderation.agreement_report(session, team.lead, settings=ANONYMOUS)
    assert not shown.suppressed(shown.plans) and shown.overall.exact is not None


def test_moderation_shows_the_plan_beside_the_ratings_and_the_widest_disagreement_first(
    session, team, pair
):
    moderation_id = moderation.start_moderation(session, team.lead, pair[0])
    view = moderation.open_moderation(session, team.lead, moderation_id)
    ordered = view.disagreements_by_size()
    assert ordered and [row.size for row in ordered] == sorted(
        (row.size for row in ordered), reverse=True
    )
    assert all(row.disagree for row in ordered) and len(ordered) == view.disagreements
    aspirations = next(row for row in view.rows if row.criterion.id == "a_aspirations")
    assert [letter for letter, _ in view.plan_text_for(aspirations.criterion)] == ["A"]
    gate = next(row for row in view.rows if row.criterion.section == "gate")
    assert view.plan_text_for(gate.criterion) == []

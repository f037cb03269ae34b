"""Scoring, saving, submitting and reopening audits, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from qa_app.domain.grading import NOT_APPLICABLE
from qa_app.services import audits
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied, StaleVersion
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit, AuditReopening, EventLogEntry


def test_my_audits_lists_only_the_users_own_assignments(session, team, assign):
    edu_audit, health_audit = assign(
        session, team, {"education": [team.edu_1.user_id], "health": [team.health.user_id]}
    )
    mine = audits.my_audits(session, team.edu_1)
    assert [(a.id, a.agency, a.status, a.plan_reference) for a in mine] == [
        (edu_audit, "education", "draft", "PLN-AUDIT001")
    ]
    assert mine[0].scored == 0 and mine[0].to_score > 20
    assert [a.id for a in audits.my_audits(session, team.health)] == [health_audit]
    assert audits.my_audits(session, team.edu_2) == []
    with pytest.raises(PermissionDenied):
        audits.my_audits(session, team.training)


def test_open_audit_shows_only_the_auditors_agency_and_shared_criteria(session, team, assign):
    edu_audit, health_audit = assign(
        session, team, {"education": [team.edu_1.user_id], "health": [team.health.user_id]}
    )
    edu_view = audits.open_audit(session, team.edu_1, edu_audit)
    health_view = audits.open_audit(session, team.health, health_audit)
    assert {c.agency for c in edu_view.criteria} == {"education", "any"}
    assert {c.agency for c in health_view.criteria} == {"health", "any"}
    assert "e_pfa_domains" in {c.id for c in edu_view.criteria}  # Year 10: PfA applies
    assert [o["weak"] for o in edu_view.outcomes] == [False, True]
    with pytest.raises(NotFound):
        audits.open_audit(session, team.edu_2, edu_audit)
    assert audits.open_audit(session, team.lead, edu_audit).id == edu_audit


def test_each_saved_score_is_in_the_database_for_a_new_session(session, db_url, team, assign):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = audits.open_audit(session, team.edu_1, audit_id).version
    version, _ = audits.save_score(
        session, team.edu_1, audit_id, "a_child_voice", expected_version=version, level=2
    )
    version, _ = audits.save_score(
        session,
        team.edu_1,
        audit_id,
        "a_child_voice",
        expected_version=version,
        note="Views are second-hand.",
    )
    version = audits.save_text(
        session, team.edu_1, audit_id, "strengths", "Clear needs.", expected_version=version
    )
    session.commit()

    with session_factory(db_url)() as later:
        view = audits.open_audit(later, team.edu_1, audit_id)
        assert view.scores["a_child_voice"] == audits.ScoreState(2, "Views are second-hand.")
        assert view.strengths == "Clear needs."
        assert view.version == version


def test_grade_and_its_reason_follow_each_score(session, team, assign, fill):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = fill(session, team.edu_1, audit_id, level=3)
    assert audits.open_audit(session, team.edu_1, audit_id).result.overall_label == "Good"
    _, result = audits.save_score(
        session, team.edu_1, audit_id, "f_provision_quantified", expected_version=version, level=1
    )
    assert result.overall_label == "Requires improvement"
    assert any(
        "capped at Requires improvement" in r and "quantified" in r.lower() for r in result.reasons
    )
    stored = session.get(Audit, audit_id)
    assert stored.overall_grade == 2 and stored.grade_reasons == result.reasons


def test_na_only_where_the_rubric_allows_it_and_levels_only_from_its_scale(session, team, assign):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = audits.open_audit(session, team.edu_1, audit_id).version
    with pytest.raises(InvalidInput, match="cannot be marked N/A"):
        audits.save_score(
            session,
            team.edu_1,
            audit_id,
            "a_child_voice",
            expected_version=version,
            level=NOT_APPLICABLE,
        )
    with pytest.raises(InvalidInput, match="not a level"):
        audits.save_score(
            session, team.edu_1, audit_id, "a_child_voice", expected_version=version, level=7
        )
    with pytest.raises(InvalidInput, match="not part of this audit"):
        audits.save_score(
            session, team.edu_1, audit_id, "c_health_needs", expected_version=version, level=3
        )


def test_submit_names_every_gap_then_locks_the_audit(session, team, assign, fill):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = audits.open_audit(session, team.edu_1, audit_id).version
    version, _ = audits.save_score(
        session, team.edu_1, audit_id, "a_child_voice", expected_version=version, level=1
    )
    with pytest.raises(audits.SubmitRefused) as refused:
        audits.submit(session, team.edu_1, audit_id, expected_version=version)
    problems = refused.value.problems
    assert "Child's voice needs an evidence note (Inadequate)" in problems or any(
        "needs an evidence note (Inadequate)" in p for p in problems
    )
    assert any(p.endswith("is not scored") for p in problems)
    session.rollback()

    version = fill(session, team.edu_1, audit_id, level=2)
    version = audits.submit(session, team.edu_1, audit_id, expected_version=version)
    session.commit()
    assert session.get(Audit, audit_id).status == "submitted"
    with pytest.raises(InvalidInput, match="locked"):
        audits.save_score(
            session, team.edu_1, audit_id, "a_child_voice", expected_version=version, level=3
        )


def test_only_a_qa_lead_can_reopen_and_the_reopening_is_logged(session, team, assign, fill):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = audits.submit(
        session, team.edu_1, audit_id, expected_version=fill(session, team.edu_1, audit_id)
    )
    session.commit()
    with pytest.raises(PermissionDenied):
        audits.reopen(session, team.edu_1, audit_id, "typo")
    with pytest.raises(InvalidInput, match="reason"):
        audits.reopen(session, team.lead, audit_id, "  ")
    version = audits.reopen(
        session,
        team.lead,
        audit_id,
        "Wrong plan section scored; Jamie's mum (jo.smith@example.org) asked Edu One to check",
    )
    session.commit()
    entry = session.scalars(select(EventLogEntry).where(EventLogEntry.action == "reopen")).one()
    assert (entry.actor_name, entry.old_value, entry.new_value) == ("Qa Lead", "submitted", "draft")
    reopening = session.scalars(select(AuditReopening)).one()
    assert json.loads(entry.detail) == {"version": version, "reopening": reopening.id}
    assert "scored" not in entry.detail  # the reason is not in the append-only log
    assert reopening.audit_id == audit_id and reopening.reopened_by_id == team.lead.user_id
    assert reopening.reason.startswith("Wrong plan section scored; [name]")
    assert (
        "Jamie" not in reopening.reason
        and "jo.smith" not in reopening.reason
        and "Edu One" not in reopening.reason
    )
    view = audits.open_audit(session, team.edu_1, audit_id)
    assert [(r.by, r.reason) for r in view.reopenings] == [("Qa Lead", reopening.reason)]
    assert audits.reopening_reasons(session, team.lead, [reopening.id]) == {
        reopening.id: reopening.reason
    }
    assert audits.reopening_reasons(session, team.edu_2, [reopening.id]) == {}
    audits.save_score(
        session, team.edu_1, audit_id, "a_child_voice", expected_version=version, level=4
    )


def test_log_records_old_and_new_levels_but_never_note_text(session, team, assign):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = audits.open_audit(session, team.edu_1, audit_id).version
    version, _ = audits.save_score(
        session, team.edu_1, audit_id, "b_needs_described", expected_version=version, level=3
    )
    audits.save_score(
        session,
        team.edu_1,
        audit_id,
        "b_needs_described",
        expected_version=version,
        level=2,
        note="Jo Bloggs has no speech therapy listed",
    )
    session.commit()
    entries = session.scalars(
        select(EventLogEntry).where(
            EventLogEntry.entity == "audit", EventLogEntry.action == "update"
        )
    ).all()
    assert [
        (e.field, e.old_value, e.new_value) for e in entries if e.field.startswith("score")
    ] == [("score:b_needs_described", None, "3"), ("score:b_needs_described", "3", "2")]
    assert not any(
        "Bloggs" in (e.old_value or "") + (e.new_value or "") + (e.detail or "") for e in entries
    )


def test_a_save_against_an_older_version_is_refused_and_says_what_changed(
    session, db_url, team, assign
):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    seen = audits.open_audit(session, team.edu_1, audit_id).version
    session.commit()
    with session_factory(db_url)() as other_tab:
        audits.save_score(
            other_tab, team.lead, audit_id, "a_child_voice", expected_version=seen, level=4
        )
        other_tab.commit()
    with pytest.raises(StaleVersion) as stale:
        audits.save_score(
            session, team.edu_1, audit_id, "a_child_voice", expected_version=seen, level=1
        )
    assert stale.value.changes == [
        "Qa Lead changed Child's voice from unscored to Outstanding"
    ] or (
        len(stale.value.changes) == 1 and "from unscored to Outstanding" in stale.value.changes[0]
    )
    session.rollback()
    assert audits.open_audit(session, team.edu_1, audit_id).scores["a_child_voice"].level == 4


def test_two_concurrent_saves_of_one_audit_the_later_is_refused(session, db_url, team, assign):
    """Both sessions have read the audit at the same version before either writes: the
    database's version check refuses the second write."""
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = audits.open_audit(session, team.edu_1, audit_id).version
    session.commit()
    factory = session_factory(db_url)
    with factory() as first, factory() as second:
        first.get(Audit, audit_id)
        second.get(Audit, audit_id)
        audits.save_score(
            first, team.edu_1, audit_id, "a_aspirations", expected_version=version, level=3
        )
        first.commit()
        with pytest.raises(StaleVersion) as stale:
            audits.save_score(
                second, team.edu_1, audit_id, "a_aspirations", expected_version=version, level=2
            )
        second.rollback()
        assert any("Outstanding" not in c and "to Good" in c for c in stale.value.changes)
    with factory() as check:
        assert audits.open_audit(check, team.edu_1, audit_id).scores["a_aspirations"].level == 3


def test_second_rater_is_blind_to_the_first_until_both_submit(session, team, assign, fill):
    first_id, second_id = assign(
        session, team, {"education": [team.edu_1.user_id, team.edu_2.user_id]}, 100
    )
    assert (
        session.get(Audit, first_id).double_rated
        and session.get(Audit, second_id).rating_order == 2
    )
    submitted = audits.submit(
        session, team.edu_1, first_id, expected_version=fill(session, team.edu_1, first_id, 4)
    )
    session.commit()
    assert submitted
    seen = {a.id for a in audits.visible_audits_of_plan(session, team.edu_2, team.plan_id)}
    assert seen == {second_id}
    with pytest.raises(NotFound):
        audits.open_audit(session, team.edu_2, first_id)
    assert audits.combined_view(session, team.edu_2, team.plan_id).rows[0].by_agency == {
        "education": None
    }

    audits.submit(
        session, team.edu_2, second_id, expected_version=fill(session, team.edu_2, second_id, 2)
    )
    session.commit()
    seen = {a.id for a in audits.visible_audits_of_plan(session, team.edu_2, team.plan_id)}
    assert seen == {first_id, second_id}
    assert {a.id for a in audits.visible_audits_of_plan(session, team.lead, team.plan_id)} == {
        first_id,
        second_id,
    }


def test_combined_view_takes_each_criterion_from_its_owning_agency(session, team, assign, fill):
    edu_id, health_id = assign(
        session, team, {"education": [team.edu_1.user_id], "health": [team.health.user_id]}
    )
    audits.submit(
        session, team.edu_1, edu_id, expected_version=fill(session, team.edu_1, edu_id, 4)
    )
    audits.submit(
        session, team.health, health_id, expected_version=fill(session, team.health, health_id, 2)
    )
    session.commit()
    view = audits.combined_view(session, team.lead, team.plan_id)
    rows = {r.criterion_id: r for r in view.rows}
    assert view.agencies == ["education", "health"]
    assert rows["a_child_voice"].combined == 4 and rows["a_child_voice"].owner == "education"
    assert rows["c_health_needs"].combined == 2 and rows["c_health_needs"].by_agency == {
        "education": None,
        "health": 2,
    }
    assert rows["k_advice_listed"].by_agency == {"education": 4, "health": 2}
    assert rows["k_advice_listed"].combined == 2
    assert view.result.overall is not None

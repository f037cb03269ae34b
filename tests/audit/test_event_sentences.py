"""The event log read as sentences: every registered event, recorded as its service records
it, is found again from the stored row and reads as a sentence without stored syntax; the
people and records it names are named by username, plan reference, criterion title and
level label."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.services import event_log
from qa_app.services import events as ev
from qa_app.services.errors import PermissionDenied
from qa_app.services.event_sentences import RECORD_TYPES, event_class, readable
from qa_app.services.events import EVENTS
from qa_app.services.rubrics import get_version, rubric_of
from qa_app.store.models import Audit, EventLogEntry, Plan
from tests.audit.conftest import assign_plan


def _samples(team, audit_id: int, criterion_id: str, criterion_title: str) -> dict[str, ev.Event]:
    """One event of each class, with the values its service records."""
    user, plan, period = (
        team.edu_1.user_id,
        team.plan_id,
        {"from": "2026-01-01", "to": "2026-03-31"},
    )
    events = [
        ev.UserCreated(user, new=["auditor"], detail={"agency": "education", "password_set": True}),
        ev.DemoUserCreated(user, new=["training"], detail={"agency": None, "synthetic": True}),
        ev.UserDisabled(user, old=True, new=False),
        ev.UserEnabled(user, old=False, new=True),
        ev.PasswordReset(user, detail={"change": "password reset", "sessions_ended": 2}),
        ev.DemoPasswordChanged(user, detail={"change": "demo password removed"}),
        ev.UserUnlocked(
            user, old="failures counted", new="unlocked", detail={"failures_forgotten": 5}
        ),
        ev.RolesChanged(
            user,
            old=["training"],
            new=["auditor", "qa_lead"],
            detail={"agency": [None, "social_care"]},
        ),
        ev.SignedIn(user, detail="password"),
        ev.SignInFailed(None, detail="username or password refused as input"),
        ev.SignedOut(user, detail="signed out"),
        ev.PlanImported(
            plan,
            detail={
                "reference": "PLN-AUDIT001",
                "sections": ["A", "E"],
                "outcomes": 3,
                "provision_items": 2,
                "warnings": 0,
                "version_of": None,
                "version": 1,
            },
        ),
        ev.PlanViewed(plan),
        ev.PlanFlagged(plan, old=False, new=True, detail={"model": "m1", "outcomes": 3, "weak": 2}),
        ev.FlagRun(
            detail={"model": "m1", "scope": "all", "plans": 4, "flagged": 1, "skipped_purged": 0}
        ),
        ev.PlanTextPurged(plan, detail={"plans": 1, "sections": 11, "outcomes": 3}),
        ev.RetentionRun(
            None, detail={"retention_days": 2555, "cutoff": "2019-01-01T00:00:00", "plans": 2}
        ),
        ev.OutcomeFlagJudged(
            1, old=None, new=True, detail={"audit": audit_id, "flagged_weak": True}
        ),
        ev.ProvisionCheckJudged(
            1, old=True, new=False, detail={"audit": audit_id, "flagged_weak": False}
        ),
        ev.SampleDrawn(
            1, detail={"method": "random", "seed": 4, "plans": 10, "audits": 12, "strata": []}
        ),
        ev.AuditAssigned(
            audit_id, new=user, detail={"plan": plan, "agency": "education", "rating_order": 1}
        ),
        ev.AuditViewed(audit_id),
        ev.ScoreSaved(audit_id, field=f"score:{criterion_id}", old=3, new=2, detail={"version": 2}),
        ev.NoteSaved(
            audit_id, field=f"note:{criterion_id}", old="0 characters", new="48 characters"
        ),
        ev.AuditTextSaved(audit_id, field="strengths", old="0 characters", new="120 characters"),
        ev.AuditSubmitted(
            audit_id, old="draft", new="submitted", detail={"version": 9, "grade": 3}
        ),
        ev.AuditReopened(
            audit_id, old="submitted", new="draft", detail={"version": 10, "reopening": 1}
        ),
        ev.AuditModerated(
            audit_id, old="submitted", new="moderated", detail={"version": 11, "moderation": 1}
        ),
        ev.ModerationStarted(
            1, detail={"first_audit": audit_id, "second_audit": audit_id + 1, "prefilled": 4}
        ),
        ev.ModerationViewed(1),
        ev.AgreedLevelSaved(
            1, field=f"agreed level of {criterion_title}", old=None, new=2, detail={"version": 2}
        ),
        ev.CriterionRationaleSaved(
            1, field=f"rationale for {criterion_title}", detail={"version": 3}
        ),
        ev.AgreedGradeSaved(1, old=None, new=3, detail={"version": 4}),
        ev.OverallRationaleSaved(1, detail={"version": 5}),
        ev.ModerationAgreed(1, old="draft", new="agreed", detail={"version": 6, "grade": 3}),
        ev.ActionRecorded(
            1, detail={"audit_id": audit_id, "kind": "training", "due_date": "2026-05-01"}
        ),
        ev.ActionStatusChanged(1, old="open", new="done"),
        ev.ActionNoteChanged(1, detail="completion note changed"),
        ev.FamilyVoiceRecorded(1, detail={"audit": audit_id, "respondent": "parent_carer"}),
        ev.FamilyVoiceAnswerChanged(1, field="We were listened to", old=None, new="agree"),
        ev.FamilyVoiceCommentChanged(1, detail={"characters": 42}),
        ev.AuditsExported(None, detail={**period, "format": "csv", "rows": 6}),
        ev.ActionsExported(
            None, detail={"status": None, "owner": None, "format": "xlsx", "rows": 3}
        ),
        ev.ReportDownloaded(None, detail={"date_from": "2026-01-01", "date_to": "2026-03-31"}),
        ev.EvidencePackExported(None, detail={**period, "team": None}),
        ev.ChartAuditsListed(
            None, detail={"filters": {"team": None}, "selection": {"grade": 3}, "audits": 4}
        ),
        ev.RubricRegistered(1, new="ehcp_core v3 0123456789ab"),
        ev.DemoDataAdded(None, detail={"plans": 40, "audits": 80, "seed": 7}),
        ev.DatabaseRestored(None, detail={"backup_revision": "0009", "tables": 20, "rows": 900}),
    ]
    return {type(event).__name__: event for event in events}


@pytest.fixture
def audit(session, team):
    (audit_id,) = assign_plan(session, team, {"education": [team.edu_1.user_id]})
    rubric = rubric_of(get_version(session, team.rubric_version_id))
    criterion = rubric.criteria_for("education", session.get(Plan, team.plan_id).metadata_dict())[0]
    return audit_id, criterion


def _recorded(session, team, event) -> EventLogEntry:
    event_log.record(session, team.lead, event)
    session.flush()
    return session.scalars(select(EventLogEntry).order_by(EventLogEntry.id.desc())).first()


def test_every_registered_event_reads_as_a_sentence(session, team, audit):
    audit_id, criterion = audit
    samples = _samples(team, audit_id, criterion.id, criterion.title)
    assert set(samples) == set(EVENTS), (
        "give each new event a sample here, as its service records it"
    )
    for name, event in samples.items():
        entry = _recorded(session, team, event)
        assert event_class(entry) is EVENTS[name], name
        (shown,) = readable(session, team.lead, [entry])
        assert shown.what and shown.what[0].isupper(), (name, shown.what)
        assert not set(shown.what) & set('{}[]"\\'), (name, shown.what)
        for code in ("social_care", "qa_lead", "None", "True", "False", "characters_"):
            assert code not in shown.what, (name, shown.what)
        assert shown.who == "Qa Lead (qa_lead)"
        assert entry.action in shown.stored


def test_sentences_name_people_plans_criteria_and_levels(session, team, audit):
    audit_id, criterion = audit
    samples = _samples(team, audit_id, criterion.id, criterion.title)
    shown = {
        name: readable(session, team.lead, [_recorded(session, team, samples[name])])[0].what
        for name in ("ScoreSaved", "PlanImported", "AuditAssigned", "RolesChanged", "UserDisabled")
    }
    assert shown["ScoreSaved"] == (
        f"Score for '{criterion.title}' changed from Good to Requires improvement "
        f"(audit {audit_id} of plan PLN-AUDIT001)"
    )
    assert shown["PlanImported"] == "Plan PLN-AUDIT001 imported, with 3 outcomes"
    assert shown["AuditAssigned"] == (
        f"Audit {audit_id} of plan PLN-AUDIT001 assigned to edu_one (Education)"
    )
    assert shown["RolesChanged"] == (
        "Roles of edu_one changed from Training to Auditor, QA lead; "
        "agency from no agency to Social care"
    )
    assert shown["UserDisabled"] == "Account edu_one disabled"
    assert session.get(Audit, audit_id).plan_id == team.plan_id


def test_only_readers_of_the_log_get_its_sentences(session, team):
    with pytest.raises(PermissionDenied):
        readable(session, team.edu_1, [])


def test_every_kind_of_record_has_a_name_for_the_filter():
    assert {cls.entity for cls in EVENTS.values()} <= set(RECORD_TYPES)

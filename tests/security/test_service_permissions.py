"""Every service, called by every role: a role outside the policy gets PermissionDenied
from the service itself, whatever the navigation shows. Auditors are further limited to
their own audits and the plans behind them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa_app.domain.rubric import RubricError
from qa_app.ingest import ParsedPlan
from qa_app.ingest.header import PlanMetadata
from qa_app.services import (
    accounts,
    actions,
    audits,
    dashboard,
    demo,
    event_log,
    event_sentences,
    evidence_pack,
    exports,
    family_voice,
    flags,
    learning_reports,
    moderation,
    outcome_feedback,
    plan_checks_summary,
    plans,
    provision_feedback,
    reaudits,
    retention,
    review_dashboard,
    rubrics,
    sampling,
    typed_text,
)
from qa_app.services.access import Action
from qa_app.services.dashboard import DashboardFilters, Selection
from qa_app.services.errors import NotFound, PermissionDenied, ServiceError
from qa_app.services.learning_reports import ReportRequest
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.services.sampling import SampleRequest
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit, Outcome, ProvisionItem
from tests.security.service_actions import service_functions

MISSING = 10**7
# The roles each service lets in, read from the services' own checks (service_actions.py);
# the calls below prove each function really refuses the others.
MATRIX = {f.name: f.roles() for f in service_functions()}
# Public functions that take an actor but check no action, and why that is right.
UNCHECKED = {
    "accounts.refreshed_actor": "re-reads the signed-in person's own account",
    "accounts.record_sign_out": "logs the signed-in person's own sign-out",
    "browser_sessions.start_session": "starts a session for a person who has just signed in",
    "flags.flag_new_plan": "runs inside plan_import.import_plan, which has checked its action",
    "accounts.open_demo_accounts": "runs only in a demo database, at start-up or after fill_demo_database",
    "accounts.close_demo_accounts": "start-up in a real database: takes synthetic accounts' passwords away",
    "demo.ensure_demo_users": "adds the synthetic accounts for seed_demo, which has checked its action",
}


def _sample(p, version_id):
    return SampleRequest(
        name="security check",
        method="random",
        rubric_version_id=version_id,
        assignees={"education": [p.actors["auditor"].user_id]},
        size=1,
        seed=1,
    )


def _parsed_plan():
    return ParsedPlan(
        file="plan.docx",
        sections={"A": "text"},
        outcomes=[],
        provision=[],
        metadata=PlanMetadata(
            audit_date=date(2026, 3, 1),
            age=None,
            year_group=None,
            key_stage=None,
            primary_need=None,
            setting=None,
            setting_type=None,
        ),
    )


CALLS = {
    "plans.list_plans": lambda s, a, p, v: plans.list_plans(s, a),
    "plans.filter_options": lambda s, a, p, v: plans.filter_options(s, a),
    "plans.get_plan": lambda s, a, p, v: plans.get_plan(s, a, p.plan_id),
    "audits.my_audits": lambda s, a, p, v: audits.my_audits(s, a),
    "audits.open_audit": lambda s, a, p, v: audits.open_audit(s, a, p.audit_id),
    "audits.save_score": lambda s, a, p, v: audits.save_score(
        s, a, p.audit_id, "x", expected_version=1, note="n"
    ),
    "audits.save_text": lambda s, a, p, v: audits.save_text(
        s, a, p.audit_id, "strengths", "t", expected_version=1
    ),
    "audits.submit": lambda s, a, p, v: audits.submit(s, a, p.audit_id, expected_version=1),
    "audits.reopen": lambda s, a, p, v: audits.reopen(s, a, p.audit_id, "a reason"),
    "audits.reopening_reasons": lambda s, a, p, v: audits.reopening_reasons(s, a, [1]),
    "audits.visible_audits_of_plan": lambda s, a, p, v: audits.visible_audits_of_plan(
        s, a, p.plan_id
    ),
    "audits.combined_view": lambda s, a, p, v: audits.combined_view(s, a, p.plan_id),
    "sampling.auditors_by_agency": lambda s, a, p, v: sampling.auditors_by_agency(s, a),
    "sampling.choose_plans": lambda s, a, p, v: sampling.choose_plans(s, a, _sample(p, v)),
    "sampling.preview": lambda s, a, p, v: sampling.preview(s, a, _sample(p, v)),
    "sampling.sample_warnings": lambda s, a, p, v: sampling.sample_warnings(s, a, _sample(p, v)),
    "sampling.draw_sample": lambda s, a, p, v: sampling.draw_sample(s, a, _sample(p, v)),
    "moderation.double_rated_pairs": lambda s, a, p, v: moderation.double_rated_pairs(s, a),
    "moderation.start_moderation": lambda s, a, p, v: moderation.start_moderation(s, a, MISSING),
    "moderation.open_moderation": lambda s, a, p, v: moderation.open_moderation(s, a, MISSING),
    "moderation.save_agreed_score": lambda s, a, p, v: moderation.save_agreed_score(
        s, a, MISSING, "x", expected_version=1, level=3
    ),
    "moderation.save_overall": lambda s, a, p, v: moderation.save_overall(
        s, a, MISSING, expected_version=1, overall_grade=3
    ),
    "moderation.agree": lambda s, a, p, v: moderation.agree(s, a, MISSING, expected_version=1),
    "moderation.agreement_report": lambda s, a, p, v: moderation.agreement_report(s, a),
    "exports.export_rows": lambda s, a, p, v: exports.export_rows(
        s, a, date(2026, 1, 1), date(2026, 6, 30)
    ),
    "exports.export_period": lambda s, a, p, v: exports.export_period(
        s, a, date(2026, 1, 1), date(2026, 6, 30), "csv"
    ),
    "plan_import.import_plan": lambda s, a, p, v: import_plan(s, a, _parsed_plan(), PlanDetails()),
    "dashboard.dashboard_options": lambda s, a, p, v: dashboard.dashboard_options(s, a),
    "dashboard.dashboard_data": lambda s, a, p, v: dashboard.dashboard_data(s, a),
    "dashboard.audits_behind": lambda s, a, p, v: dashboard.audits_behind(
        s, a, DashboardFilters(), Selection()
    ),
    "learning_reports.report_options": lambda s, a, p, v: learning_reports.report_options(s, a),
    "learning_reports.build_report": lambda s, a, p, v: learning_reports.build_report(
        s,
        a,
        ReportRequest(date_from=date(2020, 1, 1), date_to=date(2020, 1, 31), team="' OR '1'='1"),
    ),
    "rubrics.register_rubric_files": lambda s, a, p, v: rubrics.register_rubric_files(
        s, a, PROJECT_ROOT / "rubrics"
    ),
    "event_log.read_log": lambda s, a, p, v: event_log.read_log(s, a),
    "event_log.log_filter_options": lambda s, a, p, v: event_log.log_filter_options(s, a),
    "event_sentences.readable": lambda s, a, p, v: event_sentences.readable(s, a, []),
    "accounts.list_users": lambda s, a, p, v: accounts.list_users(s, a),
    "accounts.add_user": lambda s, a, p, v: accounts.add_user(
        s, a, "newcomer", "New", {"training"}, password="long enough password"
    ),
    "accounts.disable_user": lambda s, a, p, v: accounts.disable_user(s, a, "demo_edu_3"),
    "accounts.enable_user": lambda s, a, p, v: accounts.enable_user(s, a, "demo_edu_3"),
    "accounts.reset_password": lambda s, a, p, v: accounts.reset_password(
        s, a, "demo_edu_3", "long enough password"
    ),
    "accounts.set_roles": lambda s, a, p, v: accounts.set_roles(s, a, "demo_edu_3", {"training"}),
    "accounts.locked_usernames": lambda s, a, p, v: accounts.locked_usernames(s, a),
    "accounts.unlock_user": lambda s, a, p, v: accounts.unlock_user(s, a, "demo_edu_3"),
    "demo.seed_demo": lambda s, a, p, v: demo.seed_demo(s, a, plans=1, months=1),
    "demo.fill_demo_database": lambda s, a, p, v: demo.fill_demo_database(s, a, only_if_empty=True),
    "flags.flag_plan": lambda s, a, p, v: flags.flag_plan(s, a, p.plan_id),
    "flags.flag_all_plans": lambda s, a, p, v: flags.flag_all_plans(s, actor=a, model=_NO_MODEL),
    "flags.flag_stored_plans": lambda s, a, p, v: flags.flag_stored_plans(s, a, model=_NO_MODEL),
    "outcome_feedback.outcome_flags_for_audit": lambda s, a, p, v: (
        outcome_feedback.outcome_flags_for_audit(s, a, p.audit_id)
    ),
    "outcome_feedback.record_judgement": lambda s, a, p, v: outcome_feedback.record_judgement(
        s, a, audit_id=p.audit_id, outcome_id=_first(s, Outcome, p.plan_id), agrees=True
    ),
    "outcome_feedback.feedback_examples": lambda s, a, p, v: outcome_feedback.feedback_examples(
        s, a
    ),
    "provision_feedback.provision_checks_for_audit": lambda s, a, p, v: (
        provision_feedback.provision_checks_for_audit(s, a, p.audit_id)
    ),
    "provision_feedback.record_provision_judgement": lambda s, a, p, v: (
        provision_feedback.record_provision_judgement(
            s, a, audit_id=p.audit_id, provision_id=_first(s, ProvisionItem, p.plan_id), agrees=True
        )
    ),
    "provision_feedback.provision_feedback_examples": lambda s, a, p, v: (
        provision_feedback.provision_feedback_examples(s, a)
    ),
    "plan_checks_summary.checks_summary": lambda s, a, p, v: plan_checks_summary.checks_summary(
        s, a
    ),
    "plans.visible_plans_query": lambda s, a, p, v: plans.visible_plans_query(a),
    "rubrics.register_rubric_text": lambda s, a, p, v: rubrics.register_rubric_text(
        s, a, "not: a rubric", "x.yaml"
    ),
    "typed_text.save_typed": lambda s, a, p, v: typed_text.save_typed(
        s, a, typed_text.TypedField("text", p.audit_id, "strengths"), "t", expected_version=1
    ),
    "retention.purge_plan_text": lambda s, a, p, v: retention.purge_plan_text(
        s, a, 730, dry_run=True
    ),
    "actions.create_action": lambda s, a, p, v: actions.create_action(
        s,
        a,
        MISSING,
        kind="training",
        description="d",
        owner=actions.Owner.of_team("T"),
        due_date=date(2099, 1, 1),
    ),
    "actions.complete_action": lambda s, a, p, v: actions.complete_action(s, a, MISSING, "done"),
    "actions.cancel_action": lambda s, a, p, v: actions.cancel_action(s, a, MISSING),
    "actions.reopen_action": lambda s, a, p, v: actions.reopen_action(s, a, MISSING),
    "actions.list_actions": lambda s, a, p, v: actions.list_actions(s, a),
    "actions.owner_choices": lambda s, a, p, v: actions.owner_choices(s, a),
    "actions.export_actions": lambda s, a, p, v: actions.export_actions(s, a, "csv"),
    "reaudits.earlier_audit": lambda s, a, p, v: reaudits.earlier_audit(s, a, p.audit_id),
    "reaudits.reaudit_impact": lambda s, a, p, v: reaudits.reaudit_impact(s, a),
    "family_voice.record_voice": lambda s, a, p, v: family_voice.record_voice(
        s, a, p.audit_id, "parent_carer", {"listened_to": 3}
    ),
    "family_voice.voices_for_audit": lambda s, a, p, v: family_voice.voices_for_audit(
        s, a, p.audit_id
    ),
    "family_voice.voice_summary": lambda s, a, p, v: family_voice.voice_summary(
        s, a, date(2026, 1, 1), date(2026, 6, 30)
    ),
    "review_dashboard.review_slice": lambda s, a, p, v: review_dashboard.review_slice(s, a),
    "evidence_pack.gather_evidence": lambda s, a, p, v: evidence_pack.gather_evidence(
        s, a, evidence_pack.EvidenceRequest(date(2026, 1, 1), date(2026, 6, 30))
    ),
    "evidence_pack.build_evidence_pack": lambda s, a, p, v: evidence_pack.build_evidence_pack(
        s, a, evidence_pack.EvidenceRequest(date(2026, 6, 1), date(2026, 6, 30))
    ),
    "evidence_pack.evidence_teams": lambda s, a, p, v: evidence_pack.evidence_teams(s, a),
}
ROLES = ("qa_lead", "auditor", "training", "admin")


class _NoModel:
    """Refuses to classify: a permission check must come before any classifying."""

    version = "none"

    def __getattr__(self, name):
        raise ServiceError("classified")


_NO_MODEL = _NoModel()


def _first(session, model, plan_id):
    return (
        session.scalar(select(model.id).where(model.plan_id == plan_id).order_by(model.id))
        or MISSING
    )


def test_the_role_matrix_read_from_the_services_covers_every_public_function():
    """Every service function that takes an actor checks an action or says why not, and
    is called by every role below; the read matrix names every action of the table."""
    checked = {
        name for name, function in ((f.name, f) for f in service_functions()) if function.actions
    }
    assert set(MATRIX) - checked == set(UNCHECKED)
    assert set(CALLS) == checked
    used = set().union(*(f.actions for f in service_functions()))
    pages_only = {Action.SEE_RUBRICS}  # open to every role; the rubrics page reads files
    assert used | pages_only == set(Action)


@pytest.mark.parametrize("role", ROLES)
def test_every_service_enforces_its_role_policy(planted, role):
    actor = planted.actors[role]
    wrongly_allowed, wrongly_denied = [], []
    for name, call in CALLS.items():
        allowed = MATRIX[name]
        with session_factory(planted.url)() as session:
            version_id = session.scalar(
                select(Audit.rubric_version_id).where(Audit.id == planted.audit_id)
            )
            try:
                call(session, actor, planted, version_id)
                outcome = "passed"
            except PermissionDenied:
                outcome = "denied"
            except (ServiceError, RubricError):
                outcome = "passed the permission check"
            finally:
                session.rollback()
        if role in allowed and outcome == "denied":
            wrongly_denied.append(name)
        if role not in allowed and outcome != "denied":
            wrongly_allowed.append(name)
    assert wrongly_allowed == []
    assert wrongly_denied == []


def test_an_auditor_sees_only_their_own_audits_and_the_plans_behind_them(planted):
    auditor = planted.actors["auditor"]
    with session_factory(planted.url)() as session:
        assigned = set(
            session.scalars(select(Audit.plan_id).where(Audit.auditor_id == auditor.user_id))
        )
        listed, total = plans.list_plans(session, auditor)
        assert {p.id for p in listed} == assigned and total == len(assigned)
        assert {s.id for s in audits.my_audits(session, auditor)} == set(
            session.scalars(select(Audit.id).where(Audit.auditor_id == auditor.user_id))
        )
        assert plans.get_plan(session, auditor, planted.plan_id).id == planted.plan_id
        with pytest.raises(NotFound):
            plans.get_plan(session, auditor, planted.other_plan_id)
        with pytest.raises(NotFound):
            audits.open_audit(session, auditor, planted.other_audit_id)
        assert audits.visible_audits_of_plan(session, auditor, planted.other_plan_id) == []
        assert audits.combined_view(session, auditor, planted.other_plan_id) is None
        session.rollback()


def test_an_auditor_cannot_change_another_auditors_audit(planted):
    auditor = planted.actors["auditor"]
    with session_factory(planted.url)() as session:
        version = session.get(Audit, planted.other_audit_id).version
        for attempt in (
            lambda: audits.save_text(
                session,
                auditor,
                planted.other_audit_id,
                "strengths",
                "mine now",
                expected_version=version,
            ),
            lambda: audits.save_score(
                session, auditor, planted.other_audit_id, "x", expected_version=version, note="n"
            ),
            lambda: audits.submit(
                session, auditor, planted.other_audit_id, expected_version=version
            ),
        ):
            with pytest.raises((NotFound, PermissionDenied)):
                attempt()
        session.rollback()


def test_plan_views_are_logged_with_who(planted):
    lead = planted.actors["qa_lead"]
    with session_factory(planted.url)() as session:
        plans.get_plan(session, lead, planted.plan_id)
        session.flush()
        entry = event_log.read_log(session, lead, action="view", entity="plan", limit=1)[0]
        assert (entry.actor_id, entry.entity_id) == (lead.user_id, str(planted.plan_id))
        session.rollback()


def test_exports_and_report_downloads_are_logged_with_who(planted):
    with session_factory(planted.url)() as session:
        lead, training = planted.actors["qa_lead"], planted.actors["training"]
        exports.export_period(session, lead, date(2026, 1, 1), date(2026, 6, 30), "csv")
        learning_reports.build_report(
            session, training, ReportRequest(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))
        )
        session.flush()
        exported = event_log.read_log(session, lead, action="export", limit=1)[0]
        downloaded = event_log.read_log(session, lead, action="download", entity="report", limit=1)[
            0
        ]
        assert exported.actor_id == lead.user_id and '"format": "csv"' in exported.detail
        assert downloaded.actor_id == training.user_id
        session.rollback()

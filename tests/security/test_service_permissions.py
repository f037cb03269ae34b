"""Every service, called by every role: a role outside the policy gets PermissionDenied
from the service itself, whatever the navigation shows. Auditors are further limited to
their own audits and the plans behind them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa_app.ingest import ParsedPlan
from qa_app.ingest.header import PlanMetadata
from qa_app.services import (
    accounts,
    audit_log,
    audits,
    dashboard,
    exports,
    moderation,
    plans,
    reports,
    retention,
    rubrics,
    sampling,
)
from qa_app.services.dashboard import DashboardFilters, Selection
from qa_app.services.errors import NotFound, PermissionDenied, ServiceError
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.services.reports import ReportRequest
from qa_app.services.sampling import SampleRequest
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit

READERS = {"qa_lead", "auditor"}
LEAD = {"qa_lead"}
ADMIN = {"admin"}
LOG_READERS = {"qa_lead", "admin"}
REPORT_READERS = {"qa_lead", "training"}
MISSING = 10**7


def _sample(p, version_id):
    return SampleRequest(name="security check", method="random", rubric_version_id=version_id,
                         assignees={"education": [p.actors["auditor"].user_id]}, size=1, seed=1)


def _parsed_plan():
    return ParsedPlan(file="plan.docx", sections={"A": "text"}, outcomes=[], provision=[], metadata=PlanMetadata(
        audit_date=date(2026, 3, 1), age=None, year_group=None, key_stage=None, primary_need=None, setting=None, setting_type=None,
    ))


CALLS = {
    "plans.list_plans": (READERS, lambda s, a, p, v: plans.list_plans(s, a)),
    "plans.filter_options": (READERS, lambda s, a, p, v: plans.filter_options(s, a)),
    "plans.get_plan": (READERS, lambda s, a, p, v: plans.get_plan(s, a, p.plan_id)),
    "audits.my_audits": (READERS, lambda s, a, p, v: audits.my_audits(s, a)),
    "audits.open_audit": (READERS, lambda s, a, p, v: audits.open_audit(s, a, p.audit_id)),
    "audits.save_score": (READERS, lambda s, a, p, v: audits.save_score(s, a, p.audit_id, "x", expected_version=1, note="n")),
    "audits.save_text": (READERS, lambda s, a, p, v: audits.save_text(s, a, p.audit_id, "strengths", "t", expected_version=1)),
    "audits.submit": (READERS, lambda s, a, p, v: audits.submit(s, a, p.audit_id, expected_version=1)),
    "audits.reopen": (LEAD, lambda s, a, p, v: audits.reopen(s, a, p.audit_id, "a reason")),
    "audits.visible_audits_of_plan": (READERS, lambda s, a, p, v: audits.visible_audits_of_plan(s, a, p.plan_id)),
    "audits.combined_view": (READERS, lambda s, a, p, v: audits.combined_view(s, a, p.plan_id)),
    "sampling.auditors_by_agency": (LEAD, lambda s, a, p, v: sampling.auditors_by_agency(s, a)),
    "sampling.choose_plans": (LEAD, lambda s, a, p, v: sampling.choose_plans(s, a, _sample(p, v))),
    "sampling.preview": (LEAD, lambda s, a, p, v: sampling.preview(s, a, _sample(p, v))),
    "sampling.draw_sample": (LEAD, lambda s, a, p, v: sampling.draw_sample(s, a, _sample(p, v))),
    "moderation.double_rated_pairs": (LEAD, lambda s, a, p, v: moderation.double_rated_pairs(s, a)),
    "moderation.start_moderation": (LEAD, lambda s, a, p, v: moderation.start_moderation(s, a, MISSING)),
    "moderation.open_moderation": (LEAD, lambda s, a, p, v: moderation.open_moderation(s, a, MISSING)),
    "moderation.save_agreed_score": (LEAD, lambda s, a, p, v: moderation.save_agreed_score(s, a, MISSING, "x", expected_version=1, level=3)),
    "moderation.save_overall": (LEAD, lambda s, a, p, v: moderation.save_overall(s, a, MISSING, expected_version=1, overall_grade=3)),
    "moderation.agree": (LEAD, lambda s, a, p, v: moderation.agree(s, a, MISSING, expected_version=1)),
    "moderation.agreement_report": (LEAD, lambda s, a, p, v: moderation.agreement_report(s, a)),
    "exports.export_rows": (LEAD, lambda s, a, p, v: exports.export_rows(s, a, date(2026, 1, 1), date(2026, 6, 30))),
    "exports.export_period": (LEAD, lambda s, a, p, v: exports.export_period(s, a, date(2026, 1, 1), date(2026, 6, 30), "csv")),
    "plan_import.import_plan": (LEAD, lambda s, a, p, v: import_plan(s, a, _parsed_plan(), PlanDetails())),
    "dashboard.dashboard_options": (REPORT_READERS, lambda s, a, p, v: dashboard.dashboard_options(s, a)),
    "dashboard.dashboard_data": (REPORT_READERS, lambda s, a, p, v: dashboard.dashboard_data(s, a)),
    "dashboard.audits_behind": (LEAD, lambda s, a, p, v: dashboard.audits_behind(s, a, DashboardFilters(), Selection())),
    "reports.report_options": (REPORT_READERS, lambda s, a, p, v: reports.report_options(s, a)),
    "reports.build_report": (REPORT_READERS, lambda s, a, p, v: reports.build_report(
        s, a, ReportRequest(date_from=date(2020, 1, 1), date_to=date(2020, 1, 31), team="' OR '1'='1"))),
    "rubrics.register_rubric_files": (ADMIN, lambda s, a, p, v: rubrics.register_rubric_files(s, a, PROJECT_ROOT / "rubrics")),
    "audit_log.read_log": (LOG_READERS, lambda s, a, p, v: audit_log.read_log(s, a)),
    "audit_log.log_filter_options": (LOG_READERS, lambda s, a, p, v: audit_log.log_filter_options(s, a)),
    "accounts.list_users": (ADMIN, lambda s, a, p, v: accounts.list_users(s, a)),
    "accounts.add_user": (ADMIN, lambda s, a, p, v: accounts.add_user(s, a, "newcomer", "New", {"training"}, password="long enough password")),
    "accounts.disable_user": (ADMIN, lambda s, a, p, v: accounts.disable_user(s, a, "demo_edu_3")),
    "accounts.enable_user": (ADMIN, lambda s, a, p, v: accounts.enable_user(s, a, "demo_edu_3")),
    "accounts.reset_password": (ADMIN, lambda s, a, p, v: accounts.reset_password(s, a, "demo_edu_3", "long enough password")),
    "accounts.set_roles": (ADMIN, lambda s, a, p, v: accounts.set_roles(s, a, "demo_edu_3", {"training"})),
    "retention.purge_plan_text": (ADMIN, lambda s, a, p, v: retention.purge_plan_text(s, a, 730, dry_run=True)),
}
ROLES = ("qa_lead", "auditor", "training", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_every_service_enforces_its_role_policy(planted, role):
    actor = planted.actors[role]
    wrongly_allowed, wrongly_denied = [], []
    for name, (allowed, call) in CALLS.items():
        with session_factory(planted.url)() as session:
            version_id = session.scalar(select(Audit.rubric_version_id).where(Audit.id == planted.audit_id))
            try:
                call(session, actor, planted, version_id)
                outcome = "passed"
            except PermissionDenied:
                outcome = "denied"
            except ServiceError:
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
        assigned = set(session.scalars(select(Audit.plan_id).where(Audit.auditor_id == auditor.user_id)))
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
            lambda: audits.save_text(session, auditor, planted.other_audit_id, "strengths", "mine now", expected_version=version),
            lambda: audits.save_score(session, auditor, planted.other_audit_id, "x", expected_version=version, note="n"),
            lambda: audits.submit(session, auditor, planted.other_audit_id, expected_version=version),
        ):
            with pytest.raises((NotFound, PermissionDenied)):
                attempt()
        session.rollback()


def test_plan_views_are_logged_with_who(planted):
    lead = planted.actors["qa_lead"]
    with session_factory(planted.url)() as session:
        plans.get_plan(session, lead, planted.plan_id)
        session.flush()
        entry = audit_log.read_log(session, lead, action="view", entity="plan", limit=1)[0]
        assert (entry.actor_id, entry.entity_id) == (lead.user_id, str(planted.plan_id))
        session.rollback()


def test_exports_and_report_downloads_are_logged_with_who(planted):
    with session_factory(planted.url)() as session:
        lead, training = planted.actors["qa_lead"], planted.actors["training"]
        exports.export_period(session, lead, date(2026, 1, 1), date(2026, 6, 30), "csv")
        reports.build_report(session, training, ReportRequest(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)))
        session.flush()
        exported = audit_log.read_log(session, lead, action="export", limit=1)[0]
        downloaded = audit_log.read_log(session, lead, action="download", entity="report", limit=1)[0]
        assert exported.actor_id == lead.user_id and '"format": "csv"' in exported.detail
        assert downloaded.actor_id == training.user_id
        session.rollback()

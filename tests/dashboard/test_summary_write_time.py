"""The dashboard summary is brought up to date in the same transaction as each change to
what it counts (submit, reopen, agreeing a moderation), on SQLite and PostgreSQL: right
after the change commits it already matches a rebuild from scratch, with nothing left
for the next dashboard request to catch up."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from qa_app.benchmarks import workload
from qa_app.services import audits, dashboard, dashboard_summary, moderation
from qa_app.services.access import SYSTEM
from qa_app.services.dashboard import DashboardFilters, dashboard_data
from qa_app.settings import Settings
from qa_app.store.models import Audit
from qa_app.store.summary_tables import (
    audit_facts,
    criterion_totals,
    month_totals,
    summary_state,
)

ALL_TIME = DashboardFilters(start_month="2000-01", end_month="2099-12", rubric_key="ehcp_core")
EVERY_FIGURE = Settings(suppression_size=1)


def _summary(session) -> tuple[list, list, list]:
    def rows(table):
        columns = [c for c in table.columns if c.name != "id"]
        return sorted(tuple(row) for row in session.execute(select(*columns)))

    return rows(audit_facts), rows(month_totals), rows(criterion_totals)


def _rebuilt(session) -> tuple[list, list, list]:
    for table in (audit_facts, month_totals, criterion_totals):
        session.execute(delete(table))
    session.execute(update(summary_state).values(data_version=""))
    session.commit()
    dashboard_summary.refresh(session)
    return _summary(session)


def _assert_current(session) -> None:
    """Current without any catch-up, and equal to what a rebuild makes of the audits."""
    session.commit()
    assert dashboard_summary.stored_version(session) == dashboard_summary.data_version(session)
    kept = _summary(session)
    assert kept == _rebuilt(session)


def _audits_counted(session) -> int:
    dashboard.clear_cache()
    return int(dashboard_data(session, SYSTEM, ALL_TIME, settings=EVERY_FIGURE).headlines[0].value)


def _outstanding(session) -> int:
    dashboard.clear_cache()
    grades = dashboard_data(session, SYSTEM, ALL_TIME, settings=EVERY_FIGURE).grades
    return int(grades[grades["grade"] == 4]["count"].sum())


def test_submit_reopen_and_moderation_keep_the_summary_current(build, session):
    build.add_audit("2026-01", 3, {"a_child_voice": 3}, team="North")
    build.add_audit("2026-01", 2, {"a_child_voice": 2}, team="South")
    session.commit()
    assert _audits_counted(session) == 2  # the first request builds the summary

    first, second = workload.add_auditors(session, 2, password=None)
    (plan_id,) = workload.add_plans(session, 1)
    (audit_id,) = workload.assign(session, SYSTEM, [plan_id], [first])
    version = workload.fill(session, first, audit_id, 4)
    session.commit()
    _assert_current(session)  # drafts are not counted: saving them leaves the summary as it is

    audits.submit(session, first, audit_id, expected_version=version)
    _assert_current(session)
    assert _audits_counted(session) == 3

    audits.reopen(session, SYSTEM, audit_id, "A score was entered against the wrong criterion.")
    _assert_current(session)
    assert _audits_counted(session) == 2

    version = session.get(Audit, audit_id).version
    version, _ = audits.save_score(
        session, first, audit_id, "a_child_voice", expected_version=version, level=1
    )
    session.commit()
    audits.submit(session, first, audit_id, expected_version=version)
    _assert_current(session)

    pair = workload.submitted_pair(session, SYSTEM, first, second, levels=(3, 2))
    _assert_current(session)
    moderation_id = moderation.start_moderation(session, SYSTEM, pair[0])
    session.commit()
    view = moderation.open_moderation(session, SYSTEM, moderation_id)
    version = view.version
    for row in view.rows:
        version = moderation.save_agreed_score(
            session,
            SYSTEM,
            moderation_id,
            row.criterion.id,
            expected_version=version,
            level=row.first,
            rationale="Agreed at the moderation meeting.",
        )
    version = moderation.save_overall(
        session,
        SYSTEM,
        moderation_id,
        expected_version=version,
        overall_grade=4,
        rationale="Outstanding once the evidence was weighed.",
    )
    session.commit()
    _assert_current(session)  # a moderation being worked on changes nothing counted yet
    outstanding = _outstanding(session)
    moderation.agree(session, SYSTEM, moderation_id, expected_version=version)
    _assert_current(session)
    dashboard.clear_cache()
    agreement = dashboard_data(session, SYSTEM, ALL_TIME, settings=EVERY_FIGURE).headlines[3]
    assert (agreement.base, agreement.value) == (1, 0.0)  # the raters differed (3 against 2)
    assert (
        _outstanding(session) == outstanding + 1
    )  # the agreed grade replaces the first rater's Good


def test_a_change_made_while_the_summary_is_behind_is_left_to_the_catch_up(build, session):
    build.add_audit("2026-01", 3, {"a_child_voice": 3})
    session.commit()
    _audits_counted(session)
    behind = build.add_audit("2026-02", 4, {"a_child_voice": 4})  # written round the services
    session.commit()
    (auditor,) = workload.add_auditors(session, 1, password=None)
    (plan_id,) = workload.add_plans(session, 1)
    (audit_id,) = workload.assign(session, SYSTEM, [plan_id], [auditor])
    audits.submit(
        session, auditor, audit_id, expected_version=workload.fill(session, auditor, audit_id, 3)
    )
    session.commit()
    assert dashboard_summary.stored_version(session) != dashboard_summary.data_version(session)
    assert _audits_counted(session) == 3
    assert behind.id in {row[0] for row in _summary(session)[0]}
    _assert_current(session)

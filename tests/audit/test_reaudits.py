"""Plan versions and re-audits: importing a plan as a new version of a case (never
matched on a name; an unknown reference stores nothing), the earlier audit beside the
re-audit criterion by criterion, and the impact figures by team and action kind with
small-number suppression."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from qa_app.benchmarks import workload
from qa_app.cli import main
from qa_app.ingest import read_plan_file
from qa_app.services import actions, audits, reaudits
from qa_app.services.actions import Owner
from qa_app.services.errors import InvalidInput
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.services.sampling import SampleRequest, draw_sample
from qa_app.settings import Settings
from qa_app.store.models import Audit, EventLogEntry, Plan, PlanSection
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import heading_styles


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "amended.docx"
    path.write_bytes(build_docx(heading_styles().items))
    return path


def _version(session, earlier: Plan | None, team: str = "North", number: int = 1) -> Plan:
    plan = Plan(
        reference=f"PLN-V{session.query(Plan).count():07d}",
        team=team,
        plan_type="annual_review",
        year_group=8,
        key_stage="KS3",
        primary_need="SLCN",
        setting_type="mainstream",
        case_plan_id=reaudits.case_of(earlier) if earlier else None,
        version_number=number,
        sections=[PlanSection(letter="A", position=0, text="All about me.")],
    )
    session.add(plan)
    session.flush()
    return plan


def _audited(session, team, plan: Plan, level: int) -> int:
    """The plan audited by edu_1 at ``level`` on every criterion and submitted."""
    (audit_id,) = draw_sample(
        session,
        team.lead,
        SampleRequest(
            name=f"Audit of {plan.reference}",
            method="manual",
            rubric_version_id=team.rubric_version_id,
            assignees={"education": [team.edu_1.user_id]},
            plan_ids=(plan.id,),
        ),
    ).audit_ids
    version = workload.fill(session, team.edu_1, audit_id, level)
    audits.submit(session, team.edu_1, audit_id, expected_version=version)
    session.commit()
    return audit_id


def test_an_imported_plan_becomes_the_next_version_of_the_named_case(session, team, plan_file):
    first = session.get(Plan, team.plan_id)
    parsed = read_plan_file(str(plan_file))
    second = import_plan(
        session, team.lead, parsed, PlanDetails(), version_of=first.reference.lower()
    )
    third = import_plan(
        session, team.lead, parsed, PlanDetails(team="South"), version_of=second.reference
    )
    session.commit()
    assert (second.case_plan_id, second.version_number, second.team) == (first.id, 2, "North")
    assert (third.case_plan_id, third.version_number, third.team) == (first.id, 3, "South")
    assert second.reference != first.reference
    entry = session.scalar(
        select(EventLogEntry).where(
            EventLogEntry.action == "import", EventLogEntry.entity_id == str(third.id)
        )
    )
    assert '"version": 3' in entry.detail and second.reference in entry.detail


def test_an_unknown_reference_is_a_clear_error_and_stores_nothing(session, team, plan_file):
    before = session.query(Plan).count()
    with pytest.raises(InvalidInput, match="No plan has the reference PLN-NOSUCH01"):
        import_plan(
            session,
            team.lead,
            read_plan_file(str(plan_file)),
            PlanDetails(),
            version_of="PLN-NOSUCH01",
        )
    session.rollback()
    assert session.query(Plan).count() == before


def test_cli_ingest_version_of(session, team, plan_file, db_url, point_app_at, capsys):
    settings = point_app_at(db_url)
    reference = session.get(Plan, team.plan_id).reference
    session.commit()
    assert main(["ingest", str(plan_file), "--version-of", "PLN-NOSUCH01"], settings=settings) == 1
    assert (
        "No plan has the reference PLN-NOSUCH01, so nothing was stored" in capsys.readouterr().err
    )
    assert (
        main(
            ["ingest", str(plan_file), str(plan_file), "--version-of", reference], settings=settings
        )
        == 2
    )
    assert "exactly one FILE" in capsys.readouterr().err
    session.expire_all()
    assert session.query(Plan).count() == 1
    assert main(["ingest", str(plan_file), "--version-of", reference], settings=settings) == 0
    assert capsys.readouterr().out.strip().endswith(f", version 2 of {reference}")
    stored = session.scalar(select(Plan).where(Plan.case_plan_id == team.plan_id))
    assert (stored.version_number, stored.team) == (2, "North")


def test_a_reaudit_shows_the_earlier_audit_criterion_by_criterion(session, team):
    first = session.get(Plan, team.plan_id)
    earlier_id = _audited(session, team, first, 2)
    actions.create_action(
        session,
        team.lead,
        earlier_id,
        kind="amend_plan",
        description="Amend section E.",
        owner=Owner.of_team("North"),
        due_date=date.today() + timedelta(days=10),
    )
    amended = _version(session, first, number=2)
    later_id = _audited(session, team, amended, 3)
    assert reaudits.earlier_audit(session, team.edu_1, earlier_id) is None
    comparison = reaudits.earlier_audit(session, team.edu_1, later_id)
    assert (
        comparison.earlier_audit_id,
        comparison.earlier_version,
        comparison.earlier_reference,
    ) == (earlier_id, 1, first.reference)
    scored = [row for row in comparison.rows if isinstance(row.now, int)]
    assert scored and all((row.earlier, row.now, row.change) == (2, 3, 1) for row in scored)
    assert comparison.earlier_actions == ["Amend the plan"]


def test_impact_by_team_and_action_kind_with_suppression(session, team):
    improved_case = session.get(Plan, team.plan_id)
    before = _audited(session, team, improved_case, 2)
    actions.create_action(
        session,
        team.lead,
        before,
        kind="training",
        description="Outcomes training.",
        owner=Owner.of_team("North"),
        due_date=date.today() + timedelta(days=10),
    )
    after = _audited(session, team, _version(session, improved_case, number=2), 3)
    rise = session.get(Audit, after).overall_grade - session.get(Audit, before).overall_grade
    assert rise > 0
    same_case = _version(session, None, team="South")
    _audited(session, team, same_case, 3)
    _audited(session, team, _version(session, same_case, team="South", number=2), 3)
    _audited(
        session, team, _version(session, None, team="South"), 2
    )  # audited once: not a re-audit

    impact = reaudits.reaudit_impact(session, team.lead, settings=Settings(suppression_size=1))
    assert (impact.overall.cases, impact.overall.improved, impact.overall.improved_pct) == (
        2,
        1,
        50.0,
    )
    assert impact.overall.mean_change == pytest.approx(rise / 2)
    by_team = {row.group: row for row in impact.by_team}
    assert by_team["North"].improved_pct == 100.0 and by_team["South"].improved_pct == 0.0
    assert by_team["North"].mean_change == rise and by_team["South"].mean_change == 0
    by_kind = {row.group: row for row in impact.by_action_kind}
    assert set(by_kind) == {"Training", "No action recorded"} and by_kind["Training"].improved == 1

    hidden = reaudits.reaudit_impact(session, team.lead, settings=Settings(suppression_size=5))
    assert (
        hidden.overall.suppressed and hidden.overall.cases == 2 and hidden.overall.improved is None
    )
    assert all(row.mean_change is None for row in hidden.by_team + hidden.by_action_kind)
    assert (
        reaudits.reaudit_impact(
            session, team.lead, settings=Settings(suppression_size=1), team="South"
        ).overall.cases
        == 1
    )


def test_impact_for_a_period_and_a_rubric(session, team):
    case = session.get(Plan, team.plan_id)
    before = session.get(Audit, _audited(session, team, case, 2))
    after = session.get(Audit, _audited(session, team, _version(session, case, number=2), 3))
    before.submitted_at = datetime(2026, 1, 12, 10, tzinfo=UTC)
    after.submitted_at = datetime(2026, 3, 9, 15, tzinfo=UTC)
    session.commit()

    def cases(since, until, rubric_key="ehcp_core"):
        return reaudits.reaudit_impact(
            session,
            team.lead,
            since=since,
            until=until,
            rubric_key=rubric_key,
            settings=Settings(suppression_size=1),
        ).overall.cases

    assert cases(date(2026, 3, 1), date(2026, 3, 31)) == 1
    assert cases(date(2026, 1, 1), date(2026, 12, 31)) == 1
    assert cases(date(2026, 4, 1), date(2026, 4, 30)) == 0  # re-audited before the period
    assert cases(date(2026, 1, 1), date(2026, 2, 28)) == 0  # the re-audit came after it
    assert cases(date(2026, 1, 1), date(2026, 12, 31), rubric_key="annual_review") == 0


def test_a_version_is_never_matched_on_a_name(session, team, plan_file):
    """The same child's plan imported again without a reference is a case of its own, and
    the child's name is not a reference."""
    parsed = read_plan_file(str(plan_file))
    with pytest.raises(InvalidInput, match="No plan has the reference SAM CARTER"):
        import_plan(session, team.lead, parsed, PlanDetails(), version_of="Sam Carter")
    session.rollback()
    first = import_plan(session, team.lead, parsed, PlanDetails())
    again = import_plan(session, team.lead, parsed, PlanDetails())
    session.commit()
    assert [(p.case_plan_id, p.version_number) for p in (first, again)] == [(None, 1), (None, 1)]
    assert "Sam Carter" not in first.reference + again.reference

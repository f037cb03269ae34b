"""Share of provision specified and thread gaps per plan, on imported plans, by team,
need and key stage with suppression; and the dashboard tab that shows them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from qa_app.ingest import read_plan
from qa_app.services.dashboard import DashboardFilters
from qa_app.services.errors import PermissionDenied
from qa_app.services.plan_checks_summary import checks_summary
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.settings import Settings
from tests.ingest.plan_builder import build_docx
from tests.services.test_plan_checks import LEAD, PLAN


@pytest.fixture(autouse=True)
def db_url(sqlite_url, point_app_at):
    point_app_at(sqlite_url)
    return sqlite_url


@pytest.fixture
def imported(session):
    broken = [
        *PLAN[:3],
        ("para", "Sam has a moderate hearing loss and wears hearing aids."),
        *PLAN[3:],
    ]
    parsed = read_plan(build_docx(broken), "p.docx", date(2026, 3, 1))
    for team in ["North"] * 5 + ["South"] * 2:
        import_plan(
            session,
            LEAD,
            parsed,
            PlanDetails.from_parsed(parsed, team=team, primary_need="ASD", year_group=5),
        )
    session.commit()
    return parsed


def test_share_specified_and_gaps_per_plan_by_group_with_suppression(session, imported, lead):
    summary = checks_summary(session, lead, settings=Settings(suppression_size=5))
    assert summary.overall["plans"] == 7 and summary.overall["items"] == 14
    assert summary.overall["specified_pct"] == 50.0
    teams = summary.by["team"].set_index("group")
    assert teams.loc["North", "specified_pct"] == 50.0 and not teams.loc["North", "suppressed"]
    assert teams.loc["South", "suppressed"] and pd.isna(teams.loc["South", "specified_pct"])
    assert pd.isna(teams.loc["South", "gaps_per_plan"])
    assert list(summary.by["key_stage"]["group"]) == ["KS2"]
    narrowed = checks_summary(
        session, lead, DashboardFilters(team="South"), settings=Settings(suppression_size=5)
    )
    assert narrowed.overall["plans"] == 2 and narrowed.overall["suppressed"]


def test_commonest_gaps_count_plans(session, imported, lead):
    gaps = checks_summary(session, lead, settings=Settings(suppression_size=5)).commonest_gaps
    assert set(gaps["kind"]) == {"need_without_outcome", "need_without_provision"}
    assert (gaps["plans_with_gap"] == 7).all() and (gaps["plans_pct"] == 100.0).all()
    assert list(gaps["gaps"]) == sorted(gaps["gaps"], reverse=True)


def test_auditors_cannot_see_it(session, imported, auditor):
    with pytest.raises(PermissionDenied):
        checks_summary(session, auditor)


def test_the_dashboard_tab_shows_the_figures(session, imported, build, lead, run_page):
    for grade in (3, 3, 2, 2, 2):
        build.add_audit("2026-02", grade, team="North")
    session.commit()
    at = run_page("dashboard", lead)
    assert not at.exception
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Provision items specified"] == "50%"
    tables = [table.value for table in at.table]
    by_team = next(t for t in tables if t.index.name == "Team")
    assert by_team.loc["South", "Specified"] == "suppressed"

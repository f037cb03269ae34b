"""Dashboard figures from a known set of audits, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa_app.services.dashboard import DashboardFilters, Selection, audits_behind, dashboard_data
from qa_app.services.errors import PermissionDenied
from qa_app.settings import Settings
from qa_app.store.models import EventLogEntry, Moderation

JAN_FEB = DashboardFilters(start_month="2026-01", end_month="2026-02", rubric_key="ehcp_core")
EVERY_FIGURE = Settings(suppression_size=1)


@pytest.fixture
def known(build, session):
    """Jan 2026: six North audits graded 4,3,3,2,1,1 (child's-voice scores the same);
    Feb 2026: three South audits graded 3,3,2; Dec 2025 (previous period): 1,1,1,1,3."""
    for grade in (4, 3, 3, 2, 1, 1):
        build.add_audit("2026-01", grade, {"a_child_voice": grade}, team="North")
    for grade in (3, 3, 2):
        build.add_audit("2026-02", grade, {"a_child_voice": grade}, team="South")
    for grade in (1, 1, 1, 1, 3):
        build.add_audit("2025-12", grade, {"a_child_voice": grade}, team="North")
    session.commit()
    return build


def _row(frame, **match):
    rows = frame
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"expected one row for {match}, got {len(rows)}"
    return rows.iloc[0]


def test_good_share_by_month_and_headlines_with_change(known, session, lead):
    data = dashboard_data(session, lead, JAN_FEB)
    january = _row(data.good_share, period="Jan 2026")
    assert (january["n"], january["hits"], january["share"]) == (6, 3, 50.0)
    february = _row(data.good_share, period="Feb 2026")
    assert february["suppressed"] and february["share"] != february["share"]  # NaN: withheld
    audits, good = data.headlines[0], data.headlines[1]
    assert (audits.value, audits.previous, audits.change) == (9, 5, 4)
    assert good.value == pytest.approx(100 * 5 / 9) and good.previous == pytest.approx(20.0)
    assert good.change == pytest.approx(100 * 5 / 9 - 20)


def test_grade_distribution_counts_each_grade(known, session, lead):
    grades = dashboard_data(session, lead, JAN_FEB).grades
    january = grades[grades["period"] == "Jan 2026"].set_index("grade")
    assert january["count"].to_dict() == {4: 1, 3: 2, 2: 1, 1: 2}
    assert january.loc[1, "share"] == pytest.approx(33.3)
    assert grades[grades["period"] == "Feb 2026"]["suppressed"].all()


def test_small_groups_are_suppressed_until_the_size_allows(known, session, lead):
    team = dashboard_data(session, lead, JAN_FEB).breakdowns["team"].set_index("group")
    assert team.loc["North", "share"] == 50.0 and not team.loc["North", "suppressed"]
    assert team.loc["South", "suppressed"] and team["share"].isna()["South"]
    groups_of_two = Settings(suppression_size=2)
    team = (
        dashboard_data(session, lead, JAN_FEB, settings=groups_of_two)
        .breakdowns["team"]
        .set_index("group")
    )
    assert team.loc["South", "share"] == pytest.approx(66.7)


def test_heatmap_means_and_quarter_roll_up(known, session, lead):
    heatmap = dashboard_data(session, lead, JAN_FEB).heatmap
    cell = _row(heatmap, period="Jan 2026", criterion_id="a_child_voice")
    assert cell["mean"] == pytest.approx(14 / 6, abs=0.01) and cell["n"] == 6
    assert _row(heatmap, period="Feb 2026", criterion_id="a_child_voice")["suppressed"]
    quarter = dashboard_data(
        session,
        lead,
        DashboardFilters(start_month="2026-01", end_month="2026-03", period="quarter"),
    ).heatmap
    cell = _row(quarter, period="Jan–Mar 2026", criterion_id="a_child_voice")
    assert cell["n"] == 9 and cell["mean"] == pytest.approx(22 / 9, abs=0.01)
    partial = dashboard_data(
        session,
        lead,
        DashboardFilters(start_month="2025-12", end_month="2026-02", period="quarter"),
    )
    assert list(partial.good_share["period"]) == ["Oct–Dec 2025 (part)", "Jan–Mar 2026 (part)"]
    assert list(partial.good_share["n"]) == [5, 9]


def test_two_plan_filters_are_answered_from_the_audits_themselves(build, session, lead):
    build.add_audit("2026-01", 3, {"a_child_voice": 3}, team="North", need="ASD")
    build.add_audit("2026-01", 1, {"a_child_voice": 1}, team="North", need="SEMH")
    build.add_audit("2026-01", 4, {"a_child_voice": 4}, team="South", need="ASD")
    session.commit()
    filters = DashboardFilters(
        start_month="2026-01", end_month="2026-01", team="North", primary_need="ASD"
    )
    data = dashboard_data(session, lead, filters, settings=EVERY_FIGURE)
    assert _row(data.heatmap, criterion_id="a_child_voice")["mean"] == 3.0
    assert _row(data.good_share, period="Jan 2026")["n"] == 1
    one_filter = dashboard_data(
        session,
        lead,
        DashboardFilters(start_month="2026-01", end_month="2026-01", primary_need="ASD"),
        settings=EVERY_FIGURE,
    )
    assert _row(one_filter.heatmap, criterion_id="a_child_voice")["mean"] == 3.5
    assert one_filter.breakdowns["team"].set_index("group")["n"].to_dict() == {
        "North": 1,
        "South": 1,
    }


def test_cache_is_invalidated_when_an_audit_changes(known, session, lead):
    before = _row(dashboard_data(session, lead, JAN_FEB).good_share, period="Jan 2026")["share"]
    assert before == 50.0
    audit = known.add_audit("2026-01", 4, {"a_child_voice": 4}, team="North")
    session.commit()
    after = dashboard_data(session, lead, JAN_FEB)
    assert _row(after.good_share, period="Jan 2026")["share"] == pytest.approx(57.1)
    audit.overall_grade = 1
    audit.scores[0].score = 1
    audit.status = "moderated"  # an ORM update bumps the audit's version
    session.commit()
    changed = dashboard_data(session, lead, JAN_FEB)
    assert _row(changed.good_share, period="Jan 2026")["share"] == pytest.approx(42.9)
    assert _row(changed.heatmap, period="Jan 2026", criterion_id="a_child_voice")[
        "mean"
    ] == pytest.approx(15 / 7, abs=0.01)
    session.delete(audit)
    session.commit()
    assert (
        _row(dashboard_data(session, lead, JAN_FEB).good_share, period="Jan 2026")["share"] == 50.0
    )


def test_moderated_pair_counts_once_with_the_agreed_grade(build, session, lead):
    first = build.add_audit("2026-01", 2, double_rated=True, status="moderated")
    second = build.add_audit(
        "2026-01", 3, plan=first.plan, rating_order=2, double_rated=True, status="moderated"
    )
    session.add(
        Moderation(
            plan=first.plan,
            rubric_version_id=first.rubric_version_id,
            first_audit=first,
            second_audit=second,
            status="agreed",
            overall_grade=3,
        )
    )
    build.add_audit("2026-01", 3)
    session.commit()
    data = dashboard_data(session, lead, JAN_FEB, settings=EVERY_FIGURE)
    january = _row(data.good_share, period="Jan 2026")
    assert (january["n"], january["hits"]) == (2, 2)
    agreement = _row(data.agreement, period="Jan 2026")
    assert (agreement["n"], agreement["hits"], agreement["share"]) == (1, 0, 0.0)


def test_weak_flags_timeliness_and_pfa(build, session, lead):
    build.add_audit("2026-01", 3, weak=True)
    build.add_audit("2026-01", 3, weak=False)
    build.add_audit("2026-01", 3, weak=None)
    build.add_audit(
        "2026-01", 3, plan_type="new", request=date(2025, 9, 1), issue=date(2025, 12, 1)
    )  # 13 weeks
    build.add_audit(
        "2026-01", 3, plan_type="new", request=date(2025, 1, 1), issue=date(2025, 12, 1)
    )  # 48 weeks
    build.add_audit("2026-01", 3, {"e_pfa_domains": 4}, year_group=10, key_stage="KS4")
    build.add_audit("2026-01", 2, {"e_pfa_domains": 2}, year_group=11, key_stage="KS4")
    session.commit()
    data = dashboard_data(session, lead, JAN_FEB, settings=EVERY_FIGURE)
    weak = _row(data.weak_rate, period="Jan 2026")
    assert (weak["n"], weak["hits"], weak["share"]) == (
        2,
        1,
        50.0,
    )  # plans never checked are left out
    timely = _row(data.timeliness, period="Jan 2026")
    assert (timely["n"], timely["hits"], timely["share"]) == (2, 1, 50.0)
    pfa = _row(data.pfa, period="Jan 2026", criterion_id="e_pfa_domains")
    assert (pfa["n"], pfa["hits"], pfa["share"]) == (2, 1, 50.0)


def test_audits_behind_a_bar(known, session, lead):
    table = audits_behind(session, lead, JAN_FEB, Selection(period="Jan 2026", grade=3))
    assert len(table) == 2 and set(table["Grade"]) == {"Good"}
    assert all(reference.startswith("PLN-DASH") for reference in table["Plan"])
    by_team = audits_behind(session, lead, JAN_FEB, Selection(dimension="team", group="South"))
    assert len(by_team) == 3
    cell = audits_behind(
        session, lead, JAN_FEB, Selection(period="Jan 2026", criterion_id="a_child_voice")
    )
    assert sorted(cell["Criterion score"]) == [1, 1, 2, 3, 3, 4]
    session.commit()
    logged = session.scalars(
        select(EventLogEntry).where(EventLogEntry.entity == "dashboard_audits")
    ).all()
    assert [entry.action for entry in logged] == ["view"] * 3
    assert all("PLN-" not in (entry.detail or "") for entry in logged)


def test_auditors_cannot_see_the_dashboards(known, session, auditor):
    with pytest.raises(PermissionDenied):
        dashboard_data(session, auditor, JAN_FEB)


def _summary(session):
    from sqlalchemy import select

    from qa_app.store.summary_tables import audit_facts, criterion_totals, month_totals

    def rows(table, skip=("id",)):
        columns = [c for c in table.columns if c.name not in skip]
        return sorted(tuple(row) for row in session.execute(select(*columns)))

    return rows(audit_facts), rows(month_totals), rows(criterion_totals)


def test_catching_up_after_changes_matches_a_rebuild_from_scratch(known, session, lead):
    from sqlalchemy import delete, update

    from qa_app.services import dashboard_summary
    from qa_app.store.summary_tables import (
        audit_facts,
        criterion_totals,
        month_totals,
        summary_state,
    )

    dashboard_data(session, lead, JAN_FEB)
    known.add_audit("2026-02", 4, {"a_child_voice": 4}, team="West")
    session.commit()
    reopened = known.add_audit("2026-01", 3, {"a_child_voice": 3})
    session.commit()
    dashboard_data(session, lead, JAN_FEB)
    reopened.status = "draft"
    session.commit()
    dashboard_data(session, lead, JAN_FEB)
    caught_up = _summary(session)
    for table in (audit_facts, month_totals, criterion_totals):
        session.execute(delete(table))
    session.execute(update(summary_state).values(data_version=""))
    session.commit()
    dashboard_summary.refresh(session)
    assert _summary(session) == caught_up
    assert len(caught_up[0]) == 15


def test_training_users_see_the_charts_but_not_the_audits_behind_them(known, session):
    from qa_app.services.access import Actor

    trainer = Actor(user_id=None, display_name="Trainer", roles=frozenset({"training"}))
    assert (
        _row(dashboard_data(session, trainer, JAN_FEB).good_share, period="Jan 2026")["share"]
        == 50.0
    )
    with pytest.raises(PermissionDenied):
        audits_behind(session, trainer, JAN_FEB, Selection(period="Jan 2026"))

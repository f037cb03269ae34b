"""The chart builders, checked on the data inside the Altair spec they produce."""

from __future__ import annotations

import pytest

from qa_app import charts
from qa_app.services.dashboard import DashboardFilters, dashboard_data

JAN_FEB = DashboardFilters(start_month="2026-01", end_month="2026-02", rubric_key="ehcp_core")


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


@pytest.fixture
def data(build, session, lead):
    """Jan 2026: five North audits graded 4,3,3,2,1; Feb 2026: two South audits graded 3,3."""
    for grade in (4, 3, 3, 2, 1):
        build.add_audit(
            "2026-01",
            grade,
            {"a_child_voice": grade, "e_pfa_domains": grade},
            team="North",
            year_group=10,
        )
    for grade in (3, 3):
        build.add_audit("2026-02", grade, {"a_child_voice": grade}, team="South")
    session.commit()
    return dashboard_data(session, lead, JAN_FEB)


def rows(chart) -> list[dict]:
    """Every data row in the spec, from all of its layers' datasets."""
    spec = chart.to_dict()
    return [row for dataset in spec.get("datasets", {}).values() for row in dataset]


def layers(chart) -> list[dict]:
    spec = chart.to_dict()
    return spec.get("layer", [spec])


def assert_tooltips_everywhere(chart) -> None:
    for layer in layers(chart):
        assert "tooltip" in layer.get("encoding", {}), f"a {layer['mark']} layer has no tooltip"


def test_good_share_chart_holds_shares_target_and_suppression(data):
    chart = charts.good_share_chart(data.good_share, 90, data.suppression_size)
    by_period = {row["period"]: row for row in rows(chart) if "period" in row}
    assert by_period["Jan 2026"]["share"] == 60.0 and by_period["Jan 2026"]["n"] == 5
    february = by_period["Feb 2026"]
    assert february["suppressed"] and february["share"] is None
    assert february["share_text"] == "Suppressed: fewer than 5"
    assert any(row.get("target") == 90 for row in rows(chart))
    assert_tooltips_everywhere(chart)


def test_grade_distribution_chart_stacks_each_grade(data):
    chart = charts.grade_distribution_chart(data.grades, data.suppression_size)
    january = {
        row["grade_label"]: row["count"] for row in rows(chart) if row.get("period") == "Jan 2026"
    }
    assert january == {"Outstanding": 1, "Good": 2, "Requires improvement": 1, "Inadequate": 1}
    assert all(row["count"] is None for row in rows(chart) if row.get("period") == "Feb 2026")
    assert_tooltips_everywhere(chart)


def test_heatmap_holds_mean_scores_and_withholds_small_cells(data):
    chart = charts.criterion_heatmap(data.heatmap, data.suppression_size)
    cells = {(row["period"], row["criterion_id"]): row for row in rows(chart)}
    assert cells[("Jan 2026", "a_child_voice")]["mean"] == pytest.approx(2.6)
    assert cells[("Feb 2026", "a_child_voice")]["mean"] is None
    assert cells[("Feb 2026", "a_child_voice")]["mean_text"] == "Suppressed: fewer than 5"
    assert_tooltips_everywhere(chart)
    spec = chart.to_dict()
    params = spec.get("params", []) + [
        p for layer in spec["layer"] for p in layer.get("params", [])
    ]
    assert [p["select"]["fields"] for p in params if p["name"] == "pick"] == [
        ["period", "criterion_id"]
    ]


def test_breakdown_chart_orders_groups_and_suppresses_small_ones(data):
    chart = charts.breakdown_chart(data.breakdowns["team"], "Team", 100, data.suppression_size)
    groups = {row["group"]: row for row in rows(chart) if "group" in row}
    assert groups["North"]["share"] == 60.0
    assert (
        groups["South"]["share"] is None
        and groups["South"]["share_text"] == "Suppressed: fewer than 5"
    )
    assert chart.to_dict()["layer"][0]["encoding"]["y"]["sort"] == ["North", "South"]
    assert_tooltips_everywhere(chart)


def test_pfa_and_share_over_time_charts(data):
    pfa = charts.pfa_coverage_chart(data.pfa, data.suppression_size)
    january = [row for row in rows(pfa) if row.get("period") == "Jan 2026"]
    assert [(row["criterion_id"], row["n"], row["share"]) for row in january] == [
        ("e_pfa_domains", 5, 60.0)
    ]
    assert_tooltips_everywhere(pfa)
    flagged = charts.share_over_time_chart(
        data.good_share, "Good or better", "plans graded", data.suppression_size
    )
    assert {row["period"]: row["share"] for row in rows(flagged)} == {
        "Jan 2026": 60.0,
        "Feb 2026": None,
    }
    assert_tooltips_everywhere(flagged)


def test_charts_render_to_png_and_svg(data):
    chart = charts.good_share_chart(data.good_share, 100, data.suppression_size)
    assert charts.chart_png(chart).startswith(b"\x89PNG")
    svg = charts.chart_svg(chart)
    assert svg.startswith("<svg") and "Jan 2026" in svg


def test_legends_spell_out_the_grade_letters_and_scores(data):
    grades = charts.chart_svg(charts.grade_distribution_chart(data.grades, data.suppression_size))
    for name in ("O Outstanding", "G Good", "RI Requires improvement", "I Inadequate"):
        assert f">{name}</text>" in grades
    heatmap = charts.chart_svg(charts.criterion_heatmap(data.heatmap, data.suppression_size))
    for name in ("1 Inadequate", "2 Requires improvement", "3 Good", "4 Outstanding"):
        assert f">{name}</text>" in heatmap

"""Plan quality trends: headline figures with the change from the previous period, and
charts by period, criterion and group. Clicking a bar or cell lists the audits behind it;
every chart downloads as PNG or SVG and its data as CSV."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from qa_app import charts
from qa_app.charts.style import GRADE_SHORT
from qa_app.services.access import Action, allowed
from qa_app.services.dashboard import (
    BREAKDOWNS,
    GRADE_LABELS,
    DashboardData,
    DashboardFilters,
    DashboardOptions,
    Headline,
    Selection,
    audits_behind,
    dashboard_data,
    dashboard_options,
    month_label,
)
from qa_app.services.errors import ServiceError
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.impact_dashboard import render_impact_tab
from qa_app.ui.components.keyboard_choice import choose, picked_row
from qa_app.ui.components.labels import KEY_STAGE_MEANINGS, label, need_label
from qa_app.ui.components.plain import plain
from qa_app.ui.components.provision_dashboard import render_checks_tab
from qa_app.ui.components.review_dashboard import render_reviews_tab
from qa_app.ui.components.voice_dashboard import render_voice_tab
from qa_app.ui.db import db
from qa_app.ui.navigation import go_to, has_page
from qa_app.ui.session import current_actor

FILTER_LABELS = {
    "team": ("Team", "All teams", str),
    "agency": ("Agency", "All agencies", lambda v: label("agency", v)),
    "primary_need": ("Primary need", "All needs", need_label),
    "key_stage": ("Key stage", "All key stages", str),
    "setting_type": ("Setting", "All settings", lambda v: label("setting_type", v)),
    "plan_type": ("Plan type", "All plan types", lambda v: label("plan_type", v)),
}
# The columns a reader needs first, and a phone shows without scrolling sideways.
KEY_COLUMNS = ["Plan", "Grade", "Criterion score", "Submitted"]
FILTER_ROWS = (("primary_need", "setting_type", "key_stage"), ("team", "agency", "plan_type"))
FILTER_WIDTHS = [6, 3, 3]
KEY_STAGE_KEY = (
    "Key stages: "
    + "; ".join(f"{code}, {meaning}" for code, meaning in KEY_STAGE_MEANINGS.items())
    + "."
)
GROUP_LABELS = {
    "agency": lambda v: label("agency", v),
    "primary_need": need_label,
    "setting_type": lambda v: label("setting_type", v),
}


def _filters(options: DashboardOptions) -> DashboardFilters:
    # Three columns a row, the widest first: a select box shows its choice on one line,
    # so the long ones (rubric titles, need names, free-text team names) get room for it.
    with st.container(border=True):
        top = st.columns(FILTER_WIDTHS)
        rubric = top[0].selectbox(
            "Rubric", list(options.rubrics), format_func=options.rubrics.get, key="dash_rubric"
        )
        months = options.months
        default = (months[max(0, len(months) - 12)], months[-1])
        if len(months) > 1:
            start, end = top[1].select_slider(
                "Months", options=months, value=default, format_func=month_label, key="dash_months"
            )
        else:
            start = end = months[0]
            top[1].markdown(f"**Months**  \n{month_label(start)}")
        period = top[2].radio(
            "Show by",
            ["month", "quarter"],
            format_func=str.capitalize,
            horizontal=True,
            key="dash_period",
        )
        chosen = {}
        for row in FILTER_ROWS:
            for col, name in zip(st.columns(FILTER_WIDTHS), row):
                title, everything, shown = FILTER_LABELS[name]
                chosen[name] = col.selectbox(
                    title,
                    [None, *options.values.get(name, [])],
                    format_func=lambda v, everything=everything, shown=shown: (
                        everything if v is None else shown(v)
                    ),
                    key=f"dash_{name}",
                )
        picked = [
            f"{FILTER_LABELS[name][0].lower()} {FILTER_LABELS[name][2](value)}"
            for name, value in chosen.items()
            if value is not None
        ]
        if picked:
            st.caption(plain("Showing plans with " + "; ".join(picked) + "."))
    return DashboardFilters(
        start_month=start, end_month=end, rubric_key=rubric, period=period, **chosen
    )


def _metric(col, headline: Headline, data: DashboardData) -> None:
    if headline.suppressed or headline.value is None:
        shown = "Suppressed" if headline.suppressed and headline.base else "No data"
        col.metric(
            headline.name,
            shown,
            help=f"Shown only when at least {data.suppression_size} cases stand behind it.",
        )
        return
    if headline.is_share:
        value, delta = (
            f"{headline.value:.0f}%",
            None if headline.change is None else f"{headline.change:+.1f} points",
        )
    else:
        value, delta = (
            f"{headline.value:,.0f}",
            None if headline.change is None else f"{headline.change:+,.0f}",
        )
    colour = (
        "off"
        if not headline.is_share
        else "inverse"
        if headline.name.startswith("Flagged")
        else "normal"
    )
    cases = "double-rated pairs" if "agreement" in headline.name else "audits"
    col.metric(
        headline.name, value, delta, delta_color=colour, help=f"Based on {headline.base:,} {cases}."
    )


def _headlines(data: DashboardData) -> None:
    first, last = month_label(data.months[0]), month_label(data.months[-1])
    before = f"{month_label(data.previous_months[0])} to {month_label(data.previous_months[-1])}"
    st.markdown(f"#### {first} to {last}")
    cols = st.columns(len(data.headlines))
    for col, headline in zip(cols, data.headlines):
        _metric(col, headline, data)
    notes = [f"Changes are against the previous {len(data.previous_months)} months ({before})."]
    notes.append(against_target(data.headlines[1], data.target_pct, data.suppression_size))
    st.caption(" ".join(notes))


def against_target(good: Headline, target_pct: float, suppression_size: int) -> str:
    """The share Good or better against the target, in words that read right at a target
    of 100% (all plans) and say how many plans short of it this period is."""
    everything = target_pct >= 100
    if good.value is None:
        goal = (
            "all plans Good or better (100%)" if everything else f"{target_pct:g}% Good or better"
        )
        if good.base == 0:
            return f"No plans were graded in these months to set against the target of {goal}."
        return (
            f"The share Good or better is not shown, as it rests on fewer than {suppression_size} "
            f"graded plans; the target is {goal}."
        )
    hits = round(good.value * good.base / 100)
    short = max(0, math.ceil(target_pct * good.base / 100 - 1e-9) - hits)
    said = (
        f"{good.value:.0f}% of graded plans are Good or better ({hits} of {good.base}); "
        f"the target is {'all of them (100%)' if everything else f'{target_pct:g}%'}"
    )
    if short == 0:
        return f"{said}, and this period meets it."
    return f"{said}: {short} {'plan' if short == 1 else 'plans'} short."


def _downloads(chart: alt.TopLevelMixin, frame: pd.DataFrame, name: str) -> None:
    cols = st.columns([1, 1, 1, 5])
    cols[0].download_button(
        "PNG",
        lambda: charts.chart_png(chart),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"{name}_png",
        icon=":material/image:",
        on_click="ignore",
    )
    cols[1].download_button(
        "SVG",
        lambda: charts.chart_svg(chart),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        key=f"{name}_svg",
        icon=":material/draw:",
        on_click="ignore",
    )
    table = frame.drop(columns=[c for c in frame.columns if c.endswith("_order")])
    cols[2].download_button(
        "CSV",
        table.to_csv(index=False),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{name}_csv",
        icon=":material/table:",
        on_click="ignore",
    )


def _picked(event) -> dict | None:
    if not event:
        return None
    points = event.selection.get("pick") if hasattr(event, "selection") else None
    return points[0] if points else None


def _show_audits(filters: DashboardFilters, selection: Selection, what: str, name: str) -> None:
    actor = current_actor()
    with db() as session:
        table = audits_behind(session, actor, filters, selection)
    st.markdown(
        f"**Audits behind {plain(what)}** ({len(table)}{' shown, newest first' if len(table) >= 500 else ''})"
    )
    if table.empty:
        st.info("No audits match.")
        return
    table = table[
        [c for c in KEY_COLUMNS if c in table] + [c for c in table if c not in KEY_COLUMNS]
    ]
    if not (has_page("audit") and allowed(actor, Action.WORK_ON_AUDIT)):
        st.dataframe(table, hide_index=True, width="stretch")
        return
    picked = choose(
        "Open one of these audits",
        {
            row["Audit"]: f"Plan {row['Plan']} · {row['Grade']} · submitted {row['Submitted']}"
            f" · audit {row['Audit']}"
            for row in table.to_dict("records")
        },
        key=f"{name}_open",
        placeholder="Choose an audit to open…",
    )
    if picked is not None:
        go_to("audit", audit=picked)
    clicked = picked_row(table.set_index("Audit", drop=False), f"{name}_audits")
    if clicked is not None:
        go_to("audit", audit=clicked)


def _chart(
    title: str,
    note: str,
    chart,
    frame: pd.DataFrame,
    name: str,
    filters: DashboardFilters,
    to_selection=None,
    key: str | None = None,
) -> None:
    """``key``, when given, says below the chart what its short codes stand for."""
    st.markdown(f"##### {title}")
    if (
        "suppressed" in frame
        and frame["suppressed"].any()
        and filters.period == "month"
        and "period" in frame
    ):
        note += " Some months rest on too few cases to show: showing by quarter groups more audits together."
    can_list = to_selection is not None and allowed(
        current_actor(), Action.LIST_AUDITS_BEHIND_CHART
    )
    if can_list:
        note += (
            " Click a bar, point or cell to list the audits behind it (double-click to clear), or choose it in "
            "the list below the chart; then open any audit listed."
        )
    st.caption(note)
    if not can_list:
        st.altair_chart(chart, width="stretch", key=name)
    else:
        event = st.altair_chart(
            chart, width="stretch", key=name, on_select="rerun", selection_mode="pick"
        )
    if key:
        st.caption(plain(key))
    if can_list:
        point = _picked(event) or _point_by_keyboard(frame, to_selection, name)
        if point:
            selection, what = to_selection(point)
            _show_audits(filters, selection, what, name)
    _downloads(chart, frame, name)


def _point_by_keyboard(frame: pd.DataFrame, to_selection, name: str) -> dict | None:
    """The chart's bars, points or cells as a select box: the keyboard route to the list
    of audits behind one of them (a chart takes clicks only)."""
    shown = frame[~frame["suppressed"]] if "suppressed" in frame else frame
    points = {}
    for row in shown.to_dict("records"):
        if row.get("n") == 0 or row.get("count") == 0:
            continue
        points.setdefault(to_selection(row)[1], row)
    names = {what: what for what in points}
    what = choose(
        "List the audits behind this",
        names,
        key=f"{name}_list",
        placeholder="Choose a bar, point or cell…",
    )
    return points.get(what)


def _trend_tab(data: DashboardData) -> None:
    k, f = data.suppression_size, data.filters
    _chart(
        "Plans Good or better",
        "Share of audited plans graded Good or Outstanding in each period, against the target.",
        charts.good_share_chart(data.good_share, data.target_pct, k),
        data.good_share,
        "good_or_better",
        f,
        lambda p: (Selection(period=p["period"]), p["period"]),
    )
    _chart(
        "Grade distribution",
        "Each period's audits by overall grade (moderated plans take the agreed grade).",
        charts.grade_distribution_chart(data.grades, k),
        data.grades,
        "grade_distribution",
        f,
        lambda p: (
            Selection(period=p["period"], grade=int(p["grade"])),
            f"{p['period']}, {GRADE_LABELS.get(int(p['grade']), p['grade'])}",
        ),
        key="Each segment is marked with its grade's letters and share: "
        + ", ".join(f"{short} {grade}" for grade, short in GRADE_SHORT.items())
        + ".",
    )


def _criteria_tab(data: DashboardData) -> None:
    if data.heatmap.empty:
        st.info("No criterion scores in this selection.")
        return
    _chart(
        "Mean score by criterion",
        "Mean score per criterion and period: 4 Outstanding, 3 Good, 2 Requires "
        "improvement, 1 Inadequate. Grey cells marked s rest on too few scores to show.",
        charts.criterion_heatmap(data.heatmap, data.suppression_size),
        data.heatmap,
        "criterion_heatmap",
        data.filters,
        lambda p: (
            Selection(period=p["period"], criterion_id=p["criterion_id"]),
            f"{data.criteria.get(p['criterion_id'], p['criterion_id'])} in {p['period']}",
        ),
        key=_section_key(data),
    )


def _section_key(data: DashboardData) -> str:
    """What the section code before each criterion's name stands for."""
    used = dict.fromkeys(name.split(" · ")[0] for name in data.heatmap["criterion"])
    return (
        "Each criterion is named after its section: "
        + "; ".join(
            f"{code}, {data.sections[code]}" if code in data.sections else code for code in used
        )
        + "."
    )


def _breakdowns_tab(data: DashboardData) -> None:
    for name, title in BREAKDOWNS.items():
        frame = data.breakdowns[name].copy()
        if frame.empty:
            continue
        shown = GROUP_LABELS.get(name, str)
        codes = {
            (group if group == "Not recorded" else shown(group)): group for group in frame["group"]
        }
        frame["group"] = list(codes)
        _chart(
            f"Good or better by {title.lower()}",
            "Share of audited plans graded Good or better in the months chosen.",
            charts.breakdown_chart(
                frame, title, data.target_pct, data.suppression_size, label_limit=360
            ),
            frame,
            f"by_{name}",
            data.filters,
            lambda p, name=name, codes=codes: (
                Selection(dimension=name, group=codes.get(p["group"], p["group"])),
                p["group"],
            ),
            key=KEY_STAGE_KEY if name == "key_stage" else None,
        )


def _pfa_tab(data: DashboardData) -> None:
    if data.pfa.empty:
        st.info(
            "No Preparing for Adulthood criteria were scored in this selection (they apply from Year 9)."
        )
        return
    _chart(
        "Preparing for Adulthood, Year 9 and above",
        "Share of Year 9+ plans judged Good or better on each Preparing for Adulthood criterion.",
        charts.pfa_coverage_chart(data.pfa, data.suppression_size),
        data.pfa,
        "pfa_coverage",
        data.filters,
        lambda p: (
            Selection(period=p["period"], criterion_id=p["criterion_id"]),
            f"{data.criteria.get(p['criterion_id'], p['criterion_id'])} in {p['period']}",
        ),
    )


def _other_tab(data: DashboardData) -> None:
    k, f = data.suppression_size, data.filters
    series = [
        (
            "Plans flagged for weak outcomes",
            "Share of checked plans whose outcomes the checker flagged as weak.",
            data.weak_rate,
            "weak_outcome_rate",
            "Flagged for weak outcomes",
            "plans checked",
            "No audited plan in this selection has been checked for weak outcomes yet.",
        ),
        (
            "Moderation agreement",
            "Share of double-rated plans where both auditors gave the same overall grade.",
            data.agreement,
            "moderation_agreement",
            "Exact agreement",
            "double-rated pairs",
            "No double-rated plans in this selection.",
        ),
        (
            "New plans issued within 20 weeks",
            "Share of audited new plans issued within 20 weeks of the request, where both dates are recorded.",
            data.timeliness,
            "timeliness_20_weeks",
            "Issued within 20 weeks",
            "new plans with dates",
            "No audited new plans with request and issue dates in this selection.",
        ),
    ]
    for title, note, frame, name, measure, base, empty in series:
        if frame["n"].sum() == 0:
            st.markdown(f"##### {title}")
            st.info(empty)
            continue
        _chart(
            title,
            note,
            charts.share_over_time_chart(frame, measure, base, k),
            frame,
            name,
            f,
            lambda p: (Selection(period=p["period"]), p["period"]),
        )


def render() -> None:
    actor = current_actor()
    settings = current_settings()
    st.title("Plan quality trends")
    st.caption(
        "Evidence for the SEND board and inspectors: how the quality of audited EHC plans is changing, and where it is not. "
        f"Figures resting on fewer than {settings.suppression_size} "
        "audits are suppressed."
    )
    try:
        with db() as session:
            options = dashboard_options(session, actor)
        if not options.months:
            st.info("No audits have been submitted yet, so there is nothing to chart.")
            return
        filters = _filters(options)
        with db() as session:
            data = dashboard_data(session, actor, filters, settings=settings)
    except ServiceError as error:
        st.error(str(error))
        return
    _headlines(data)
    tabs = st.tabs(
        [
            "Over time",
            "Criteria",
            "By group",
            "Preparing for Adulthood",
            "Outcomes, moderation and timeliness",
            "Provision and golden thread",
            "Re-audits and impact",
            "Annual reviews",
            "Family voice",
        ]
    )
    with tabs[0]:
        _trend_tab(data)
    with tabs[1]:
        _criteria_tab(data)
    with tabs[2]:
        _breakdowns_tab(data)
    with tabs[3]:
        _pfa_tab(data)
    with tabs[4]:
        _other_tab(data)
    with tabs[5]:
        render_checks_tab(actor, filters)
    with tabs[6]:
        render_impact_tab(actor, data.filters)
    with tabs[7]:
        render_reviews_tab(actor, data.filters, data.target_pct)
    with tabs[8]:
        render_voice_tab(actor, data.filters)

"""Trend dashboards for QA leads: every figure and chart table for one set of filters.

Aggregation runs in the database over the summary tables that
``qa_app.services.dashboard_summary`` keeps in step with the audits; only the small
grouped results reach Python, where months are rolled up into quarters and small groups
are suppressed. Results are cached per filter set and data version, so a change to any
counted audit makes the next request compute afresh.

Small-number suppression: a share resting on fewer than ``suppression_size`` audits (or
scores, pairs, plans) is withheld: its row keeps the count band but the share is empty and
``suppressed`` is true, as public statistics about children require.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from qa_app.domain import plan_facts
from qa_app.services import dashboard_summary, event_log
from qa_app.services.access import Action, Actor, require
from qa_app.services.dashboard_summary import PLAN_DIMENSIONS, count_if, fact_counts
from qa_app.services.events import ChartAuditsListed
from qa_app.services.rubrics import rubric_of
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import CriterionScore, Plan, RubricVersion
from qa_app.store.summary_tables import COUNTS, audit_facts, criterion_totals, month_totals

GRADE_LABELS = {4: "Outstanding", 3: "Good", 2: "Requires improvement", 1: "Inadequate"}
BREAKDOWNS = {
    "team": "Team",
    "agency": "Agency",
    "primary_need": "Primary need",
    "key_stage": "Key stage",
    "setting_type": "Setting",
}
CACHE_SIZE = 64


@dataclass(frozen=True)
class DashboardFilters:
    """Months are ``YYYY-MM``; ``None`` means every value (for the dates: the twelve
    months up to the newest audit)."""

    start_month: str | None = None
    end_month: str | None = None
    team: str | None = None
    agency: str | None = None
    primary_need: str | None = None
    key_stage: str | None = None
    setting_type: str | None = None
    plan_type: str | None = None
    rubric_key: str | None = None
    period: str = "month"


@dataclass(frozen=True)
class Headline:
    name: str
    value: float | None
    previous: float | None
    base: int
    is_share: bool
    suppressed: bool = False

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class DashboardOptions:
    months: list[str]
    rubrics: dict[str, str]
    values: dict[str, list[str]]


@dataclass
class DashboardData:
    filters: DashboardFilters
    months: list[str]
    previous_months: list[str]
    target_pct: float
    suppression_size: int
    headlines: list[Headline]
    good_share: pd.DataFrame
    grades: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    heatmap: pd.DataFrame
    pfa: pd.DataFrame
    weak_rate: pd.DataFrame
    agreement: pd.DataFrame
    timeliness: pd.DataFrame
    criteria: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------------- months
def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_at(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(start: str, end: str) -> list[str]:
    return [month_at(i) for i in range(month_index(start), month_index(end) + 1)]


def month_label(month: str) -> str:
    return date(int(month[:4]), int(month[5:]), 1).strftime("%b %Y")


def period_of(month: str, period: str) -> str:
    if period != "quarter":
        return month_label(month)
    year, number = int(month[:4]), int(month[5:])
    first = (number - 1) // 3 * 3 + 1
    return f"{date(year, first, 1):%b}–{date(year, first + 2, 1):%b} {year}"


def period_labels(months: list[str], period: str) -> dict[str, str]:
    """Each month's period label; a quarter the chosen months cover only in part says so,
    so that a board never reads one month as a whole quarter."""
    labels = {m: period_of(m, period) for m in months}
    if period == "quarter":
        sizes = {label: list(labels.values()).count(label) for label in labels.values()}
        labels = {
            m: label if sizes[label] == 3 else f"{label} (part)" for m, label in labels.items()
        }
    return labels


def months_of_period(label: str, months: list[str], period: str) -> list[str]:
    return [m for m, shown in period_labels(months, period).items() if shown == label]


# ------------------------------------------------------------------------- cache
_cache: OrderedDict[tuple, object] = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _cached(key: tuple, compute):
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute()
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def _database_key(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


# ------------------------------------------------------------------------- options
def _rubric_versions(session: Session, rubric_key: str | None) -> list[RubricVersion]:
    query = select(RubricVersion).order_by(RubricVersion.id)
    if rubric_key:
        query = query.where(RubricVersion.rubric_key == rubric_key)
    return list(session.scalars(query))


def _options(session: Session) -> DashboardOptions:
    t = month_totals.c
    used = dict(
        session.execute(
            select(t.rubric_version_id, func.sum(t.audits))
            .where(t.dimension == "all")
            .group_by(t.rubric_version_id)
        ).all()
    )
    rubrics: dict[str, str] = {}
    for version in sorted(
        _rubric_versions(session, None), key=lambda v: (-used.get(v.id, 0), v.rubric_key)
    ):
        rubrics.setdefault(version.rubric_key, version.title)
    values = {
        "agency": list(
            session.scalars(
                select(t.agency).where(t.dimension == "all").distinct().order_by(t.agency)
            )
        )
    }
    for name in PLAN_DIMENSIONS:
        values[name] = list(
            session.scalars(
                select(t.value)
                .where(t.dimension == name, t.value != "")
                .distinct()
                .order_by(t.value)
            )
        )
    months = list(
        session.scalars(select(t.month).where(t.dimension == "all").distinct().order_by(t.month))
    )
    return DashboardOptions(months=months, rubrics=rubrics, values=values)


def dashboard_options(session: Session, actor: Actor) -> DashboardOptions:
    """The values each filter can take, from the audits counted so far."""
    require(actor, Action.SEE_DASHBOARDS)
    version = dashboard_summary.refresh(session)
    return _cached((_database_key(session), version, "options"), lambda: _options(session))


def resolve(filters: DashboardFilters, options: DashboardOptions) -> DashboardFilters:
    """Fill in the defaults: the most used rubric, and the twelve months to the newest."""
    rubric_key = filters.rubric_key or next(iter(options.rubrics), None)
    newest = options.months[-1] if options.months else f"{date.today():%Y-%m}"
    end = filters.end_month or newest
    start = filters.start_month or month_at(month_index(end) - 11)
    if month_index(start) > month_index(end):
        start, end = end, start
    return replace(filters, rubric_key=rubric_key, start_month=start, end_month=end)


def resolved_months(filters: DashboardFilters) -> list[str]:
    """The months of filters that ``resolve`` has filled in, oldest first."""
    if filters.start_month is None or filters.end_month is None:
        raise ValueError("resolve the filters before reading their months")
    return months_between(filters.start_month, filters.end_month)


# ------------------------------------------------------------------------- queries
def _fact_conditions(filters: DashboardFilters, version_ids: list[int], months: list[str]) -> list:
    conditions = [audit_facts.c.rubric_version_id.in_(version_ids), audit_facts.c.month.in_(months)]
    for name in ("agency", *PLAN_DIMENSIONS):
        value = getattr(filters, name)
        if value:
            conditions.append(audit_facts.c[name] == value)
    return conditions


def _plan_filters(filters: DashboardFilters) -> list[str]:
    return [name for name in PLAN_DIMENSIONS if getattr(filters, name)]


def _totals_conditions(
    table,
    filters: DashboardFilters,
    version_ids: list[int],
    months: list[str],
    dimension: str,
    value: str,
) -> list:
    conditions = [
        table.c.rubric_version_id.in_(version_ids),
        table.c.month.in_(months),
        table.c.dimension == dimension,
        table.c.value == value,
    ]
    if filters.agency:
        conditions.append(table.c.agency == filters.agency)
    return conditions


def _single_dimension(filters: DashboardFilters) -> tuple[str, str] | None:
    """The pre-aggregated slice that answers these filters, if one does."""
    chosen = _plan_filters(filters)
    if not chosen:
        return "all", ""
    if len(chosen) == 1:
        return chosen[0], getattr(filters, chosen[0])
    return None


def _monthly(
    session: Session, filters: DashboardFilters, version_ids: list[int], months: list[str]
) -> pd.DataFrame:
    """The additive counts per month, from the month totals when one slice answers the
    filters, otherwise from the audit facts."""
    slice_ = _single_dimension(filters)
    if slice_:
        t = month_totals.c
        query = (
            select(t.month, *(func.sum(t[name]).label(name) for name in COUNTS))
            .where(*_totals_conditions(month_totals, filters, version_ids, months, *slice_))
            .group_by(t.month)
        )
    else:
        query = (
            select(audit_facts.c.month, *fact_counts())
            .where(*_fact_conditions(filters, version_ids, months))
            .group_by(audit_facts.c.month)
        )
    return pd.DataFrame(session.execute(query).all(), columns=["month", *COUNTS])


def _breakdown(
    session: Session,
    filters: DashboardFilters,
    version_ids: list[int],
    months: list[str],
    name: str,
) -> pd.DataFrame:
    """Graded and good-or-better audits per value of one plan attribute or agency."""
    if _plan_filters(filters):
        column = audit_facts.c[name]
        query = (
            select(column, func.count(audit_facts.c.grade), count_if(audit_facts.c.grade >= 3))
            .where(*_fact_conditions(filters, version_ids, months))
            .group_by(column)
        )
    else:
        t = month_totals.c
        column = t.agency if name == "agency" else t.value
        conditions = [
            t.rubric_version_id.in_(version_ids),
            t.month.in_(months),
            t.dimension == ("all" if name == "agency" else name),
        ]
        if filters.agency:
            conditions.append(t.agency == filters.agency)
        query = (
            select(column, func.sum(t.graded), func.sum(t.good)).where(*conditions).group_by(column)
        )
    table = pd.DataFrame(session.execute(query).all(), columns=["group", "graded", "good"])
    table["group"] = table["group"].replace("", None).fillna("Not recorded")
    return table[table["graded"] > 0]


def _criterion_rows(
    session: Session, filters: DashboardFilters, version_ids: list[int], months: list[str]
) -> pd.DataFrame:
    columns = ["month", "criterion_id", "score_sum", "score_count", "good_count"]
    slice_ = _single_dimension(filters)
    if slice_:
        t = criterion_totals.c
        query = (
            select(
                t.month,
                t.criterion_id,
                func.sum(t.score_sum),
                func.sum(t.score_count),
                func.sum(t.good_count),
            )
            .where(*_totals_conditions(criterion_totals, filters, version_ids, months, *slice_))
            .group_by(t.month, t.criterion_id)
        )
    else:
        score = CriterionScore.score
        query = (
            select(
                audit_facts.c.month,
                CriterionScore.criterion_id,
                func.sum(score),
                func.count(score),
                count_if(score >= 3),
            )
            .join(CriterionScore, CriterionScore.audit_id == audit_facts.c.audit_id)
            .where(*_fact_conditions(filters, version_ids, months), score.is_not(None))
            .group_by(audit_facts.c.month, CriterionScore.criterion_id)
        )
    return pd.DataFrame(session.execute(query).all(), columns=columns)


# ------------------------------------------------------------------------- shaping
def _share_table(frame: pd.DataFrame, key: str, base: str, hits: str, k: int) -> pd.DataFrame:
    """``key``, ``n`` (the base), ``hits``, ``suppressed`` and ``share`` (percent); a
    suppressed row keeps ``n`` but has neither hits nor share."""
    rows = []
    for value, n, hit in zip(frame[key], frame[base], frame[hits]):
        n, hit = int(n), int(hit)
        suppressed = n < k
        rows.append(
            (
                value,
                n,
                None if suppressed else hit,
                suppressed,
                None if suppressed or not n else round(100 * hit / n, 1),
            )
        )
    table = pd.DataFrame(rows, columns=[key, "n", "hits", "suppressed", "share"])
    table["share"] = table["share"].astype(float)
    return table


def _by_period(
    frame: pd.DataFrame,
    months: list[str],
    period: str,
    numeric: list[str],
    extra_keys: Sequence[str] = (),
) -> pd.DataFrame:
    """Add up month rows into periods, keeping every period of the range in order."""
    labels = period_labels(months, period)
    frame = frame[frame["month"].isin(months)].copy()
    frame["period"] = frame["month"].map(labels)
    order = list(dict.fromkeys(labels.values()))
    keys = ["period", *extra_keys]
    if period == "month" or frame.empty:
        summed = frame[keys + numeric]  # one month per period: nothing to add up
    else:
        summed = frame.groupby(keys, sort=False)[numeric].sum().reset_index()
    if not extra_keys:
        summed = (
            pd.DataFrame({"period": order})
            .merge(summed, on="period", how="left")
            .fillna({c: 0 for c in numeric})
        )
    summed["period_order"] = summed["period"].map({p: i for i, p in enumerate(order)})
    return summed.sort_values(["period_order", *extra_keys]).reset_index(drop=True)


def _grade_table(monthly: pd.DataFrame, k: int) -> pd.DataFrame:
    rows = []
    for _, row in monthly.iterrows():
        suppressed = row["graded"] < k
        for grade, name in GRADE_LABELS.items():
            count = int(row[f"grade_{grade}"])
            rows.append(
                {
                    "period": row["period"],
                    "period_order": row["period_order"],
                    "grade": grade,
                    "grade_label": name,
                    "n": int(row["graded"]),
                    "count": None if suppressed else count,
                    "share": None
                    if suppressed or not row["graded"]
                    else round(100 * count / row["graded"], 1),
                    "suppressed": bool(suppressed),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "period",
            "period_order",
            "grade",
            "grade_label",
            "n",
            "count",
            "share",
            "suppressed",
        ],
    )


def _headline(
    name: str, current: pd.Series, previous: pd.Series, base: str, hits: str | None, k: int
) -> Headline:
    if hits is None:
        return Headline(
            name, float(current[base]), float(previous[base]), int(current[base]), is_share=False
        )

    def share(totals: pd.Series) -> float | None:
        return None if totals[base] < k else float(100 * totals[hits] / totals[base])

    return Headline(
        name,
        share(current),
        share(previous),
        int(current[base]),
        is_share=True,
        suppressed=bool(current[base] < k),
    )


def _criterion_tables(
    rows: pd.DataFrame, rubric, months: list[str], period: str, k: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    order = {c.id: i for i, c in enumerate(rubric.criteria)} if rubric else {}
    titles = {c.id: f"{c.section} · {c.title}" for c in rubric.criteria} if rubric else {}
    pfa_ids = (
        {
            c.id
            for c in rubric.criteria
            if c.applies_when and (c.applies_when.year_group_at_least or 0) >= 9
        }
        if rubric
        else set()
    )
    summed = _by_period(
        rows, months, period, ["score_sum", "score_count", "good_count"], ["criterion_id"]
    )
    summed["criterion"] = summed["criterion_id"].map(lambda c: titles.get(c, c))
    summed["criterion_order"] = summed["criterion_id"].map(lambda c: order.get(c, len(order)))
    summed["suppressed"] = summed["score_count"] < k
    mean = (summed["score_sum"] / summed["score_count"].where(summed["score_count"] > 0)).round(2)
    summed["mean"] = mean.where(~summed["suppressed"])
    heatmap = (
        summed.rename(columns={"score_count": "n"})[
            [
                "period",
                "period_order",
                "criterion_id",
                "criterion",
                "criterion_order",
                "n",
                "mean",
                "suppressed",
            ]
        ]
        .sort_values(["criterion_order", "period_order"])
        .reset_index(drop=True)
    )
    pfa_rows = summed[summed["criterion_id"].isin(pfa_ids)]
    pfa = _share_table(pfa_rows, "period", "score_count", "good_count", k)
    for column in ("period_order", "criterion_id", "criterion"):
        pfa[column] = pfa_rows[column].to_numpy()
    return heatmap, pfa


def _compute(session: Session, filters: DashboardFilters, settings: Settings) -> DashboardData:
    k = settings.suppression_size
    versions = _rubric_versions(session, filters.rubric_key)
    version_ids = [v.id for v in versions]
    rubric = rubric_of(versions[-1]) if versions else None
    months = resolved_months(filters)
    previous = [month_at(month_index(months[0]) - len(months) + i) for i in range(len(months))]

    counts = list(COUNTS)
    monthly = _monthly(session, filters, version_ids, previous + months)
    monthly[counts] = monthly[counts].fillna(0).astype(int)
    current_totals = monthly[monthly["month"].isin(months)][counts].sum()
    previous_totals = monthly[monthly["month"].isin(previous)][counts].sum()
    headlines = [
        _headline("Audits completed", current_totals, previous_totals, "audits", None, k),
        _headline("Good or better", current_totals, previous_totals, "graded", "good", k),
        _headline(
            "Flagged for weak outcomes", current_totals, previous_totals, "flag_known", "flagged", k
        ),
        _headline("Moderation agreement", current_totals, previous_totals, "pairs", "agreed", k),
    ]
    periods = _by_period(monthly, months, filters.period, counts)

    def over_time(base: str, hits: str) -> pd.DataFrame:
        table = _share_table(periods, "period", base, hits, k)
        table["period_order"] = periods["period_order"].to_numpy()
        return table

    breakdowns = {
        name: _share_table(
            _breakdown(session, filters, version_ids, months, name), "group", "graded", "good", k
        )
        for name in BREAKDOWNS
    }
    heatmap, pfa = _criterion_tables(
        _criterion_rows(session, filters, version_ids, months), rubric, months, filters.period, k
    )
    return DashboardData(
        filters=filters,
        months=months,
        previous_months=previous,
        target_pct=settings.good_target_pct,
        suppression_size=k,
        headlines=headlines,
        good_share=over_time("graded", "good"),
        grades=_grade_table(periods, k),
        breakdowns=breakdowns,
        heatmap=heatmap,
        pfa=pfa,
        weak_rate=over_time("flag_known", "flagged"),
        agreement=over_time("pairs", "agreed"),
        timeliness=over_time("new_dated", "on_time"),
        criteria={c.id: c.title for c in rubric.criteria} if rubric else {},
        sections={s.id: s.title for s in rubric.sections} if rubric else {},
    )


def dashboard_data(
    session: Session,
    actor: Actor,
    filters: DashboardFilters = DashboardFilters(),
    *,
    settings: Settings = DEFAULTS,
) -> DashboardData:
    """Every headline figure and chart table for these filters (defaults resolved), with
    the suppression size and target of ``settings``."""
    options = dashboard_options(session, actor)
    resolved = resolve(filters, options)
    version = dashboard_summary.stored_version(session)
    key = (
        _database_key(session),
        version,
        resolved,
        settings.suppression_size,
        settings.good_target_pct,
    )
    return _cached(key, lambda: _compute(session, resolved, settings))


# ------------------------------------------------------------------------- drill-down
@dataclass(frozen=True)
class Selection:
    """What was clicked: a period, a group of a breakdown, a grade, a criterion."""

    period: str | None = None
    dimension: str | None = None
    group: str | None = None
    grade: int | None = None
    criterion_id: str | None = None


def audits_behind(
    session: Session,
    actor: Actor,
    filters: DashboardFilters,
    selection: Selection,
    limit: int = 500,
) -> pd.DataFrame:
    """The counted audits behind one bar or cell, newest first, by pseudonymous plan
    reference only. Single audits are not aggregate figures, so QA leads only."""
    require(actor, Action.LIST_AUDITS_BEHIND_CHART)
    options = dashboard_options(session, actor)
    filters = resolve(filters, options)
    version_ids = [v.id for v in _rubric_versions(session, filters.rubric_key)]
    months = resolved_months(filters)
    if selection.period:
        months = months_of_period(selection.period, months, filters.period)
    f = audit_facts.c
    columns = [
        f.audit_id.label("Audit"),
        Plan.reference.label("Plan"),
        f.submitted_on.label("Submitted"),
        f.agency.label("Agency"),
        f.team.label("Team"),
        f.primary_need.label("Primary need"),
        f.key_stage.label("Key stage"),
        f.setting_type.label("Setting"),
        f.plan_type.label("Plan type"),
        f.grade.label("Grade"),
    ]
    conditions = _fact_conditions(filters, version_ids, months)
    if selection.dimension and selection.group is not None:
        column = f[selection.dimension]
        conditions.append(
            column.is_(None) if selection.group == "Not recorded" else column == selection.group
        )
    if selection.grade is not None:
        conditions.append(f.grade == selection.grade)
    query = select(*columns).join(Plan, Plan.id == f.plan_id)
    if selection.criterion_id:
        query = query.add_columns(CriterionScore.score.label("Criterion score")).join(
            CriterionScore,
            and_(
                CriterionScore.audit_id == f.audit_id,
                CriterionScore.criterion_id == selection.criterion_id,
            ),
        )
        conditions.append(CriterionScore.score.is_not(None))
    rows = (
        session.execute(
            query.where(*conditions).order_by(f.submitted_on.desc(), f.audit_id.desc()).limit(limit)
        )
        .mappings()
        .all()
    )
    event_log.record(
        session,
        actor,
        ChartAuditsListed(
            None,
            detail={
                "filters": asdict(filters),
                "selection": asdict(selection),
                "audits": len(rows),
            },
        ),
    )
    table = pd.DataFrame(
        rows,
        columns=[c.name for c in columns] + (["Criterion score"] if selection.criterion_id else []),
    )
    table["Grade"] = table["Grade"].map(lambda g: GRADE_LABELS.get(g, "Not graded"))
    table["Agency"] = table["Agency"].map(lambda a: plan_facts.AGENCIES.get(a, a))
    table["Setting"] = table["Setting"].map(lambda s: plan_facts.SETTING_TYPES.get(s, s))
    table["Plan type"] = table["Plan type"].map(lambda p: plan_facts.PLAN_TYPES.get(p, p))
    return table

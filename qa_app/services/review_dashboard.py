"""The dashboard's slice for annual-review audits: how the reviews audited in the chosen
months kept to the Code of Practice timescales and covered what a review must.

Annual-review audits are scored on their own rubric (``kind: annual_review``), so they
never mix with plan audits; this slice reads the same summary tables as the rest of the
dashboard, for the annual-review rubric whatever rubric the page is showing, and
suppresses small numbers the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import dashboard
from qa_app.services.access import Actor
from qa_app.services.rubrics import rubric_of
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import RubricVersion
from qa_app.store.summary_tables import COUNTS

REVIEW_KIND = "annual_review"


@dataclass(frozen=True)
class ReviewSlice:
    title: str
    reviews: int
    good: dashboard.Headline
    criteria: pd.DataFrame  # group, criterion_id, section, n, hits, suppressed, share
    suppression_size: int


def review_rubric_versions(session: Session) -> list[RubricVersion]:
    """Every stored version of every annual-review rubric, oldest first."""
    versions = session.scalars(select(RubricVersion).order_by(RubricVersion.id))
    return [v for v in versions if rubric_of(v).kind == REVIEW_KIND]


def review_slice(
    session: Session,
    actor: Actor,
    filters: dashboard.DashboardFilters | None = None,
    *,
    settings: Settings = DEFAULTS,
) -> ReviewSlice | None:
    """The annual-review figures for these filters' months and plan attributes (the
    rubric filter is ignored), or None when no annual-review rubric is registered."""
    options = dashboard.dashboard_options(session, actor)
    versions = review_rubric_versions(session)
    if not versions:
        return None
    rubric = rubric_of(versions[-1])
    filters = replace(
        dashboard.resolve(filters or dashboard.DashboardFilters(), options), rubric_key=rubric.id
    )
    k = settings.suppression_size
    version_ids = [v.id for v in versions]
    months = dashboard.resolved_months(filters)
    monthly = dashboard._monthly(session, filters, version_ids, months)
    totals = monthly[list(COUNTS)].fillna(0).astype(int).sum()
    good = dashboard._headline("Reviews Good or better", totals, totals, "graded", "good", k)
    rows = dashboard._criterion_rows(session, filters, version_ids, months)
    summed = (
        rows.groupby("criterion_id")[["score_count", "good_count"]].sum().reset_index()
        if not rows.empty
        else (pd.DataFrame(columns=["criterion_id", "score_count", "good_count"]))
    )
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    summed = summed[summed["criterion_id"].isin(order)].copy()
    summed["group"] = summed["criterion_id"].map(lambda c: rubric.criterion(c).title)
    table = dashboard._share_table(summed, "group", "score_count", "good_count", k)
    table["criterion_id"] = summed["criterion_id"].to_numpy()
    table["section"] = [
        rubric.section_title(rubric.criterion(c).section) for c in table["criterion_id"]
    ]
    table["criterion_order"] = table["criterion_id"].map(order)
    table = table.sort_values("criterion_order").reset_index(drop=True)
    return ReviewSlice(
        title=rubric.title,
        reviews=int(totals["audits"]),
        good=good,
        criteria=table,
        suppression_size=k,
    )

"""The dashboard's "Annual reviews" tab: how audited annual reviews kept to the Code of
Practice timescales and covered what a review must, criterion by criterion."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app import charts
from qa_app.services.dashboard import DashboardFilters
from qa_app.services.review_dashboard import review_slice
from qa_app.ui.app_settings import current_settings
from qa_app.ui.db import db


def render_reviews_tab(actor, filters: DashboardFilters, target_pct: float) -> None:
    with db() as session:
        found = review_slice(session, actor, filters, settings=current_settings())
    if found is None:
        st.info(
            "No annual-review rubric is registered, so there are no annual-review audits to show."
        )
        return
    st.markdown(f"##### {found.title}")
    if found.reviews == 0:
        st.info("No annual-review audits were completed in the months and groups chosen.")
        return
    good = found.good
    shown = (
        "suppressed"
        if good.suppressed
        else ("no grades" if good.value is None else f"{good.value:.0f}%")
    )
    st.caption(
        f"{found.reviews} annual-review audits completed in the months chosen; "
        f"reviews Good or better: {shown}. Each bar is the share of reviews that met the standard "
        f"(Good or better) on one criterion; bars resting on fewer than {found.suppression_size} "
        "scores are suppressed. The rubric filter above does not apply here."
    )
    table = found.criteria
    if table.empty:
        st.info("No annual-review criteria were scored in this selection.")
        return
    chart = charts.breakdown_chart(
        table,
        "Review standard",
        target_pct,
        found.suppression_size,
        measure="Reviews meeting the standard",
        base="Reviews scored",
        label_limit=320,
    )
    st.altair_chart(chart, width="stretch", key="annual_reviews")
    st.table(
        table.assign(
            share=table["share"].map(lambda v: "suppressed" if pd.isna(v) else f"{v:.0f}%")
        )[["section", "group", "n", "share"]]
        .rename(
            columns={
                "section": "Area",
                "group": "Standard",
                "n": "Reviews scored",
                "share": "Met the standard",
            }
        )
        .set_index("Standard")
    )

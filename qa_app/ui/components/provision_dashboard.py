"""The dashboard's provision and golden-thread tab: share of provision items specified and
gaps per plan by team, need and key stage, and the commonest gaps; small groups
suppressed. Tables only, without a download button, so every export stays logged."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services.errors import ServiceError
from qa_app.services.plan_checks_summary import DIMENSIONS, checks_summary
from qa_app.ui.app_settings import current_settings
from qa_app.ui.components.provision_checks import GAP_LABELS
from qa_app.ui.db import db


def _shown(frame, dimension_label: str):
    shown = frame.copy()
    shown["specified_pct"] = [
        "suppressed" if s else ("—" if pd.isna(v) else f"{v:.0f}%")
        for v, s in zip(shown["specified_pct"], shown["suppressed"])
    ]
    shown["gaps_per_plan"] = [
        "suppressed" if s else ("—" if pd.isna(v) else f"{v:.1f}")
        for v, s in zip(shown["gaps_per_plan"], shown["suppressed"])
    ]
    shown = shown.drop(columns=["suppressed"])
    shown.columns = [
        dimension_label,
        "Plans",
        "Provision items",
        "Specified",
        "Thread gaps per plan",
    ]
    return shown.set_index(dimension_label)


def render_checks_tab(actor, filters) -> None:
    try:
        with db() as session:
            summary = checks_summary(session, actor, filters, settings=current_settings())
    except ServiceError as error:
        st.error(str(error))
        return
    overall = summary.overall
    if not overall["plans"]:
        st.info("No plan in this selection has had its provision and golden thread checked yet.")
        return
    cols = st.columns(3)
    cols[0].metric("Plans checked", overall["plans"])
    cols[1].metric(
        "Provision items specified",
        "suppressed" if overall["suppressed"] else f"{overall['specified_pct'] or 0:.0f}%",
    )
    cols[2].metric(
        "Thread gaps per plan",
        "suppressed" if overall["suppressed"] else f"{overall['gaps_per_plan'] or 0:.1f}",
    )
    st.caption(
        f"Over every stored plan checked at import, whether audited or not; groups of fewer than {summary.suppression_size} plans "
        "are suppressed. Team, need, key stage, setting and plan type filters apply; dates do not."
    )
    for name, label in DIMENSIONS.items():
        st.markdown(f"##### By {label.lower()}")
        st.table(_shown(summary.by[name], label))
    st.markdown("##### Commonest golden-thread gaps")
    gaps = summary.commonest_gaps.copy()
    if gaps.empty:
        st.caption("No gaps found.")
        return
    gaps["kind"] = [GAP_LABELS.get(kind, kind) for kind in gaps["kind"]]
    gaps["plans_pct"] = ["suppressed" if pd.isna(v) else f"{v:.0f}%" for v in gaps["plans_pct"]]
    gaps.columns = ["Gap", "Gaps", "Plans with it", "Share of plans"]
    st.table(gaps.set_index("Gap"))

"""Plan: one plan's metadata, sections A–K, outcomes and provision."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.domain.plan_facts import SECTION_TITLES
from qa_app.services.errors import ServiceError
from qa_app.services.plans import get_plan
from qa_app.ui.components.combined_view import render_combined
from qa_app.ui.components.labels import label, need_label, year_group_label
from qa_app.ui.components.plain import plain
from qa_app.ui.db import db
from qa_app.ui.navigation import page_link
from qa_app.ui.session import current_actor


def _steps(steps: str | None) -> str:
    return "; ".join(steps.splitlines()) if steps else ""


def _weak(weak: bool | None) -> str:
    return "" if weak is None else ("Yes" if weak else "No")


def _reasons(reasons: str | None) -> str:
    return ", ".join(code.replace("_", " ") for code in (reasons or "").split(";") if code)


def _plan_id() -> int | None:
    raw = st.query_params.get("plan")
    return int(raw) if raw and raw.isdigit() else None


def render() -> None:
    actor = current_actor()
    plan_id = _plan_id()
    if plan_id is None:
        st.title("Plan")
        st.info("Choose a plan from the Plans page.")
        page_link(
            "plans",
            "Go to Plans",
        )
        return
    try:
        with db() as session:
            plan = get_plan(session, actor, plan_id)
            sections = [(s.letter, s.text) for s in plan.sections]
            outcomes = [
                (
                    o.text,
                    o.area,
                    o.timescale,
                    _steps(o.steps),
                    _weak(o.weak),
                    o.p_weak,
                    _reasons(o.reasons),
                )
                for o in plan.outcomes
            ]
            unchecked = sum(o.model_version is None for o in plan.outcomes)
            provision = [(p.section, p.text) for p in plan.provision]
    except ServiceError as error:
        st.title("Plan")
        st.error(str(error))
        return

    st.title(f"Plan {plan.reference}")
    if plan.is_synthetic:
        st.caption("Synthetic demo plan: no real child.")
    facts = st.columns(6)
    facts[0].metric("Year group", year_group_label(plan.year_group))
    facts[1].metric("Key stage", plan.key_stage or "—")
    facts[2].metric("Primary need", plan.primary_need or "—", help=need_label(plan.primary_need))
    facts[3].metric("Setting", label("setting_type", plan.setting_type))
    facts[4].metric("Plan type", label("plan_type", plan.plan_type))
    facts[5].metric("Team", plain(plan.team) if plan.team else "—")
    if plan.weak_flag:
        st.warning(f"Flagged for weak outcomes: {plain(plan.weak_flag_reason)}")
    if plan.text_purged_at:
        st.info("The text of this plan was removed under the retention policy; its scores remain.")

    outcomes_tab, provision_tab, sections_tab, audits_tab = st.tabs(
        ["Outcomes (E)", "Provision (F)", "All sections", "Audits (combined)"]
    )
    with outcomes_tab:
        if outcomes:
            if unchecked:
                st.info(
                    f"{unchecked} of {len(outcomes)} outcomes have not been checked by the weak-outcome "
                    "classifier yet, so their Weak, p(weak) and Reasons cells are empty. A QA lead or "
                    "administrator can check them with `qa-app flag --model-changed`."
                )
            columns = ["Outcome", "Area", "Timescale", "Steps", "Weak", "p(weak)", "Reasons"]
            st.dataframe(
                pd.DataFrame(outcomes, columns=columns),
                hide_index=True,
                width="stretch",
                column_config={"p(weak)": st.column_config.NumberColumn(format="%.2f")},
            )
        else:
            st.info("No outcomes were recorded for this plan.")
    with provision_tab:
        if provision:
            st.dataframe(
                pd.DataFrame(provision, columns=["Section", "Provision"]),
                hide_index=True,
                width="stretch",
            )
        else:
            st.info("No provision items were recorded for this plan.")
    with sections_tab:
        for letter, text in sections:
            with st.expander(
                f"Section {letter}: {SECTION_TITLES.get(letter, '')}", expanded=letter in ("A", "E")
            ):
                st.text(text or "(empty)")
    with audits_tab:
        render_combined(actor, plan_id)

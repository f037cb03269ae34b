"""Assign: draw an audit sample, choose the rubric, assign auditors by agency and
double-rate a share blind."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from qa_app.domain.plan_facts import AGENCIES
from qa_app.services.errors import ServiceError
from qa_app.services.plans import PlanFilters, filter_options, list_plans
from qa_app.services.rubrics import current_versions, rubric_of
from qa_app.services.sampling import (
    METHODS,
    STRATA,
    SampleRequest,
    auditors_by_agency,
    draw_sample,
    preview,
    sample_warnings,
)
from qa_app.ui.components.labels import label, need_label
from qa_app.ui.components.notice import notice
from qa_app.ui.db import db
from qa_app.ui.session import current_actor

RESULT_KEY = "assign_result"
HAND_PICK_LIMIT = 500
LINKED_KEY = "assign_linked_plan"  # the plan a link opened the page with, once taken


def _linked_plan() -> int | None:
    """The plan a link such as the import page's "Assign plan … for audit" names, the
    first time the page opens with it; the page then starts with it picked by hand."""
    wanted = st.query_params.get("plan", "")
    if not wanted.isdigit() or st.session_state.get(LINKED_KEY) == wanted:
        return None
    st.session_state[LINKED_KEY] = wanted
    st.session_state["assign_method"] = "manual"
    return int(wanted)


def _filters(options: dict[str, list[str]]) -> PlanFilters:
    cols = st.columns(4)
    team = cols[0].selectbox(
        "Team",
        [None] + options["team"],
        format_func=lambda v: "All teams" if v is None else v,
        key="assign_team",
    )
    need = cols[1].selectbox(
        "Primary need",
        [None] + options["primary_need"],
        format_func=lambda v: "All needs" if v is None else need_label(v),
        key="assign_need",
    )
    stage = cols[2].selectbox(
        "Key stage",
        [None] + options["key_stage"],
        format_func=lambda v: "All key stages" if v is None else v,
        key="assign_stage",
    )
    kind = cols[3].selectbox(
        "Plan type",
        [None] + options["plan_type"],
        format_func=lambda v: "New and reviews" if v is None else label("plan_type", v),
        key="assign_kind",
    )
    return PlanFilters(team=team, primary_need=need, key_stage=stage, plan_type=kind)


def render() -> None:
    actor = current_actor()
    st.title("Assign audits")
    with db() as session:
        try:
            auditors = auditors_by_agency(session, actor)
        except ServiceError as error:
            st.error(str(error))
            return
        versions = current_versions(session)
        options = filter_options(session, actor)

    linked = _linked_plan()
    st.subheader("1. Which plans")
    method = st.radio(
        "How to choose plans",
        list(METHODS),
        format_func=METHODS.get,
        horizontal=True,
        key="assign_method",
    )
    filters = _filters(options)
    size, seed, strata, plan_ids = 0, None, (), ()
    if method == "manual":
        with db() as session:
            plans, total = list_plans(session, actor, filters, limit=HAND_PICK_LIMIT)
            choices = {
                p.id: f"{p.reference} · {p.team or '—'} · {p.key_stage or '—'} · {p.primary_need or '—'}"
                for p in plans
            }
        if linked in choices:
            st.session_state["assign_plans"] = [linked]
        plan_ids = tuple(
            st.multiselect(
                f"Plans (the newest {len(choices)} of {total} matching)",
                list(choices),
                format_func=choices.get,
                key="assign_plans",
            )
        )
    else:
        cols = st.columns(3)
        size = cols[0].number_input(
            "Number of plans", min_value=1, max_value=1000, value=10, key="assign_size"
        )
        seed = cols[1].number_input(
            "Random seed",
            min_value=0,
            value=date.today().toordinal() % 10_000,
            key="assign_seed",
            help="The same seed and filters draw the same plans again.",
        )
        if method == "stratified":
            strata = tuple(
                cols[2].multiselect(
                    "Stratify by",
                    list(STRATA),
                    default=["team"],
                    format_func=STRATA.get,
                    key="assign_strata",
                )
            )

    st.subheader("2. Rubric and auditors")
    if not versions:
        st.error("No rubric is registered.")
        return
    version_id = st.selectbox(
        "Rubric",
        [v.id for v in versions],
        format_func=lambda i: next(f"{v.title} (v{v.version})" for v in versions if v.id == i),
        key="assign_rubric",
    )
    if rubric_of(next(v for v in versions if v.id == version_id)).kind == "annual_review":
        st.caption(
            "An annual-review audit looks at how the review was run. It is drawn only from plans "
            "that come from an annual review."
        )
    cols = st.columns(len(AGENCIES))
    assignees = {}
    for col, (agency, name) in zip(cols, AGENCIES.items()):
        people = dict(auditors[agency])
        assignees[agency] = col.multiselect(
            f"{name} auditors",
            list(people),
            format_func=people.get,
            key=f"assign_{agency}",
            help="Plans are shared out among the chosen auditors in turn.",
        )
    cols = st.columns(2)
    double_pct = cols[0].slider(
        "Double-rate this share of plans blind (%)",
        0,
        100,
        10,
        key="assign_double",
        help="A second auditor of the same agency scores the plan without seeing the first's scores.",
    )
    due = cols[1].date_input("Due date", value=date.today() + timedelta(days=21), key="assign_due")
    name = st.text_input(
        "Sample name", value=f"Audit sample {date.today():%B %Y}", key="assign_name"
    )

    request = SampleRequest(
        name=name,
        method=method,
        rubric_version_id=version_id,
        assignees={agency: ids for agency, ids in assignees.items() if ids},
        size=int(size),
        seed=None if seed is None else int(seed),
        strata=strata,
        plan_ids=plan_ids,
        filters=filters,
        double_rate_pct=float(double_pct),
        due_date=due,
    )
    with db() as session:
        warnings = sample_warnings(session, actor, request)
    for warning in warnings:
        notice(warning, icon="warning", tone="warning")
    preview_col, draw_col = st.columns(2)
    if preview_col.button("Preview the sample", key="assign_preview"):
        try:
            with db() as session:
                rows = [
                    {
                        "Reference": p.reference,
                        "Team": p.team,
                        "Key stage": p.key_stage,
                        "Primary need": p.primary_need,
                        "Plan type": label("plan_type", p.plan_type),
                    }
                    for p in preview(session, actor, request)
                ]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        except ServiceError as error:
            st.error(str(error))
    if draw_col.button("Draw and assign", type="primary", key="assign_draw"):
        try:
            with db() as session:
                drawn = draw_sample(session, actor, request)
            st.session_state[RESULT_KEY] = (
                f"Sample drawn: {len(drawn.plan_ids)} plans, {len(drawn.audit_ids)} audits assigned, "
                f"{len(drawn.double_rated_plan_ids)} plans double-rated blind."
            )
        except ServiceError as error:
            st.session_state[RESULT_KEY] = None
            st.error(str(error))
    if st.session_state.get(RESULT_KEY):
        st.success(st.session_state[RESULT_KEY])

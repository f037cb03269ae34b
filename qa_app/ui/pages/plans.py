"""Plans: the list of plans the user may see, with filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services.errors import ServiceError
from qa_app.services.plans import PlanFilters, filter_options, list_plans
from qa_app.ui.components.keyboard_choice import choose, picked_row
from qa_app.ui.components.labels import label, need_label, year_group_label
from qa_app.ui.db import db
from qa_app.ui.navigation import go_to
from qa_app.ui.session import current_actor

PAGE_SIZE = 200


def _filters(options: dict[str, list[str]]) -> PlanFilters:
    cols = st.columns([1, 1, 1, 1, 1, 1])
    team = cols[0].selectbox(
        "Team", [None] + options["team"], format_func=lambda v: "All teams" if v is None else v
    )
    need = cols[1].selectbox(
        "Primary need",
        [None] + options["primary_need"],
        format_func=lambda v: "All needs" if v is None else need_label(v),
    )
    stage = cols[2].selectbox(
        "Key stage",
        [None] + options["key_stage"],
        format_func=lambda v: "All key stages" if v is None else v,
    )
    setting = cols[3].selectbox(
        "Setting",
        [None] + options["setting_type"],
        format_func=lambda v: "All settings" if v is None else label("setting_type", v),
    )
    kind = cols[4].selectbox(
        "Plan type",
        [None] + options["plan_type"],
        format_func=lambda v: "New and reviews" if v is None else label("plan_type", v),
    )
    reference = cols[5].text_input("Reference contains", max_chars=40)
    flagged = st.checkbox("Flagged for weak outcomes only", key="plans_flagged_only")
    return PlanFilters(team, need, stage, setting, kind, reference or None, flagged_only=flagged)


def render() -> None:
    actor = current_actor()
    st.title("Plans")
    with db() as session:
        filters = _filters(filter_options(session, actor))
        try:
            plans, total = list_plans(session, actor, filters, limit=PAGE_SIZE)
        except ServiceError as error:
            st.error(str(error))
            return
        rows = [
            {
                "id": p.id,
                "Reference": p.reference,
                "Team": p.team or "—",
                "Writer": p.writer_code or "—",
                "Year group": year_group_label(p.year_group),
                "Key stage": p.key_stage or "—",
                "Primary need": p.primary_need or "—",
                "Setting": label("setting_type", p.setting_type),
                "Plan type": label("plan_type", p.plan_type),
                "Added": p.created_at.date(),
                "Weak outcomes": "flagged" if p.weak_flag else "",
                "Synthetic": "yes" if p.is_synthetic else "",
            }
            for p in plans
        ]
    shown = f"the newest {len(rows)} of {total}" if total > len(rows) else f"{total}"
    st.caption(f"Showing {shown} plans. Choose a plan below, or select a row, to open it.")
    if not rows:
        st.info("No plans match these filters.")
        return
    picked = choose(
        "Open a plan",
        {
            row[
                "id"
            ]: f"{row['Reference']} · {row['Team']} · {row['Year group']} · {row['Primary need']}"
            for row in rows
        },
        key="plans_open",
        placeholder="Choose a plan to open…",
    )
    if picked is not None:
        go_to("plan", plan=picked)
    table = pd.DataFrame(rows).set_index("id")
    selected = picked_row(table, "plans_table")
    if selected is not None:
        go_to("plan", plan=selected)

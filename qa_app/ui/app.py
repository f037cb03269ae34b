"""Builds the multipage app from the signed-in user's roles."""

from __future__ import annotations

import streamlit as st

from qa_app.services.access import can_read_plan_text
from qa_app.settings import get_settings
from qa_app.ui.db import rubric_problems
from qa_app.ui.navigation import remember
from qa_app.ui.pages import plan, plans, rubrics
from qa_app.ui.session import choose_demo_user

SYNTHETIC_BANNER = "Demo mode: every plan, person and audit here is synthetic, made up for demonstration."


def pages_for(actor) -> dict[str, st.Page]:
    pages = {}
    if can_read_plan_text(actor):
        pages["plans"] = st.Page(plans.render, title="Plans", icon=":material/folder_open:", url_path="plans", default=True)
        pages["plan"] = st.Page(plan.render, title="Plan", icon=":material/description:", url_path="plan")
    pages["rubrics"] = st.Page(rubrics.render, title="Rubrics", icon=":material/checklist:", url_path="rubrics", default=not pages)
    return pages


def run() -> None:
    st.set_page_config(page_title="EHCP quality assurance", page_icon=":material/fact_check:", layout="wide")
    settings = get_settings()
    for problem in rubric_problems():
        st.sidebar.error(f"A rubric file could not be loaded:\n\n{problem}")
    actor = choose_demo_user() if settings.demo else None
    if actor is None:
        st.error("No user accounts exist in this database yet.")
        st.stop()
    if settings.demo:
        st.sidebar.info(SYNTHETIC_BANNER)
    st.navigation(remember(pages_for(actor))).run()

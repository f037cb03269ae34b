"""A save that fails because the disk is full says so, instead of "cannot be reached"."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from qa_app.benchmarks import workload
from qa_app.services.health import STORAGE_FULL_MESSAGE, UNAVAILABLE_MESSAGE
from qa_app.store.engine import session_scope
from qa_app.store.models import PlanSection


def _save_on_a_full_disk(plan_id: int) -> None:
    # AppTest runs this function's source as the script, so it imports what it needs.
    import streamlit as st
    from sqlalchemy import text

    from qa_app.services.health import DatabaseUnavailable
    from qa_app.store.models import PlanSection
    from qa_app.ui.db import db

    try:
        with db() as session:
            pages = session.execute(text("PRAGMA page_count")).scalar()
            # The file may not grow: a full disk.
            session.execute(text(f"PRAGMA max_page_count = {pages}"))
            session.add(PlanSection(plan_id=plan_id, letter="K", position=9, text="x" * 2_000_000))
            session.flush()
    except DatabaseUnavailable as failure:
        st.session_state["failure"] = str(failure)


def test_a_full_disk_is_named_and_nothing_half_saved(sqlite_url, point_app_at, configuration):
    point_app_at(sqlite_url)
    with session_scope(sqlite_url) as session:
        (plan_id,) = workload.add_plans(session, 1)
    at = AppTest.from_function(_save_on_a_full_disk, args=(plan_id,), default_timeout=60)
    at = configuration.hand_to(at).run()
    assert not at.exception
    failure = at.session_state["failure"]
    assert failure == STORAGE_FULL_MESSAGE != UNAVAILABLE_MESSAGE
    assert "x" * 100 not in failure
    with session_scope(sqlite_url) as session:
        assert session.query(PlanSection).filter_by(letter="K").count() == 0

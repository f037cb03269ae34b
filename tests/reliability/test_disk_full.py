"""A save that fails because the disk is full says so, instead of "cannot be reached"."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from qa_app.benchmarks import workload
from qa_app.services.health import STORAGE_FULL_MESSAGE, UNAVAILABLE_MESSAGE, DatabaseUnavailable
from qa_app.store.models import PlanSection


def test_a_full_disk_is_named_and_nothing_half_saved(sqlite_url, point_app_at):
    from qa_app.ui.db import db

    point_app_at(sqlite_url)
    with db() as session:
        (plan_id,) = workload.add_plans(session, 1)
    with pytest.raises(DatabaseUnavailable) as failure, db() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar()
        session.execute(
            text(f"PRAGMA max_page_count = {pages}")
        )  # the file may not grow: a full disk
        session.add(PlanSection(plan_id=plan_id, letter="K", position=9, text="x" * 2_000_000))
        session.flush()
    assert str(failure.value) == STORAGE_FULL_MESSAGE != UNAVAILABLE_MESSAGE
    assert "x" * 100 not in str(failure.value)
    with db() as session:
        assert session.query(PlanSection).filter_by(letter="K").count() == 0

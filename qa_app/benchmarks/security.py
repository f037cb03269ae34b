"""Figures for sign-in and retention: what argon2 costs per sign-in, and how long a purge
of a full demo year takes."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from qa_app.benchmarks import figure
from qa_app.benchmarks.scratch import scratch_sqlite
from qa_app.services import accounts, demo, retention
from qa_app.services.access import OPERATOR, SYSTEM
from qa_app.store.engine import session_scope
from qa_app.store.models import Audit, Moderation, Plan

SIGN_INS = 20
PURGE_PLANS = 400


@figure("sign_in")
def sign_in_figures() -> dict[str, float]:
    with scratch_sqlite() as url:
        with session_scope(url) as session:
            accounts.add_user(session, OPERATOR, "bench", "Bench", {"qa_lead"}, password="a benchmark password")
        timings = []
        for attempt in range(SIGN_INS):
            password = "a benchmark password" if attempt % 2 == 0 else "a wrong password!!"
            with session_scope(url) as session:
                started = time.perf_counter()
                accounts.sign_in(session, "bench", password)
                timings.append(time.perf_counter() - started)
                session.rollback()
    timings.sort()
    return {
        "sign_in_ms_median": round(1000 * timings[len(timings) // 2], 1),
        "sign_in_ms_max": round(1000 * timings[-1], 1),
    }


@figure("purge")
def purge_figures() -> dict[str, float]:
    with scratch_sqlite() as url:
        with session_scope(url) as session:
            demo.seed_demo(session, SYSTEM, plans=PURGE_PLANS)
            long_ago = datetime.now(UTC) - timedelta(days=1000)
            for table, column in ((Plan, Plan.created_at), (Audit, Audit.updated_at), (Moderation, Moderation.updated_at)):
                session.execute(update(table).values({column: long_ago}))
        with session_scope(url) as session:
            started = time.perf_counter()
            summary = retention.purge_plan_text(session, OPERATOR, 730)
            seconds = time.perf_counter() - started
    return {
        "purge_plans": summary.plans,
        "purge_seconds": round(seconds, 2),
        "purge_ms_per_plan": round(1000 * seconds / max(1, summary.plans), 2),
    }

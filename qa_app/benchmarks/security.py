"""Figures for sign-in and retention: what argon2 costs per sign-in, that a failed
sign-in takes as long for an unknown or a locked account as for a wrong password, and
how long a purge of a full demo year takes."""

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
            accounts.add_user(
                session, OPERATOR, "bench", "Bench", {"qa_lead"}, password="a benchmark password"
            )
        timings = []
        for attempt in range(SIGN_INS):
            password = "a benchmark password" if attempt % 2 == 0 else "a wrong password!!"
            with session_scope(url) as session:
                started = time.perf_counter()
                accounts.sign_in(session, "bench", password)
                timings.append(time.perf_counter() - started)
                session.rollback()
        failures = {
            kind: _failed_sign_in_ms(url, username)
            for kind, username in (
                ("known", "bench"),
                ("unknown", "nobody-here"),
                ("locked", "bench"),
            )
        }
    timings.sort()
    return {
        "sign_in_ms_median": round(1000 * timings[len(timings) // 2], 1),
        "sign_in_ms_max": round(1000 * timings[-1], 1),
        **{f"failed_sign_in_ms_{kind}": ms for kind, ms in failures.items()},
    }


def _failed_sign_in_ms(url: str, username: str) -> float:
    """Median time of a refused sign-in. Failures are kept (committed) between attempts,
    so the third kind measured, "locked", runs after the account has locked."""
    timings = []
    for _ in range(SIGN_INS // 2):
        with session_scope(url) as session:
            started = time.perf_counter()
            accounts.sign_in(session, username, "a wrong password!!", client="192.0.2.1")
            timings.append(time.perf_counter() - started)
    timings.sort()
    return round(1000 * timings[len(timings) // 2], 1)


@figure("purge")
def purge_figures() -> dict[str, float]:
    with scratch_sqlite() as url:
        with session_scope(url) as session:
            demo.seed_demo(session, SYSTEM, plans=PURGE_PLANS)
            long_ago = datetime.now(UTC) - timedelta(days=1000)
            for table, column in (
                (Plan, Plan.created_at),
                (Audit, Audit.updated_at),
                (Moderation, Moderation.updated_at),
            ):
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

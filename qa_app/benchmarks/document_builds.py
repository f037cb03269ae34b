"""What the learning report and evidence pack figures share: the demo generator's
database, with plan text, outcomes and auditors' notes, large enough that the period
holds at least 1,000 audits, and the time to build a document over it, first in a fresh
process and then warm, as in the running app."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session

from qa_app.benchmarks.scratch import scratch_sqlite
from qa_app.services import demo
from qa_app.services.access import SYSTEM
from qa_app.store.engine import session_scope

AUDITS = 1_000
SINCE = date(2024, 7, 1)
UNTIL = date(2026, 6, 30)
PLANS = 720


class Built(Protocol):
    audits: int


@dataclass(frozen=True)
class BuildTimes:
    first_s: float
    warm_s: float
    audits: int


def _timed(url: str, build: Callable[[Session], Built]) -> tuple[float, int]:
    with session_scope(url) as session:
        started = time.perf_counter()
        document = build(session)
        return time.perf_counter() - started, document.audits


def time_builds(build: Callable[[Session], Built], counted: str) -> BuildTimes:
    """The first build's time, the best of three warm builds after it, and the audits the
    document covers; ``counted`` names those audits if there are fewer than ``AUDITS``."""
    with scratch_sqlite() as url:
        with session_scope(url) as session:
            demo.seed_demo(session, SYSTEM, plans=PLANS, seed=3, months=24, until=UNTIL)
        first, audits = _timed(url, build)
        if audits < AUDITS:
            raise RuntimeError(
                f"the benchmark database holds {audits} {counted}, fewer than {AUDITS}"
            )
        warm = min(_timed(url, build)[0] for _ in range(3))
    return BuildTimes(first_s=round(first, 3), warm_s=round(warm, 3), audits=audits)

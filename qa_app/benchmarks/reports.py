"""Report figures: the time to build a learning report for 1,000 audits (budget 5 s).

The database is the demo generator's, with plan text, outcomes and auditors' notes, large
enough that the report period holds at least 1,000 counted audits (first ratings,
submitted). ``report_s`` is warm, as in the running app: the process has built one
report already, so the English word list, the classifier and the chart renderer are
loaded. ``report_first_s`` is the first build in a fresh process.
"""

from __future__ import annotations

import time
from datetime import date

from qa_app.benchmarks import figure
from qa_app.benchmarks.scratch import scratch_sqlite
from qa_app.services import demo
from qa_app.services.access import SYSTEM
from qa_app.services.learning_reports import ReportRequest, build_report
from qa_app.store.engine import session_scope

AUDITS = 1_000
UNTIL = date(2026, 6, 30)
PLANS = 720
REQUEST = ReportRequest(date(2024, 7, 1), UNTIL)


def _build(url: str) -> tuple[float, int]:
    with session_scope(url) as session:
        started = time.perf_counter()
        report = build_report(session, SYSTEM, REQUEST)
        return time.perf_counter() - started, report.audits


@figure("report_s")
def report_s() -> dict[str, float]:
    with scratch_sqlite() as url:
        with session_scope(url) as session:
            demo.seed_demo(session, SYSTEM, plans=PLANS, seed=3, months=24, until=UNTIL)
        first, audits = _build(url)
        if audits < AUDITS:
            raise RuntimeError(
                f"the benchmark database holds {audits} counted audits, fewer than {AUDITS}"
            )
        warm = min(_build(url)[0] for _ in range(3))
    return {"report_s": round(warm, 3), "report_first_s": round(first, 3), "report_audits": audits}

"""Evidence pack figures: the time to build the inspection evidence pack for a period of
1,000 audits (budget 5 s), warm as in the running app (the process has built one pack,
so the word lists and the chart renderer are loaded); ``evidence_pack_first_s`` is the
first build in a fresh process."""

from __future__ import annotations

import time
from datetime import date

from qa_app.benchmarks import figure
from qa_app.benchmarks.scratch import scratch_sqlite
from qa_app.services import demo
from qa_app.services.access import SYSTEM
from qa_app.services.evidence_pack import EvidenceRequest, build_evidence_pack
from qa_app.store.engine import session_scope

AUDITS = 1_000
UNTIL = date(2026, 6, 30)
PLANS = 720
REQUEST = EvidenceRequest(date(2024, 7, 1), UNTIL)


def _build(url: str) -> tuple[float, int]:
    with session_scope(url) as session:
        started = time.perf_counter()
        pack = build_evidence_pack(session, SYSTEM, REQUEST, today=UNTIL)
        return time.perf_counter() - started, pack.audits


@figure("evidence_pack_s")
def evidence_pack_s() -> dict[str, float]:
    with scratch_sqlite() as url:
        with session_scope(url) as session:
            demo.seed_demo(session, SYSTEM, plans=PLANS, seed=3, months=24, until=UNTIL)
        first, audits = _build(url)
        if audits < AUDITS:
            raise RuntimeError(
                f"the benchmark database holds {audits} audits in the period, fewer than {AUDITS}"
            )
        warm = min(_build(url)[0] for _ in range(3))
    return {
        "evidence_pack_s": round(warm, 3),
        "evidence_pack_first_s": round(first, 3),
        "evidence_pack_audits": audits,
    }

"""Evidence pack figures: the time to build the inspection evidence pack for a period of
1,000 audits (budget 5 s), warm as in the running app (the process has built one pack,
so the word lists and the chart renderer are loaded); ``evidence_pack_first_s`` is the
first build in a fresh process."""

from __future__ import annotations

from qa_app.benchmarks import figure
from qa_app.benchmarks.document_builds import SINCE, UNTIL, time_builds
from qa_app.services.access import SYSTEM
from qa_app.services.evidence_pack import EvidenceRequest, build_evidence_pack

REQUEST = EvidenceRequest(SINCE, UNTIL)


@figure("evidence_pack_s")
def evidence_pack_s() -> dict[str, float]:
    times = time_builds(
        lambda session: build_evidence_pack(session, SYSTEM, REQUEST, today=UNTIL),
        "audits in the period",
    )
    return {
        "evidence_pack_s": times.warm_s,
        "evidence_pack_first_s": times.first_s,
        "evidence_pack_audits": times.audits,
    }

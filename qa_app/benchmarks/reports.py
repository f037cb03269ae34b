"""Report figures: the time to build a learning report for 1,000 audits (budget 5 s).

The period holds at least 1,000 counted audits (first ratings, submitted). ``report_s``
is warm, as in the running app: the process has built one report already, so the
English word list, the classifier and the chart renderer are loaded. ``report_first_s``
is the first build in a fresh process.
"""

from __future__ import annotations

from qa_app.benchmarks import figure
from qa_app.benchmarks.document_builds import SINCE, UNTIL, time_builds
from qa_app.services.access import SYSTEM
from qa_app.services.learning_reports import ReportRequest, build_report

REQUEST = ReportRequest(SINCE, UNTIL)


@figure("report_s")
def report_s() -> dict[str, float]:
    times = time_builds(lambda session: build_report(session, SYSTEM, REQUEST), "counted audits")
    return {
        "report_s": times.warm_s,
        "report_first_s": times.first_s,
        "report_audits": times.audits,
    }

"""Fifty auditors saving at once on PostgreSQL through the real save service: every
change lands exactly once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select, update

from qa_app.benchmarks.load import discrepancies, prepare, run_load
from qa_app.store.engine import session_scope
from qa_app.store.models import Audit, CriterionScore, EventLogEntry

pytestmark = pytest.mark.postgres

AUDITORS = 50
CHANGES = 40


def test_fifty_concurrent_auditors_lose_and_duplicate_nothing(postgres_url):
    result = run_load(postgres_url, prepare(postgres_url, AUDITORS), CHANGES)
    runs = result.runs

    assert [run.failures for run in runs] == [[]] * AUDITORS
    assert len(result.latencies_ms) == AUDITORS * CHANGES
    assert len({run.audit_id for run in runs}) == AUDITORS
    with session_scope(postgres_url) as session:
        for run in runs:
            rows = session.execute(
                select(CriterionScore.criterion_id, CriterionScore.score).where(
                    CriterionScore.audit_id == run.audit_id
                )
            ).all()
            assert max(Counter(cid for cid, _ in rows).values()) == 1
            assert dict(rows) == run.intended
            assert (
                session.scalar(select(Audit.version).where(Audit.id == run.audit_id)) == 1 + CHANGES
            )
            logged = session.scalar(
                select(func.count())
                .select_from(EventLogEntry)
                .where(
                    EventLogEntry.entity_id == str(run.audit_id), EventLogEntry.action == "update"
                )
            )
            assert logged == CHANGES
    assert discrepancies(postgres_url, result).none

    # The checker the benchmark reports with notices a score that is not what was saved.
    victim = runs[0]
    criterion_id, level = next(iter(victim.intended.items()))
    with session_scope(postgres_url) as session:
        session.execute(
            update(CriterionScore)
            .where(
                CriterionScore.audit_id == victim.audit_id,
                CriterionScore.criterion_id == criterion_id,
            )
            .values(score=5 - level)
        )
    assert discrepancies(postgres_url, result).lost == 1


def test_paced_and_back_to_back_loads_on_the_same_servers_lose_nothing(
    postgres_url, postgres_server
):
    from qa_app.benchmarks.load import Pace, run_loads

    other_url = postgres_server.create_database("qa_test_back_to_back", template="qa_template")
    paced, back_to_back = run_loads(
        [
            (postgres_url, prepare(postgres_url, 10), Pace(seconds=3, pause_s=(0.05, 0.2))),
            (other_url, prepare(other_url, 4), Pace(seconds=1, pause_s=(0.0, 0.0))),
        ],
        servers=2,
    )
    for url, result in ((postgres_url, paced), (other_url, back_to_back)):
        assert sum(len(run.failures) for run in result.runs) == 0
        assert len(result.latencies_ms) >= 10
        assert discrepancies(url, result).none
    # Only the saves begun in the measured window count, after the warm-up.
    assert sum(run.saves for run in paced.runs) > len(paced.latencies_ms)


def test_the_saturation_point_is_where_p95_crosses_the_budget():
    from qa_app.benchmarks.load import saturation_point

    assert saturation_point([(25, 20), (50, 40), (100, 120), (150, 280)], 200) == pytest.approx(
        125.0
    )
    assert saturation_point([(25, 250)], 200) == 25
    assert saturation_point([(25, 20), (50, 40)], 200) is None

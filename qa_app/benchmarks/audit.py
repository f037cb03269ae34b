"""Audit figures: how quickly the audit page redraws and a score is saved, on a database
the size of a large council's (10,000 plans, 20,000 audits with their scores)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import insert, select

from qa_app.benchmarks import figure
from qa_app.benchmarks.scratch import scratch_sqlite
from qa_app.services import audits as audit_service
from qa_app.services.access import actor_for
from qa_app.services.demo import ensure_demo_users
from qa_app.services.rubrics import current_versions, rubric_of
from qa_app.settings import get_settings
from qa_app.store.engine import session_scope
from qa_app.store.models import Audit, CriterionScore, Outcome, Plan, PlanSection, User, utcnow

PLANS = 10_000
AUDITS = 20_000
RERUNS = 15
SAVES = 50
SECTION_TEXT = "A paragraph of plan text that an auditor reads beside the rubric. " * 6


def _bulk_fill(url: str) -> int:
    """Insert the plans, audits and scores with executemany inserts; return the id of a
    draft audit of the demo education auditor, half scored."""
    rng = random.Random(11)
    with session_scope(url) as session:
        users = ensure_demo_users(session)
        version = next(v for v in current_versions(session) if v.rubric_key == "ehcp_core")
        rubric = rubric_of(version)
        auditors = [u for u in users.values() if u.agency == "education"]
        now = utcnow()
        session.execute(
            insert(Plan),
            [
                {
                    "id": i,
                    "reference": f"BENCH-{i:06d}",
                    "year_group": rng.randint(0, 13),
                    "key_stage": "KS2",
                    "primary_need": rng.choice(["ASD", "SEMH", "SLCN"]),
                    "team": rng.choice(["North", "South", "East"]),
                    "plan_type": rng.choice(["new", "annual_review"]),
                    "created_at": now,
                }
                for i in range(1, PLANS + 1)
            ],
        )
        session.execute(
            insert(PlanSection),
            [
                {"plan_id": i, "letter": letter, "position": n, "text": SECTION_TEXT}
                for i in range(1, PLANS + 1)
                for n, letter in enumerate(["A", "B", "C", "D", "E", "F", "G", "I", "K"])
            ],
        )
        session.execute(
            insert(Outcome),
            [
                {
                    "plan_id": i,
                    "position": n,
                    "text": "By the end of the key stage the child will read aloud to a peer.",
                    "weak": n == 2,
                    "p_weak": 0.7 if n == 2 else 0.2,
                    "reasons": "not measurable" if n == 2 else None,
                }
                for i in range(1, PLANS + 1)
                for n in range(5)
            ],
        )
        criteria = rubric.criteria_for("education", {"year_group": 5})
        session.execute(
            insert(Audit),
            [
                {
                    "id": a,
                    "plan_id": (a - 1) % PLANS + 1,
                    "rubric_version_id": version.id,
                    "auditor_id": auditors[a % len(auditors)].id,
                    "agency": "education",
                    "status": "submitted" if a > 100 else "draft",
                    "version": 1,
                    "due_date": date.today() + timedelta(days=14),
                    "created_at": now,
                    "updated_at": now,
                }
                for a in range(1, AUDITS + 1)
            ],
        )
        session.execute(
            insert(CriterionScore),
            [
                {
                    "audit_id": a,
                    "criterion_id": c.id,
                    "score": rng.randint(1, 4),
                    "not_applicable": False,
                    "note": "Evidence noted.",
                    "updated_at": now,
                }
                for a in range(1, AUDITS + 1)
                for n, c in enumerate(criteria)
                if a > 100 or n % 2 == 0
            ],
        )
        mine = users["demo_auditor"].id
        return session.scalar(
            select(Audit.id).where(Audit.auditor_id == mine, Audit.status == "draft").limit(1)
        )


@contextmanager
def _large_database() -> Iterator[tuple[str, int]]:
    with scratch_sqlite() as url:
        yield url, _bulk_fill(url)


def _actor(url: str, audit_id: int):
    with session_scope(url) as session:
        auditor = session.get(Audit, audit_id).auditor_id
        return actor_for(session.get(User, auditor))


@figure("audit_page_rerun_ms")
def audit_page_rerun_ms() -> dict[str, float]:
    from qa_app.ui.rerun_timing import median_rerun_ms

    with _large_database() as (url, audit_id):
        median = median_rerun_ms(
            "qa_app.ui.pages.audit",
            _actor(url, audit_id),
            {"audit": str(audit_id)},
            RERUNS,
            replace(get_settings(), database_url=url, demo=False),
        )
        return {"audit_page_rerun_ms": round(median, 1)}


@figure("autosave_ms")
def autosave_ms() -> dict[str, float]:
    with _large_database() as (url, audit_id):
        actor = _actor(url, audit_id)
        with session_scope(url) as session:
            view = audit_service.open_audit(session, actor, audit_id)
        version, criterion = view.version, view.criteria[1].id
        timings = []
        for n in range(SAVES):
            started = time.perf_counter()
            with session_scope(url) as session:
                version, _ = audit_service.save_score(
                    session, actor, audit_id, criterion, expected_version=version, level=n % 4 + 1
                )
            timings.append((time.perf_counter() - started) * 1000)
        return {"autosave_ms": round(statistics.median(timings), 1)}

"""Many auditors saving at once on PostgreSQL, through the real audit save service.

Each simulated auditor is a thread with an audit of their own; the threads are shared
out over a few processes, as users are over app servers. It changes one criterion
after another, each change a separate short transaction exactly as the audit page makes
it, and remembers the last level it saved for each criterion. Afterwards the database
must hold exactly that: one row per criterion scored, with the last level saved (nothing
lost, nothing duplicated), and one audit-log entry per change.
"""

from __future__ import annotations

import multiprocessing
import random
import statistics
import sys
import threading
import time
import types
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import func, select

from qa_app.benchmarks import figure
from qa_app.services import audits, rubrics
from qa_app.services.access import SYSTEM, Actor
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import engine_for, session_scope, upgrade
from qa_app.store.models import Audit, AuditLogEntry, CriterionScore
from qa_app.testing import workload

LEVELS = (1, 2, 3, 4)
# Auditors are spread over this many processes, as a deployment spreads them over app
# servers; each process has its own connection pool, as each server does.
SERVERS = 5
WORKER_TIMEOUT_SECONDS = 900


@dataclass
class AuditorRun:
    actor: Actor
    audit_id: int
    intended: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LoadResult:
    runs: list[AuditorRun]
    seconds: float

    @property
    def latencies_ms(self) -> list[float]:
        return [latency for run in self.runs for latency in run.latencies_ms]

    def percentile_ms(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Discrepancies:
    lost: int
    duplicated: int
    wrong_version: int
    missing_log_entries: int

    @property
    def none(self) -> bool:
        return not (self.lost or self.duplicated or self.wrong_version or self.missing_log_entries)


def prepare(url: str, auditors: int) -> list[AuditorRun]:
    """One audit each for ``auditors`` new education auditors."""
    upgrade(url)
    with session_scope(url) as session:
        rubrics.register_rubric_files(session, SYSTEM, PROJECT_ROOT / "rubrics")
        people = workload.add_auditors(session, auditors, prefix="load_auditor", password=None)
        lead = workload.demo_actor(session, "demo_qa_lead")
        audit_ids = workload.assign(session, lead, workload.add_plans(session, auditors), people, name="Load sample")
        owners = {session.get(Audit, audit_id).auditor_id: audit_id for audit_id in audit_ids}
    return [AuditorRun(actor, owners[actor.user_id]) for actor in people]


def _score_away(url: str, run: AuditorRun, changes: int, seed: int, start) -> None:
    rng = random.Random(seed)
    with session_scope(url) as session:
        view = audits.open_audit(session, run.actor, run.audit_id)
    criteria = [c.id for c in view.criteria]
    version = view.version
    start.wait()
    for _ in range(changes):
        criterion_id, level = rng.choice(criteria), rng.choice(LEVELS)
        began = time.perf_counter()
        try:
            with session_scope(url) as session:
                version, _ = audits.save_score(session, run.actor, run.audit_id, criterion_id,
                                               expected_version=version, level=level)
        except Exception as error:  # noqa: BLE001 - every failed save is counted, whatever the cause
            run.failures.append(type(error).__name__)
            continue
        run.latencies_ms.append((time.perf_counter() - began) * 1000)
        run.intended[criterion_id] = level


def _server_process(url: str, runs: list[AuditorRun], changes: int, first_seed: int, start, results) -> None:
    """One app server's share of the auditors, a thread each, on its own connection pool."""
    threads = [threading.Thread(target=_score_away, args=(url, run, changes, first_seed + n, start))
               for n, run in enumerate(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine_for(url).dispose()
    results.put((first_seed, runs))


@contextmanager
def _bare_main():
    """Spawned processes re-run the parent's ``__main__`` by its path. Inside ``qa-app
    bench`` an earlier AppTest figure leaves a temporary script there, so start the
    workers from an empty main module instead (their target lives in this module)."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def run_load(url: str, runs: list[AuditorRun], changes: int, servers: int = SERVERS) -> LoadResult:
    """Run every auditor at once, spread over ``servers`` processes as over app servers."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(runs)), context.Queue()
    share = -(-len(runs) // servers)
    chunks = [(n, runs[n:n + share]) for n in range(0, len(runs), share)]
    processes = [context.Process(target=_server_process, args=(url, chunk, changes, n, start, results))
                 for n, chunk in chunks]
    began = time.perf_counter()
    with _bare_main():
        for process in processes:
            process.start()
    finished = dict(results.get(timeout=WORKER_TIMEOUT_SECONDS) for _ in processes)
    for process in processes:
        process.join()
    seconds = time.perf_counter() - began
    return LoadResult([run for n, _ in chunks for run in finished[n]], seconds)


def discrepancies(url: str, result: LoadResult) -> Discrepancies:
    """Compare the database with what every auditor saved."""
    lost = duplicated = wrong_version = missing_log = 0
    with session_scope(url) as session:
        for run in result.runs:
            rows = session.execute(
                select(CriterionScore.criterion_id, CriterionScore.score).where(CriterionScore.audit_id == run.audit_id)
            ).all()
            counts = Counter(criterion_id for criterion_id, _ in rows)
            duplicated += sum(n - 1 for n in counts.values())
            stored = dict(rows)
            lost += sum(1 for cid, level in run.intended.items() if stored.get(cid) != level)
            saves = len(run.latencies_ms)
            version = session.scalar(select(Audit.version).where(Audit.id == run.audit_id))
            wrong_version += version != 1 + saves
            logged = session.scalar(select(func.count()).select_from(AuditLogEntry).where(
                AuditLogEntry.entity == "audit", AuditLogEntry.entity_id == str(run.audit_id),
                AuditLogEntry.action == "update"))
            missing_log += saves - logged
    return Discrepancies(lost, duplicated, wrong_version, missing_log)


@figure("save_p95_ms_50_auditors")
def save_p95_ms_50_auditors() -> dict[str, float]:
    """On a throwaway server with fsync off (fast, not crash-safe)."""
    return _fifty_auditors(durable=False, suffix="")


@figure("save_p95_ms_50_auditors_durable")
def save_p95_ms_50_auditors_durable() -> dict[str, float]:
    """The same load on a server with PostgreSQL's durable defaults (fsync and
    synchronous commit on), as a real deployment runs."""
    return _fifty_auditors(durable=True, suffix="_durable")


def _fifty_auditors(*, durable: bool, suffix: str) -> dict[str, float]:
    from qa_app.testing.postgres import PostgresUnavailable, ThrowawayPostgres

    try:
        server = ThrowawayPostgres(durable=durable).start()
    except PostgresUnavailable as reason:
        print(f"save_p95_ms_50_auditors{suffix} skipped: {reason}")
        return {}
    try:
        url = server.create_database("load")
        runs = prepare(url, 50)
        result = run_load(url, runs, 200)
        found = discrepancies(url, result)
        engine_for(url).dispose()
    finally:
        server.stop()
    figures = {
        "save_p95_ms_50_auditors": round(result.percentile_ms(0.95), 1),
        "save_p50_ms_50_auditors": round(statistics.median(result.latencies_ms), 1),
        "saves_50_auditors": len(result.latencies_ms),
        "saves_failed_50_auditors": sum(len(run.failures) for run in result.runs),
        "scores_lost_50_auditors": found.lost,
        "scores_duplicated_50_auditors": found.duplicated,
        "saves_per_s_50_auditors": round(len(result.latencies_ms) / result.seconds, 1),
    }
    return {f"{name}{suffix}": value for name, value in figures.items()}

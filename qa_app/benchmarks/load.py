"""Many auditors saving at once on PostgreSQL, through the real audit save service.

Each simulated auditor is a thread with an audit of their own; the threads are shared
out over a few processes, as users are over app servers. It changes one criterion
after another, each change a separate short transaction exactly as the audit page makes
it, and remembers the last level it saved for each criterion. Afterwards the database
must hold exactly that: one row per criterion scored, with the last level saved (nothing
lost, nothing duplicated), and one event-log entry per change.

Three loads:
- ``save_p95_ms_50_auditors``: 50 auditors clicking without pause (a stress test).
- ``save_p95_ms_100_auditors_paced``: 100 auditors each changing a score or a note
  every 2-6 s at random for two minutes (about 25 saves/s), as a busy county's audit
  day looks; the budget is 50 ms. ``save_paced_rate_saves_per_s`` is the rate reached.
- ``save_saturation_saves_per_s``: the same 100 auditors with ever shorter pauses, in
  steps; the saves per second at which p95 passes 200 ms (interpolated between the last
  step under and the first step over).

A paced auditor keeps a timetable: each save is due a random pause after the previous one
was due, not after it finished, so the save's own time and a late wake-up do not slow the
pace. Only the saves begun inside the measured window count towards the rate and the
latencies, and an auditor still behind the timetable when the window closes stops there,
so an overloaded step reports the saves done, not the saves due. The window opens after
a warm-up of one longest pause, once every auditor is on their way; starting the server
processes (each imports the app) is outside it. Every save, warm-up included, is checked
against the database.
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

from qa_app import benchmarks
from qa_app.benchmarks import bulk_audits, figure, workload
from qa_app.services import audits, rubrics
from qa_app.services.access import SYSTEM, Actor
from qa_app.settings import RUBRICS_DIR
from qa_app.store.engine import engine_for, session_scope, upgrade
from qa_app.store.models import Audit, CriterionScore, EventLogEntry

LEVELS = (1, 2, 3, 4)
PACED_AUDITORS = 100
PACED_SECONDS = 120
PACED_PAUSE_S = (2.0, 6.0)
SATURATION_P95_MS = 200
SATURATION_STEP_SECONDS = 20
# Pauses between one auditor's saves, step by step: about 50, 100, 200 and 500 offered
# saves/s from 100 auditors, then no pause at all.
SATURATION_PAUSES_S = ((1.0, 3.0), (0.5, 1.5), (0.25, 0.75), (0.1, 0.3), (0.0, 0.0))
# Auditors are spread over this many processes, as a deployment spreads them over app
# servers; each process has its own connection pool, as each server does. 20 auditors a
# process stay within one pool (10 connections and 20 overflow), so no save waits for one.
SERVERS = 5
WORKER_TIMEOUT_SECONDS = 900


@dataclass
class AuditorRun:
    actor: Actor
    audit_id: int
    intended: dict[str, int] = field(default_factory=dict)
    saves: int = 0  # every save made, the warm-up's included
    latencies_ms: list[float] = field(default_factory=list)  # the measured window's saves
    late_ms: list[float] = field(default_factory=list)  # how long after it was due each began
    failures: list[str] = field(default_factory=list)
    began: float = 0.0  # time.monotonic(), one clock for every process on the machine
    ended: float = 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True)
class LoadResult:
    runs: list[AuditorRun]
    seconds: float  # the measured window

    @property
    def latencies_ms(self) -> list[float]:
        return [latency for run in self.runs for latency in run.latencies_ms]

    def percentile_ms(self, share: float) -> float:
        return _percentile(self.latencies_ms, share)

    def late_p95_ms(self) -> float:
        return _percentile([late for run in self.runs for late in run.late_ms], 0.95)

    @property
    def saves_per_s(self) -> float:
        return len(self.latencies_ms) / self.seconds


@dataclass(frozen=True)
class Pace:
    """How each auditor saves: ``changes`` saves without pause, or for ``seconds`` (after
    a warm-up) on a timetable of pauses drawn from ``pause_s``, half of them notes."""

    changes: int | None = None
    seconds: float | None = None
    pause_s: tuple[float, float] = (0.0, 0.0)

    @property
    def warm_up_s(self) -> float:
        return 0.0 if self.seconds is None else max(1.0, self.pause_s[1])

    @property
    def offered_per_auditor_per_s(self) -> float | None:
        mean_pause = sum(self.pause_s) / 2
        return 1 / mean_pause if self.seconds is not None and mean_pause else None


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
        rubrics.register_rubric_files(session, SYSTEM, RUBRICS_DIR)
        people = workload.add_auditors(session, auditors, prefix="load_auditor", password=None)
        lead = workload.add_lead(session, "load_lead", password=None)
        audit_ids = workload.assign(
            session, lead, workload.add_plans(session, auditors), people, name="Load sample"
        )
        owners = {session.get(Audit, audit_id).auditor_id: audit_id for audit_id in audit_ids}
    return [AuditorRun(actor, owners[actor.user_id]) for actor in people]


def _score_away(url: str, run: AuditorRun, pace: Pace, seed: int, start) -> None:
    rng = random.Random(seed)
    with session_scope(url) as session:
        view = audits.open_audit(session, run.actor, run.audit_id)
    criteria = [c.id for c in view.criteria]
    version = view.version
    start.wait()
    run.began = due = time.monotonic()
    opens = run.began + pace.warm_up_s
    closes = None if pace.seconds is None else opens + pace.seconds
    while closes is not None or run.saves + len(run.failures) < pace.changes:
        # With no pause at all each save is due as soon as the last one is done.
        due = due + rng.uniform(*pace.pause_s) if pace.pause_s[1] else time.monotonic()
        if closes is not None and due >= closes:
            break
        if (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
        criterion_id, level = rng.choice(criteria), rng.choice(LEVELS)
        change = (
            {"note": f"Evidence note {run.saves + 1}."}
            if closes is not None and rng.random() < 0.5
            else {"level": level}
        )
        began = time.monotonic()
        if closes is not None and began >= closes:
            break  # behind the timetable when the window closes: the rest stays undone
        try:
            with session_scope(url) as session:
                version, _ = audits.save_score(
                    session,
                    run.actor,
                    run.audit_id,
                    criterion_id,
                    expected_version=version,
                    **change,
                )
        except Exception as error:
            run.failures.append(type(error).__name__)
            continue
        run.saves += 1
        if began >= opens:
            run.latencies_ms.append((time.monotonic() - began) * 1000)
            run.late_ms.append((began - due) * 1000)
        if "level" in change:
            run.intended[criterion_id] = level
    run.ended = time.monotonic()


def _server_process(shares: list[tuple], first_seed: int, results) -> None:
    """One app server's share of the auditors of each load in turn: a thread each, on
    the connection pool this process keeps for that database."""
    for url, runs, pace, start in shares:
        threads = [
            threading.Thread(target=_score_away, args=(url, run, pace, first_seed + n, start))
            for n, run in enumerate(runs)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        engine_for(url).dispose()
    results.put((first_seed, [runs for _, runs, _, _ in shares]))


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


def run_load(
    url: str, runs: list[AuditorRun], pace: Pace | int, servers: int | None = None
) -> LoadResult:
    """Run every auditor at once, spread over ``servers`` processes (``SERVERS`` unless
    given) as over app servers; ``pace`` is a ``Pace`` or a number of saves each without
    pause."""
    return run_loads([(url, runs, pace)], servers)[0]


def run_loads(loads: list[tuple[str, list[AuditorRun], Pace | int]], servers: int | None = None):
    """Run each ``(url, runs, pace)`` load in turn on the same server processes, which
    start (importing the app, a minute or more on a busy machine) only once."""
    servers = servers or SERVERS
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    paces = [pace if isinstance(pace, Pace) else Pace(changes=pace) for _, _, pace in loads]
    barriers = [context.Barrier(len(runs)) for _, runs, _ in loads]
    most = max(len(runs) for _, runs, _ in loads)
    share = -(-most // servers)
    firsts = range(0, most, share)
    processes = [
        context.Process(
            target=_server_process,
            args=(
                [
                    (url, runs[first : first + share], pace, barrier)
                    for (url, runs, _), pace, barrier in zip(loads, paces, barriers)
                ],
                first,
                results,
            ),
        )
        for first in firsts
    ]
    with _bare_main():
        for process in processes:
            process.start()
    finished = dict(results.get(timeout=WORKER_TIMEOUT_SECONDS) for _ in processes)
    for process in processes:
        process.join()
    measured = []
    for number, pace in enumerate(paces):
        runs = [run for first in firsts for run in finished[first][number]]
        window = (
            pace.seconds
            if pace.seconds is not None
            else max(run.ended for run in runs) - min(run.began for run in runs)
        )
        measured.append(LoadResult(runs, window))
    return measured


def discrepancies(url: str, result: LoadResult) -> Discrepancies:
    """Compare the database with what every auditor saved."""
    lost = duplicated = wrong_version = missing_log = 0
    with session_scope(url) as session:
        for run in result.runs:
            rows = session.execute(
                select(CriterionScore.criterion_id, CriterionScore.score).where(
                    CriterionScore.audit_id == run.audit_id
                )
            ).all()
            counts = Counter(criterion_id for criterion_id, _ in rows)
            duplicated += sum(n - 1 for n in counts.values())
            stored = dict(rows)
            lost += sum(1 for cid, level in run.intended.items() if stored.get(cid) != level)
            saves = run.saves
            version = session.scalar(select(Audit.version).where(Audit.id == run.audit_id))
            wrong_version += version != 1 + saves
            logged = session.scalar(
                select(func.count())
                .select_from(EventLogEntry)
                .where(
                    EventLogEntry.entity == "audit",
                    EventLogEntry.entity_id == str(run.audit_id),
                    EventLogEntry.action == "update",
                )
            )
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
    from qa_app.benchmarks.postgres import PostgresUnavailable, ThrowawayPostgres

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
        "saves_per_s_50_auditors": round(result.saves_per_s, 1),
    }
    return {f"{name}{suffix}": value for name, value in figures.items()}


def _throwaway_postgres(name: str):
    from qa_app.benchmarks.postgres import PostgresUnavailable, ThrowawayPostgres

    try:
        return ThrowawayPostgres().start()
    except PostgresUnavailable as reason:
        print(f"{name} skipped: {reason}")
        return None


def _paced_figures(url: str, result: LoadResult, pace: Pace) -> dict[str, float]:
    found = discrepancies(url, result)
    engine_for(url).dispose()
    rate = round(result.saves_per_s, 1)
    return {
        "save_p95_ms_100_auditors_paced": round(result.percentile_ms(0.95), 1),
        "save_p50_ms_100_auditors_paced": round(statistics.median(result.latencies_ms), 1),
        "saves_100_auditors_paced": len(result.latencies_ms),
        "saves_per_s_100_auditors_paced": rate,
        "save_paced_rate_saves_per_s": rate,
        "save_paced_offered_saves_per_s": round(PACED_AUDITORS * pace.offered_per_auditor_per_s, 1),
        "save_paced_start_late_p95_ms": round(result.late_p95_ms(), 1),
        "saves_failed_100_auditors_paced": sum(len(run.failures) for run in result.runs),
        "scores_lost_100_auditors_paced": found.lost,
        "scores_duplicated_100_auditors_paced": found.duplicated,
        "save_versions_wrong_100_auditors_paced": found.wrong_version,
        "save_log_entries_missing_100_auditors_paced": found.missing_log_entries,
    }


def _filled(server, name: str, audit_count: int) -> str:
    url = server.create_database(name)
    upgrade(url)
    with session_scope(url) as session:
        rubrics.register_rubric_files(session, SYSTEM, RUBRICS_DIR)
    bulk_audits.fill(url, audit_count)
    engine_for(url).dispose()
    return url


@figure("save_p95_ms_100_auditors_paced", scales=True)
def save_p95_ms_100_auditors_paced(scale: bool = False) -> dict[str, float]:
    """With ``scale``, the same load again beside 1k, 10k and 100k finished audits, one
    size after the other."""
    server = _throwaway_postgres("save_p95_ms_100_auditors_paced")
    if server is None:
        return {}
    pace = Pace(seconds=PACED_SECONDS, pause_s=PACED_PAUSE_S)
    try:
        urls = {"": server.create_database("paced")}
        for size, audit_count in (benchmarks.SCALE_SIZES if scale else {}).items():
            urls[f"_postgres_{size}"] = _filled(server, f"paced_{size}", audit_count)
        loads = [(url, prepare(url, PACED_AUDITORS), pace) for url in urls.values()]
        figures = {}
        for suffix, (url, _, _), result in zip(urls, loads, run_loads(loads)):
            measured = _paced_figures(url, result, pace)
            figures |= {f"{name}{suffix}": value for name, value in measured.items()}
    finally:
        server.stop()
    return figures


def saturation_point(steps: list[tuple[float, float]], budget_ms: float) -> float | None:
    """The saves/s at which p95 reaches ``budget_ms``, from (saves/s, p95 ms) steps in
    order of rising load: interpolated between the last step under and the first over;
    None when no step passes the budget."""
    below = None
    for rate, p95 in steps:
        if p95 > budget_ms:
            if below is None:
                return rate
            rate_below, p95_below = below
            return rate_below + (budget_ms - p95_below) * (rate - rate_below) / (p95 - p95_below)
        below = (rate, p95)
    return None


@figure("save_saturation_saves_per_s")
def save_saturation_saves_per_s() -> dict[str, float]:
    server = _throwaway_postgres("save_saturation_saves_per_s")
    if server is None:
        return {}
    try:
        url = server.create_database("saturation")
        runs = prepare(url, PACED_AUDITORS)
        # Every step runs, even past the budget: the server processes start only once.
        loads = [
            (
                url,
                [AuditorRun(run.actor, run.audit_id) for run in runs],
                Pace(seconds=SATURATION_STEP_SECONDS, pause_s=pause),
            )
            for pause in SATURATION_PAUSES_S
        ]
        steps = [(result.saves_per_s, result.percentile_ms(0.95)) for result in run_loads(loads)]
        engine_for(url).dispose()
    finally:
        server.stop()
    point = saturation_point(steps, SATURATION_P95_MS)
    figures = {
        f"save_saturation_step_{n}_saves_per_s": round(rate, 1)
        for n, (rate, _) in enumerate(steps, 1)
    }
    figures |= {
        f"save_saturation_step_{n}_p95_ms": round(p95, 1) for n, (_, p95) in enumerate(steps, 1)
    }
    # Never passing the budget means the machine saturated first: report the most reached.
    reached = point is not None
    return {
        "save_saturation_saves_per_s": round(
            point if reached else max(rate for rate, _ in steps), 1
        ),
        "save_saturation_reached": int(reached),
        **figures,
    }

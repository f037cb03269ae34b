"""Dashboard figures: the time to compute all of the dashboard's data for one filter set,
on SQLite and PostgreSQL, at 10,000 and 100,000 audits.

The databases are filled with bulk inserts (``bulk_audits``). Each measurement is warm:
the summary tables are built and the database has served the same queries once; the
dashboard's result cache is cleared before every timed run, so the figure is the real
compute (data version check, filter options, every chart table). ``dashboard_s`` is the
worst of the two back-ends at 100,000 audits; the budget is 1.0 s.

Also reported: the one-off build of the summary tables (``dashboard_summary_build_s_*``);
the first dashboard request after one audit changes through the services, once reopened
and once resubmitted, the slower of the two (``dashboard_update_s_*``), with what keeping
the summary current added to those writes (``dashboard_reopen_ms_*``,
``dashboard_submit_ms_*``); the catch-up after a change written round the services
(``dashboard_catch_up_s_*``, the safety net); and the same dashboard filtered to one team
and one need, which no single pre-aggregated slice answers (``dashboard_two_filters_s_*``).

With ``--scale`` the same figures are measured at 1,000, 10,000 and 100,000 audits.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select, update

from qa_app import benchmarks
from qa_app.benchmarks import figure
from qa_app.benchmarks.bulk_audits import fill
from qa_app.benchmarks.postgres import PostgresUnavailable, ThrowawayPostgres
from qa_app.benchmarks.scratch import scratch_sqlite
from qa_app.services import audits, dashboard, dashboard_summary, rubrics
from qa_app.services.access import SYSTEM
from qa_app.services.dashboard import DashboardFilters
from qa_app.settings import RUBRICS_DIR
from qa_app.store.engine import engine_for, session_scope, upgrade
from qa_app.store.models import Audit

SIZES = {"10k": 10_000, "100k": 100_000}
RUNS = 3
DEFAULT = DashboardFilters()
TWO_FILTERS = DashboardFilters(team="North locality", primary_need="ASD")


@contextmanager
def _postgres_databases() -> Iterator[Callable[[str], str]]:
    server = ThrowawayPostgres().start()
    try:

        def create(name: str) -> str:
            url = server.create_database(name)
            upgrade(url)
            with session_scope(url) as session:
                rubrics.register_rubric_files(session, SYSTEM, RUBRICS_DIR)
            return url

        yield create
    finally:
        server.stop()


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _compute(url: str, filters: DashboardFilters = DEFAULT) -> None:
    dashboard.clear_cache()
    with session_scope(url) as session:
        dashboard.dashboard_data(session, SYSTEM, filters)


def _warm_median(url: str, filters: DashboardFilters = DEFAULT) -> float:
    _compute(url, filters)
    return statistics.median(_timed(lambda: _compute(url, filters)) for _ in range(RUNS))


def _newest_single_rating(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(
            select(Audit.id)
            .where(
                Audit.rating_order == 1, Audit.double_rated.is_(False), Audit.status == "submitted"
            )
            .order_by(Audit.id.desc())
            .limit(1)
        )


def _reopen(url: str, audit_id: int) -> None:
    with session_scope(url) as session:
        audits.reopen(session, SYSTEM, audit_id, "Benchmark: one audit changes")


def _rescore_and_submit(url: str, audit_id: int) -> Callable[[], None]:
    """Raise one score and write the notes submit asks for; returns the timed submit."""
    with session_scope(url) as session:
        view = audits.open_audit(session, SYSTEM, audit_id, log_view=False)
        version = view.version
        for criterion in view.criteria:
            state = view.scores.get(criterion.id)
            if state and audits.note_required(state.level) and not state.note:
                version, _ = audits.save_score(
                    session,
                    SYSTEM,
                    audit_id,
                    criterion.id,
                    expected_version=version,
                    note="Evidence seen in the plan.",
                )
        version, _ = audits.save_score(
            session, SYSTEM, audit_id, view.criteria[0].id, expected_version=version, level=4
        )

    def submit() -> None:
        with session_scope(url) as session:
            audits.submit(session, SYSTEM, audit_id, expected_version=version)

    return submit


def _change_round_the_services(url: str) -> None:
    with session_scope(url) as session:
        newest = session.scalar(
            select(Audit.id).where(Audit.rating_order == 1).order_by(Audit.id.desc()).limit(1)
        )
        session.execute(
            update(Audit)
            .where(Audit.id == newest)
            .values(version=Audit.version + 1, overall_grade=4)
        )


def _refresh(url: str) -> None:
    with session_scope(url) as session:
        dashboard_summary.refresh(session)


def _measure(backend: str, size: str, audit_count: int, url: str) -> dict[str, float]:
    fill(url, audit_count)
    figures = {f"dashboard_summary_build_s_{backend}_{size}": _timed(lambda: _refresh(url))}
    figures[f"dashboard_s_{backend}_{size}"] = _warm_median(url)
    figures[f"dashboard_two_filters_s_{backend}_{size}"] = _warm_median(url, TWO_FILTERS)
    _compute(url)
    changed = _newest_single_rating(url)
    figures[f"dashboard_reopen_ms_{backend}_{size}"] = 1000 * _timed(lambda: _reopen(url, changed))
    after_reopen = _timed(lambda: _compute(url))
    submit = _rescore_and_submit(url, changed)
    figures[f"dashboard_submit_ms_{backend}_{size}"] = 1000 * _timed(submit)
    figures[f"dashboard_update_s_{backend}_{size}"] = max(
        after_reopen, _timed(lambda: _compute(url))
    )
    _change_round_the_services(url)
    figures[f"dashboard_catch_up_s_{backend}_{size}"] = _timed(lambda: _refresh(url))
    engine_for(url).dispose()
    return {name: round(value, 3) for name, value in figures.items()}


@figure("dashboard_s", scales=True)
def dashboard_s(scale: bool = False) -> dict[str, float]:
    sizes = benchmarks.SCALE_SIZES if scale else SIZES
    figures: dict[str, float] = {}
    for size, audit_count in sizes.items():
        with scratch_sqlite() as url:
            figures.update(_measure("sqlite", size, audit_count, url))
    try:
        with _postgres_databases() as create:
            for size, audit_count in sizes.items():
                figures.update(_measure("postgres", size, audit_count, create(f"dashboard_{size}")))
    except PostgresUnavailable as reason:
        print(f"dashboard_s: PostgreSQL figures skipped: {reason}")
    largest = [
        value
        for name, value in figures.items()
        if name.startswith("dashboard_s_") and name.endswith("_100k")
    ]
    return {"dashboard_s": max(largest), **figures}

"""``qa-app bench --scale --json`` names every figure that has a curve at every size, in
the same JSON object as the plain figures. Run here on tiny databases and a short paced
load, so only the names (and that no save went missing) are checked; the figures come
from a real run (benchmarks/README.md)."""

from __future__ import annotations

import json

import pytest

from qa_app import benchmarks
from qa_app.benchmarks import load
from qa_app.cli import main
from qa_app.store.postgres_tools import server_bin_dir

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

# Figure names are a contract (benchmarks/README.md): add, never rename.
DASHBOARD = [
    "dashboard_s",
    "dashboard_update_s",
    "dashboard_two_filters_s",
    "dashboard_summary_build_s",
    "dashboard_reopen_ms",
    "dashboard_submit_ms",
    "dashboard_catch_up_s",
]
PACED_SAVES = [
    "save_p95_ms_100_auditors_paced",
    "save_p50_ms_100_auditors_paced",
    "saves_100_auditors_paced",
    "saves_per_s_100_auditors_paced",
    "save_paced_rate_saves_per_s",
    "save_paced_offered_saves_per_s",
    "save_paced_start_late_p95_ms",
    "saves_failed_100_auditors_paced",
    "scores_lost_100_auditors_paced",
    "scores_duplicated_100_auditors_paced",
    "save_versions_wrong_100_auditors_paced",
    "save_log_entries_missing_100_auditors_paced",
]
GRADING = ["grades_per_s", "grades_per_cpu_s"]
SIZES = ("1k", "10k", "100k")
SCALED = {
    *(
        f"{name}_{engine}_{size}"
        for name in DASHBOARD
        for engine in ("sqlite", "postgres")
        for size in SIZES
    ),
    *(f"{name}_postgres_{size}" for name in PACED_SAVES for size in SIZES),
    *(f"{name}_sqlite_{size}" for name in GRADING for size in SIZES),
}


def test_scale_json_names_every_figure_at_every_size(monkeypatch, capsys):
    if server_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries are not installed")
    monkeypatch.setattr(benchmarks, "SCALE_SIZES", {"1k": 30, "10k": 40, "100k": 50})
    monkeypatch.setattr(load, "PACED_AUDITORS", 3)
    monkeypatch.setattr(load, "PACED_SECONDS", 1.0)
    monkeypatch.setattr(load, "PACED_PAUSE_S", (0.1, 0.3))
    monkeypatch.setattr(load, "SERVERS", 1)

    figures = ["dashboard_s", "save_p95_ms_100_auditors_paced", "grades_per_s"]
    assert main(["bench", "--json", "--scale", "--only", *figures]) == 0
    measured = json.loads(capsys.readouterr().out.splitlines()[-1])

    assert set(measured) >= SCALED, sorted(SCALED - set(measured))
    assert set(measured) >= {*figures, *PACED_SAVES, *GRADING}
    for size in SIZES:
        assert measured[f"saves_100_auditors_paced_postgres_{size}"] > 0
        for check in ("saves_failed", "scores_lost", "scores_duplicated"):
            assert measured[f"{check}_100_auditors_paced_postgres_{size}"] == 0

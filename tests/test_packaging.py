"""The shipped package: test helpers stay out of it, and ``qa-app bench`` runs from an
installed wheel with every figure name it has always had."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from qa_app.settings import PROJECT_ROOT

# Figure names are a contract (benchmarks/README.md, results.json): add, never rename.
FIGURES = {
    "audit_page_rerun_ms",
    "autosave_ms",
    "classify_per_s",
    "dashboard_s",
    "demo_seed_400_s",
    "flag_plans_per_s",
    "grades_per_s",
    "ingest_ms_per_plan",
    "ingest_pdf_ms_per_plan",
    "provision_per_s",
    "purge",
    "report_s",
    "save_p95_ms_100_auditors_paced",
    "save_p95_ms_50_auditors",
    "save_p95_ms_50_auditors_durable",
    "save_saturation_saves_per_s",
    "sign_in",
    "thread_ms_per_plan",
    "train_s",
    "evidence_pack_s",
}


def test_production_code_imports_no_test_helpers():
    importing_tests = []
    for path in (PROJECT_ROOT / "qa_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            if any(
                name == "tests" or name.startswith(("tests.", "qa_app.testing")) for name in names
            ):
                importing_tests.append(path.relative_to(PROJECT_ROOT).as_posix())
    assert importing_tests == []


def _uv() -> list[str]:
    found = shutil.which("uv")
    if found:
        return [found]
    probe = subprocess.run(["python3", "-m", "uv", "--version"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("uv is not installed, so no wheel can be built")
    return ["python3", "-m", "uv"]


@pytest.mark.slow
def test_bench_runs_from_an_installed_wheel_with_every_figure_name(tmp_path):
    uv = _uv()
    subprocess.run(
        [*uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(PROJECT_ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert not [name for name in names if name.startswith(("qa_app/testing/", "tests/"))]
    assert "qa_app/rubrics/ehcp_core.yaml" in names and "qa_app/reports/known_words.txt" in names
    site = tmp_path / "site"
    subprocess.run(
        [*uv, "pip", "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    # The installed copy comes first on the path; the project's own folder is not the cwd.
    environment = {
        **os.environ,
        "PYTHONPATH": str(site),
        "QA_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    script = (
        "import json, sys, qa_app; from qa_app.benchmarks import available; from qa_app.cli import main\n"
        "print(json.dumps({'package': qa_app.__file__, 'figures': sorted(available())}))\n"
        "sys.argv = ['qa-app', 'bench', '--json', '--only', 'grades_per_s']; sys.exit(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    listing, figures = (json.loads(line) for line in result.stdout.splitlines()[:2])
    assert listing["package"].startswith(str(site))
    assert set(listing["figures"]) == FIGURES
    assert figures["grades_per_s"] > 0

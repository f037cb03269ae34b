"""The qa-app command: a contract other tests rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from qa_app.cli import main
from qa_app.settings import PROJECT_ROOT


def qa_app(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qa_app.cli", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def test_rubric_check_ok_prints_one_summary_line_per_file(capsys):
    files = [str(PROJECT_ROOT / "rubrics" / n) for n in ("ehcp_core.yaml", "health_advice.yaml")]
    assert main(["rubric", "check", *files]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert all(": ok: " in line for line in lines)


def test_rubric_check_reports_every_problem_as_file_line_criterion(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\ntitle: t\nversion: 1\nboundaries: [{grade: 1, min: 0}]\nsections: [{id: A, title: A}]\n"
        "criteria:\n  - id: c1\n    section: B\n    title: t\n    question: q\n    descriptors: {4: a}\n"
        "    agency: police\n",
        encoding="utf-8",
    )
    result = qa_app("rubric", "check", str(bad))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert lines[0] == f"{bad}:8: criterion c1: section 'B' is not declared in sections"
    assert all(line.startswith(f"{bad}:") and ": criterion c1: " in line for line in lines)
    assert "Traceback" not in result.stderr


def test_rubric_check_yaml_syntax_error_has_no_traceback(tmp_path):
    bad = tmp_path / "syntax.yaml"
    bad.write_text("id: x\ncriteria:\n  - id: [\n", encoding="utf-8")
    result = qa_app("rubric", "check", str(bad))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{bad}:")
    assert "YAML syntax error" in result.stdout
    assert "Traceback" not in result.stderr


def test_bench_json_prints_one_object_of_named_figures():
    result = qa_app("bench", "--json", "--only", "grades_per_s")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["grades_per_s"] > 0


def test_demo_then_db_upgrade_on_a_named_database(tmp_path):
    env = {"QA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": "/usr/bin:/bin"}
    seeded = qa_app("demo", "--plans", "20", "--months", "3", "--seed", "5", env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout.startswith("added synthetic demo data: 20 plans")
    upgraded = qa_app("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.strip().endswith("(demo database)")


def test_an_unexpected_error_names_its_kind_and_place_but_never_its_message(
    tmp_path, sqlite_url, capsys
):
    """A database that fails in a way no command expects: here a trigger planted to refuse
    plan sections. The error's own text quotes the section being stored; none of it, nor
    a traceback, reaches the terminal."""
    from sqlalchemy import func, select

    from qa_app.settings import Settings
    from qa_app.store.engine import engine_for, session_scope
    from qa_app.store.models import Plan
    from tests.ingest.pdf_writer import text_page_pdf

    with engine_for(sqlite_url).begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER planted BEFORE INSERT ON plan_sections "
            "BEGIN SELECT RAISE(ABORT, 'planted failure'); END"
        )
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(
        text_page_pdf(
            [
                "Section A: Views",
                "Sam likes steam trains and quiet rooms.",
                "Section E: Outcomes",
                "Sam will read 20 words aloud by July 2026.",
            ]
        )
    )
    code = main(["ingest", str(plan)], settings=Settings(database_url=sqlite_url, demo=False))
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith(
        "qa-app ingest: stopped by an unexpected IntegrityError (IntegrityError) in qa_app."
    )
    for leaked in ("steam trains", "planted failure", "INSERT", "Traceback"):
        assert leaked not in err
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 0


def test_a_reader_that_goes_away_stops_the_command_quietly():
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    rubric = str(PROJECT_ROOT / "rubrics" / "ehcp_core.yaml")
    command = subprocess.Popen(
        [sys.executable, "-m", "qa_app.cli", "rubric", "check", rubric],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
        env=environment,
    )
    command.stdout.close()  # as `| head` does once it has read enough
    _, errors = command.communicate(timeout=300)
    assert command.returncode == 1
    assert errors.decode() == ""

import csv
import io
import json
import subprocess
import sys

import pytest

from qa_app.cli import main
from qa_app.settings import PROJECT_ROOT

WEAK = "Sam will receive speech and language therapy."
STRONG = "By the end of Year 4, Sam will read 40 of the 45 common exception words correctly in a dictation check."


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_csv_output_keeps_input_columns_and_adds_the_verdict(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(source, ["ref", "text", "area"], [["007", WEAK, "C&I"], ["008", STRONG, "C&L"]])

    assert main(["classify", str(source), "--output", str(target)]) == 0

    with open(target, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == ["ref", "text", "area", "weak", "p_weak", "reasons"]
    assert [row["ref"] for row in rows] == ["007", "008"]
    assert [row["text"] for row in rows] == [WEAK, STRONG]
    assert [row["weak"] for row in rows] == ["1", "0"]
    for row in rows:
        assert len(row["p_weak"].split(".")[1]) == 3
        assert 0.0 <= float(row["p_weak"]) <= 1.0
    assert "provision_not_outcome" in rows[0]["reasons"].split(";")
    assert rows[1]["reasons"] == ""


def test_json_mode_prints_one_object_per_non_blank_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{WEAK}\n\n{STRONG}\n"))
    assert main(["classify", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    objects = [json.loads(line) for line in lines]
    assert [set(o) for o in objects] == [{"text", "weak", "p_weak", "reasons"}] * 2
    assert [o["text"] for o in objects] == [WEAK, STRONG]
    assert [o["weak"] for o in objects] == [1, 0]
    assert objects[0]["p_weak"] == round(objects[0]["p_weak"], 3)
    assert "provision_not_outcome" in objects[0]["reasons"].split(";")
    assert objects[1]["reasons"] == ""


def test_missing_input_file_is_a_plain_error_without_the_file_name(tmp_path, capsys):
    missing = tmp_path / "Jane_Doe_plan.csv"
    assert main(["classify", str(missing), "--output", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "qa-app classify: error: the input file does not exist"
    assert "Jane" not in err


def test_missing_text_column_is_a_plain_error(tmp_path, capsys):
    source = tmp_path / "in.csv"
    write_csv(source, ["outcome"], [[WEAK]])
    assert main(["classify", str(source), "--output", str(tmp_path / "out.csv")]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "qa-app classify: error: the input CSV has no 'text' column"
    )
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    "argv",
    [["classify"], ["classify", "in.csv"], ["classify", "--json", "in.csv"]],
)
def test_inconsistent_arguments_are_plain_errors(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("qa-app classify: error: ")


def test_installed_command_reads_stdin_and_never_shows_a_traceback(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "qa_app.cli", "classify", "--json"],
        input=f"{WEAK}\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["weak"] == 1

    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "qa_app.cli",
            "classify",
            str(tmp_path / "nope.csv"),
            "--output",
            "x.csv",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
        check=False,
    )
    assert failed.returncode == 2
    assert "Traceback" not in failed.stderr


UNDATED = "Sam will ask for help using a three-word phrase in 4 out of 5 opportunities."


def test_csv_timescale_column_is_the_outcomes_own_timescale(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(source, ["text", "timescale"], [[UNDATED, ""], [UNDATED, "July 2027"]])

    assert main(["classify", str(source), "--output", str(target)]) == 0

    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["timescale"] for row in rows] == ["", "July 2027"]
    assert "no_timescale" in rows[0]["reasons"].split(";")
    assert "no_timescale" not in rows[1]["reasons"].split(";")


def test_json_mode_reads_object_lines_as_fields_and_other_lines_as_text(monkeypatch, capsys):
    lines = [
        json.dumps({"text": UNDATED, "timescale": "end of Year 5"}),
        UNDATED,
        '{"text": broken json',
        "[1, 2]",
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["classify", "--json"]) == 0
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert objects[0]["text"] == UNDATED and objects[0]["timescale"] == "end of Year 5"
    assert "no_timescale" not in objects[0]["reasons"].split(";")
    assert objects[1] == {**objects[1], "text": UNDATED}
    assert "timescale" not in objects[1]
    assert "no_timescale" in objects[1]["reasons"].split(";")
    assert [o["text"] for o in objects[2:]] == lines[2:]

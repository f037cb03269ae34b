"""``qa-app report``: the command-line contract."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.cli import main
from qa_app.store.engine import session_scope
from qa_app.store.models import EventLogEntry
from tests.reports.helpers import Docx


@pytest.fixture
def configured(demo_url, point_app_at):
    """The settings the command runs with: they name the demo database."""
    return point_app_at(demo_url)


def test_report_writes_a_docx_and_logs_it(configured, tmp_path, capsys):
    output = tmp_path / "learning.docx"
    code = main(
        [
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--team",
            "North locality",
            "--agency",
            "education",
            "--rubric",
            "ehcp_core",
            "--output",
            str(output),
        ],
        settings=configured,
    )
    assert code == 0
    out = capsys.readouterr().out
    assert (
        out.startswith("wrote learning report: ") and "audits from 2026-01-01 to 2026-06-30" in out
    )
    assert "file mode 0600" in out and output.stat().st_mode & 0o777 == 0o600
    doc = Docx.load(output.read_bytes())
    cover = "\n".join(doc.paragraphs()[:8])
    assert "Team: North locality" in cover and "Agency: Education" in cover
    with session_scope(configured.database_url) as session:
        entry = session.scalars(
            select(EventLogEntry).where(EventLogEntry.action == "download")
        ).one()
    assert entry.actor_name == "command line (server operator)"
    assert "ehcp_core" in entry.detail


def test_writer_option_writes_feedback(configured, tmp_path, capsys):
    output = tmp_path / "feedback.docx"
    assert (
        main(
            [
                "report",
                "--from",
                "2026-01-01",
                "--to",
                "2026-06-30",
                "--writer",
                "W01",
                "--output",
                str(output),
            ],
            settings=configured,
        )
        == 0
    )
    assert capsys.readouterr().out.startswith("wrote feedback for writer W01: ")
    assert Docx.load(output.read_bytes()).paragraphs()[0] == "Feedback for plan writer W01"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2026-06-30", "--to", "2026-01-01"], "must start on or before"),
        (
            ["--from", "2026-01-01", "--to", "2026-06-30", "--rubric", "nope"],
            "no rubric called 'nope'",
        ),
    ],
)
def test_bad_requests_end_with_a_message_not_a_traceback(
    configured, tmp_path, capsys, arguments, message
):
    output = tmp_path / "report.docx"
    assert main(["report", *arguments, "--output", str(output)], settings=configured) == 2
    err = capsys.readouterr().err
    assert err.startswith("qa-app report: error: ") and message in err
    assert not output.exists()


def test_output_must_be_docx_and_is_required(configured, tmp_path, capsys):
    assert (
        main(
            [
                "report",
                "--from",
                "2026-01-01",
                "--to",
                "2026-06-30",
                "--output",
                str(tmp_path / "r.pdf"),
            ],
            settings=configured,
        )
        == 2
    )
    assert "must end in .docx" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--from", "2026-01-01", "--to", "2026-06-30"], settings=configured)
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main(
            [
                "report",
                "--from",
                "1 January",
                "--to",
                "2026-06-30",
                "--output",
                str(tmp_path / "r.docx"),
            ],
            settings=configured,
        )

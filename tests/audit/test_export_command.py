"""``qa-app export`` writes the same file as the Export page and logs it."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select

from qa_app.cli import main
from qa_app.services import audits
from qa_app.settings import Settings
from qa_app.store.models import EventLogEntry


def test_export_command_writes_the_periods_rows(
    session, db_url, team, assign, fill, tmp_path, capsys
):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    audits.submit(
        session, team.edu_1, audit_id, expected_version=fill(session, team.edu_1, audit_id)
    )
    session.commit()
    out = tmp_path / "audits.csv"
    today = date.today().isoformat()
    argv = ["export", "--from", today, "--to", today, "--format", "csv", "--out", str(out)]
    assert main(argv, settings=Settings(database_url=db_url)) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["audit_id"] for r in rows} == {str(audit_id)}
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {len(rows)} criterion scores to {out}",
        "file mode 0600: readable and writable by its owner only",
    ]
    assert out.stat().st_mode & 0o777 == 0o600
    session.expire_all()
    assert (
        session.scalars(select(EventLogEntry).where(EventLogEntry.action == "export"))
        .one()
        .actor_name
        == "system"
    )


def test_an_excel_export_of_notes_stored_with_control_characters_and_over_the_cell_limit(
    session, db_url, team, assign, fill, tmp_path, capsys
):
    """Notes stored before the input rules (or restored from such a backup) can hold a
    vertical tab and be longer than a cell: the command still writes the file, and the
    cell says how many characters it left out."""
    import re

    from openpyxl import load_workbook

    from qa_app.domain.spreadsheet import EXCEL_CELL_LIMIT
    from qa_app.store.models import CriterionScore

    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    audits.submit(
        session, team.edu_1, audit_id, expected_version=fill(session, team.edu_1, audit_id)
    )
    long_note = "pasted\x0bfrom word " + "y" * 40_000
    session.execute(
        CriterionScore.__table__.update()
        .where(CriterionScore.audit_id == audit_id, CriterionScore.criterion_id == "a_aspirations")
        .values(note=long_note)
    )
    session.commit()
    out = tmp_path / "audits.xlsx"
    today = date.today().isoformat()
    argv = ["export", "--from", today, "--to", today, "--format", "xlsx", "--out", str(out)]
    assert main(argv, settings=Settings(database_url=db_url)) == 0
    capsys.readouterr()
    sheet = load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    row = next(
        dict(zip(header, values))
        for values in sheet.iter_rows(min_row=2, values_only=True)
        if values[header.index("criterion_id")] == "a_aspirations"
    )
    cell = row["note"]
    assert cell.startswith("pasted\ufffdfrom word yyy") and len(cell) <= EXCEL_CELL_LIMIT
    left_out = int(re.search(r"shortened for Excel: (\d+) more characters", cell)[1])
    assert cell.index(" [… shortened") + left_out == len(long_note)

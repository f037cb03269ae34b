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

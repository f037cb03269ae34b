"""Exports: one row per criterion score, formula-safe, redacted, logged."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from qa_app.domain.spreadsheet import safe_cell
from qa_app.services import audits
from qa_app.services.errors import PermissionDenied
from qa_app.services.exports import COLUMNS, export_period
from qa_app.settings import Settings
from qa_app.store.models import EventLogEntry


@pytest.mark.parametrize("text", ["=1+1", "+44", "-2", "@SUM(A1)", "\t=cmd", "\r=cmd"])
def test_formula_triggers_become_plain_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Good", "a=b", "", None, 3, -2, 1.5])
def test_other_cells_pass_unchanged(value):
    assert safe_cell(value) == value


@pytest.fixture
def submitted(session, team, assign, fill):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = fill(session, team.edu_1, audit_id, 3)
    version, _ = audits.save_score(
        session,
        team.edu_1,
        audit_id,
        "a_child_voice",
        expected_version=version,
        level=1,
        note='=HYPERLINK("http://evil.example","click") NHS 943 476 5919',
    )
    audits.submit(session, team.edu_1, audit_id, expected_version=version)
    session.commit()
    return audit_id


def test_csv_has_a_safe_row_per_criterion_score(session, team, submitted):
    view = audits.open_audit(session, team.edu_1, submitted)
    today = date.today()
    export = export_period(
        session,
        team.lead,
        today - timedelta(days=1),
        today,
        "csv",
        settings=Settings(show_auditor_names=True),
    )
    session.commit()
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert export.rows == len(rows) == len(view.criteria)
    assert list(rows[0]) == COLUMNS
    voice = next(r for r in rows if r["criterion_id"] == "a_child_voice")
    assert voice["note"].startswith("'=HYPERLINK")
    assert "943 476 5919" not in voice["note"]
    assert (voice["plan_reference"], voice["agency"], voice["score"], voice["score_label"]) == (
        "PLN-AUDIT001",
        "education",
        "1",
        "Inadequate",
    )
    assert voice["auditor"] == "Edu One" and voice["submitted_at"]
    entry = session.scalars(select(EventLogEntry).where(EventLogEntry.action == "export")).one()
    assert f'"rows": {export.rows}' in entry.detail and entry.actor_name == "Qa Lead"


def test_excel_export_reads_back_with_the_same_rows(session, team, submitted):
    today = date.today()
    export = export_period(session, team.lead, today, today, "xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = list(sheet.values)
    assert list(values[0]) == COLUMNS and len(values) - 1 == export.rows
    row = dict(
        zip(
            COLUMNS,
            next(v for v in values[1:] if v[COLUMNS.index("criterion_id")] == "a_child_voice"),
        )
    )
    assert row["note"].startswith("'=") and row["auditor"] == f"Auditor {team.edu_1.user_id}"


def test_period_and_permission(session, team, submitted):
    long_ago = date.today() - timedelta(days=400)
    assert (
        export_period(session, team.lead, long_ago, long_ago + timedelta(days=30), "csv").rows == 0
    )
    with pytest.raises(PermissionDenied):
        export_period(session, team.edu_1, long_ago, date.today(), "csv")

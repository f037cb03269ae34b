"""Hostile input through the services: SQL injection strings in every filter and text
field, formulas in exported cells, and path traversal in uploaded file names."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from qa_app.domain.spreadsheet import FORMULA_TRIGGERS
from qa_app.services import audits, demo, event_log, exports, plans, sampling
from qa_app.services.access import SYSTEM, actor_for
from qa_app.services.errors import InvalidInput
from qa_app.services.plan_import import read_uploads
from qa_app.services.plans import PlanFilters
from qa_app.services.sampling import SampleRequest
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit, Plan, User
from tests.ingest.plan_builder import build_docx

INJECTIONS = (
    "' OR '1'='1",
    "'; DROP TABLE plans; --",
    '" OR ""="',
    "%' UNION SELECT password_hash, 1 FROM users --",
    "1; UPDATE users SET is_active = 0",
    "\\'; SELECT pg_sleep(5); --",
)
FILTER_FIELDS = ("team", "primary_need", "key_stage", "setting_type", "plan_type", "reference")


@pytest.fixture
def seeded(session):
    demo.seed_demo(session, SYSTEM, plans=10, seed=4, months=3, until=date(2026, 6, 30))
    session.commit()
    users = {u.username: u for u in session.scalars(select(User))}
    return session, actor_for(users["demo_qa_lead"]), actor_for(users["demo_auditor"])


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_strings_in_filters_match_nothing_and_change_nothing(seeded, payload):
    session, lead, _ = seeded
    count = session.scalar(select(func.count()).select_from(Plan))
    for field in FILTER_FIELDS:
        rows, total = plans.list_plans(session, lead, PlanFilters(**{field: payload}))
        assert (rows, total) == ([], 0)
    version_id = session.scalar(select(Audit.rubric_version_id))
    request = SampleRequest(
        name=payload,
        method="random",
        rubric_version_id=version_id,
        assignees={"education": []},
        size=5,
        seed=1,
        filters=PlanFilters(team=payload),
    )
    with pytest.raises(InvalidInput, match="Only 0 plans match"):
        sampling.preview(session, lead, request)
    for name in ("action", "actor_name", "entity", "entity_id"):
        assert event_log.read_log(session, lead, **{name: payload}) == []
    session.commit()
    assert session.scalar(select(func.count()).select_from(Plan)) == count
    assert (
        session.scalar(select(func.count()).select_from(User).where(User.is_active.is_(False))) == 0
    )


def test_injection_strings_in_text_fields_are_stored_verbatim(seeded):
    session, _, _ = seeded
    audit = session.scalars(select(Audit).where(Audit.status == "draft").order_by(Audit.id)).first()
    auditor = actor_for(audit.auditor)
    version = audit.version
    plans_before = session.scalar(select(func.count()).select_from(Plan))
    for payload in INJECTIONS:
        version = audits.save_text(
            session, auditor, audit.id, "strengths", payload, expected_version=version
        )
        session.commit()
        session.expire_all()
        assert session.get(Audit, audit.id).strengths == payload
    assert session.scalar(select(func.count()).select_from(Plan)) == plans_before


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_exported_cells_that_start_like_formulas_are_neutralised(planted):
    lead = planted.actors["qa_lead"]
    with session_factory(planted.url)() as session:
        csv_export = exports.export_period(
            session, lead, date(2026, 1, 1), date(2026, 6, 30), "csv"
        )
        xlsx_export = exports.export_period(
            session, lead, date(2026, 1, 1), date(2026, 6, 30), "xlsx"
        )
        session.rollback()
    cells = _csv_cells(csv_export.content)
    for formula in (*planted.formulas, "=1+1", "@W01"):
        assert "'" + formula in cells
    # A negative number (Nursery is year group -1) is a value, not a formula.
    assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS) and not c.lstrip("-").isdigit()]
    xlsx_cells = _xlsx_cells(xlsx_export.content)
    assert not [c.value for c in xlsx_cells if c.data_type == "f"]
    texts = [c.value for c in xlsx_cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_TRIGGERS)]
    assert "'" + planted.formulas[0] in texts


def test_uploaded_file_names_with_path_traversal_are_harmless(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = build_docx(
        [
            ("heading", 1, "Section A: Views"),
            ("para", "Likes music."),
            ("heading", 1, "Section E: Outcomes"),
            ("bullet", "Will read 20 words by July 2026."),
        ]
    )
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("../../escaped.docx", plan)
        archive.writestr("/etc/cron.d/evil.docx", plan)
    names = ["../../../escaped.docx", "..\\..\\windows\\escaped.docx", "/etc/passwd.docx"]
    results = read_uploads(
        [(name, plan) for name in names] + [("bundle.zip", bundle.getvalue())], date(2026, 3, 1)
    )
    for result in results:
        assert "/" not in result.name and "\\" not in result.name and result.name not in ("..", ".")
        assert result.plan is not None or result.reason
    assert [r.name for r in results][:3] == ["escaped.docx", "escaped.docx", "passwd.docx"]
    assert not any(
        Path(p).exists()
        for p in (
            "escaped.docx",
            tmp_path.parent / "escaped.docx",
            tmp_path.parents[1] / "escaped.docx",
        )
    )
    assert list(tmp_path.iterdir()) == []

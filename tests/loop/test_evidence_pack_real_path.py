"""The evidence pack on the real path: real accounts, a Word plan full of identifiers
imported with ``qa-app ingest``, a drawn sample, audits with identifiers typed into their
notes, family voice and actions naming the child, then ``qa-app evidence-pack``. No name,
NHS number, date of birth, address or account name reaches any part of the .docx, small
numbers are suppressed, the figures are the database's, and the pack is logged."""

from __future__ import annotations

import re
import zipfile
from datetime import date, timedelta

import pytest
from docx import Document
from sqlalchemy import select

from qa_app.benchmarks import workload
from qa_app.cli import main
from qa_app.services import actions, audits, family_voice, rubrics
from qa_app.services.access import actor_for
from qa_app.services.sampling import SampleRequest, draw_sample
from qa_app.settings import Settings
from qa_app.store.engine import session_factory
from qa_app.store.models import EventLogEntry, FamilyVoice, Plan, User
from tests.ingest.test_identifiers import IDENTIFIERS, identifier_plan

TODAY = date.today()
STAFF = {"lead": "Rhiannon Vale", "auditor": "Gwen Ashdown", "health": "Tomasz Wright"}
# What a careless auditor might type after a conversation with the family.
PLANTED = (
    "Amelia Rose Thornbury (date of birth 14/02/2015, NHS number 943 476 5919) lives at "
    "17 Larkspur Close, Millbrook, LS6 2QT; Priya Thornbury is on 07700 900461."
)


def _cli(settings: Settings, *argv: str) -> None:
    assert main(list(argv), settings=settings) == 0, argv


def _accounts(settings: Settings) -> None:
    for username, role, agency in (
        ("lead", "qa_lead", None),
        ("auditor", "auditor", "education"),
        ("health", "auditor", "health"),
    ):
        extra = ["--agency", agency] if agency else []
        _cli(
            settings,
            *("users", "add", username, "--name", STAFF[username], "--role", role),
            *extra,
            "--no-password",
        )


def _import_plans(settings: Settings, tmp_path) -> None:
    plan = tmp_path / "Amelia Thornbury EHCP.docx"
    plan.write_bytes(identifier_plan())
    for plan_type in ("new", "annual_review"):
        _cli(
            settings,
            *("ingest", str(plan), "--plan-type", plan_type, "--team", "North locality"),
        )


def _audit(session, lead, auditor, plan_id: int, rubric_key: str, method: str) -> int:
    version = next(v for v in rubrics.current_versions(session) if v.rubric_key == rubric_key)
    request = SampleRequest(
        name=f"{rubric_key} sample",
        method=method,
        rubric_version_id=version.id,
        assignees={"education": [auditor.user_id]},
        size=1,
        seed=1,
        plan_ids=() if method == "random" else (plan_id,),
    )
    (audit_id,) = draw_sample(session, lead, request).audit_ids
    criterion = audits.open_audit(session, auditor, audit_id).criteria[0].id
    filled = workload.fill(session, auditor, audit_id, 2)
    filled, _ = audits.save_score(
        session, auditor, audit_id, criterion, expected_version=filled, note=PLANTED
    )
    for field in ("strengths", "areas_for_development"):
        filled = audits.save_text(
            session, auditor, audit_id, field, PLANTED, expected_version=filled
        )
    audits.submit(session, auditor, audit_id, expected_version=filled)
    for respondent in family_voice.RESPONDENTS:
        family_voice.record_voice(
            session,
            auditor,
            audit_id,
            respondent,
            {"listened_to": 2, "describes": 3, "what_happens": 1},
            PLANTED,
        )
    return audit_id


@pytest.fixture
def real_database(db_url, tmp_path):
    """A real database as a council would have it after a first month of audits."""
    settings = Settings(database_url=db_url)
    _accounts(settings)
    _import_plans(settings, tmp_path)
    with session_factory(db_url)() as session:
        people = {u.username: actor_for(u) for u in session.scalars(select(User))}
        lead, auditor = people["lead"], people["auditor"]
        plans = {p.plan_type: p.id for p in session.scalars(select(Plan))}
        plan_audit = _audit(session, lead, auditor, plans["new"], "ehcp_core", "random")
        _audit(session, lead, auditor, plans["annual_review"], "annual_review", "manual")
        done = actions.create_action(
            session,
            lead,
            plan_audit,
            kind="amend_plan",
            description=f"Amend section F. {PLANTED}",
            owner=actions.Owner.user(auditor.user_id),
            due_date=TODAY + timedelta(days=14),
        )
        actions.complete_action(session, auditor, done, f"Amended with the family. {PLANTED}")
        actions.create_action(
            session,
            lead,
            plan_audit,
            kind="writer_feedback",
            description=f"Feedback to the writer about {PLANTED}",
            owner=actions.Owner.of_team("North locality"),
            due_date=TODAY + timedelta(days=28),
        )
        session.commit()
        references = {p.plan_type: p.reference for p in session.scalars(select(Plan))}
    return settings, references


def _pack(settings: Settings, tmp_path, *extra: str):
    target = tmp_path / "pack.docx"
    _cli(
        settings,
        *("evidence-pack", "--from", f"{TODAY - timedelta(days=30)}", "--to", f"{TODAY}"),
        *extra,
        *("--output", str(target)),
    )
    return target


def _every_part(path) -> str:
    """All the text of every part of the package: body, footers, alt text, properties."""
    with zipfile.ZipFile(path) as package:
        return "\n".join(
            package.read(name).decode("utf-8", "replace")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_no_identifier_typed_anywhere_reaches_the_pack(real_database, tmp_path):
    settings, references = real_database
    package = _every_part(_pack(settings, tmp_path))
    leaked = [
        name
        for name, value in {**IDENTIFIERS, **STAFF}.items()
        if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", package, re.IGNORECASE)
    ]
    assert leaked == []
    assert "2015" not in package and "Larkspur" not in package
    assert references["new"] in package, "the audited plan is listed by its reference"
    with session_factory(settings.database_url)() as session:
        stored = session.scalars(select(FamilyVoice.comment)).all()
    assert len(stored) == 4 and all("943 476 5919" not in c and "Amelia" not in c for c in stored)


def test_the_pack_reports_the_real_work_with_small_numbers_suppressed(real_database, tmp_path):
    settings, references = real_database
    document = Document(str(_pack(settings, tmp_path, "--team", "North locality")))
    text = _text(document)
    assert "Fewer than 5 audits were completed on fewer than 5 plans by 1 auditor " in text
    assert "Fewer than 5 actions were opened and fewer than 5 done" in text
    assert "fewer than 5 plan audits were graded: too few to give a share." in text
    assert "No double-rated pairs were completed in the period." in text
    assert "Random" in text and "Picked by hand" in text, "how the sample was drawn"
    assert "Meeting notified two weeks ahead" in text, "the annual review's criteria"
    assert "fewer than 5" in text and "suppressed" in text
    assert "%" not in text.replace("Target: 100%", ""), "no share rests on two audits"
    assert not document.inline_shapes, "no chart of suppressed months"
    deep = document.tables[-1]
    listed = [(row.cells[0].text, row.cells[4].text) for row in deep.rows[1:]]
    assert listed == [(references["new"], "1")], (
        "the plan audit's case, with one open action (the other is done); an annual-review "
        "audit grades the review, not the plan"
    )
    with session_factory(settings.database_url)() as session:
        entry = session.scalars(
            select(EventLogEntry).where(EventLogEntry.entity == "evidence_pack")
        ).one()
    assert entry.action == "export" and '"team": "North locality"' in entry.detail
    assert '"audits": 2' in entry.detail


def test_with_suppression_off_the_same_pack_shows_its_shares(real_database, tmp_path):
    settings, _ = real_database
    every_figure = Settings(database_url=settings.database_url, suppression_size=1)
    document = Document(str(_pack(every_figure, tmp_path)))
    text = _text(document)
    assert "0% of 1 graded plan audits were Good or better" in text
    voice = next(t for t in document.tables if t.rows[0].cells[0].text == "Statement")
    rows = {tuple(c.text for c in row.cells[:2]): row.cells[3].text for row in voice.rows[1:]}
    assert rows["“I was listened to”", "Parent or carer"] == "0%"
    assert rows["“The plan describes my child / me”", "Child or young person"] == "100%"
    assert "suppressed" not in text.split("Annual reviews")[1].split("Cases available")[0]

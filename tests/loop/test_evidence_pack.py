"""The inspection evidence pack, read back from the Word file: the document standard (A4,
en-GB, page numbers, real headings, alt text, tables that fit with repeating headers),
every section with the figures behind it, no identifiers, suppression, the export logged,
and the command line's 0600 file."""

from __future__ import annotations

import io
import os
import re
import stat
from datetime import UTC, date, datetime, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from sqlalchemy import select

from qa_app.cli import main
from qa_app.services import actions, demo, family_voice
from qa_app.services.access import SYSTEM, actor_for
from qa_app.services.errors import InvalidInput
from qa_app.services.evidence_pack import EvidenceRequest, build_evidence_pack
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.engine import session_factory
from qa_app.store.models import Audit, EventLogEntry, ImprovementAction, Plan, RubricVersion, User

pytestmark = pytest.mark.slow  # one module database of demo-generated audits (about 15 s)
UNTIL = date(2026, 6, 30)
REQUEST = EvidenceRequest(date(2026, 1, 1), UNTIL)
HEADINGS = [
    "QA activity",
    "How the sample was drawn",
    "Agencies taking part",
    "Quality over time, against the target",
    "Moderation and agreement",
    "Actions and impact",
    "Change at re-audit",
    "The voice of children, young people and families",
    "Annual reviews",
    "Cases available for deep dives",
]
LEAKY_TEAM = "Team of jo.bloggs@example.org"


@pytest.fixture(scope="module")
def pack_db(sqlite_template, tmp_path_factory):
    """Demo-generated audits (on a real-kind database), an action, a family-voice comment
    naming a child, and a plan whose team name carries an e-mail address."""
    path = tmp_path_factory.mktemp("pack") / "qa.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    url = f"sqlite:///{path}"
    with session_factory(url)() as session:
        demo.seed_demo(session, SYSTEM, plans=120, seed=4, months=6, until=UNTIL)
        lead = actor_for(session.scalar(select(User).where(User.username == "demo_qa_lead")))
        audit = session.scalar(
            select(Audit)
            .join(RubricVersion)
            .where(
                Audit.status == "submitted",
                Audit.rating_order == 1,
                RubricVersion.rubric_key == "ehcp_core",
            )
            .order_by(Audit.submitted_at.desc())
        )
        audit.plan.team = LEAKY_TEAM
        action_id = actions.create_action(
            session,
            lead,
            audit.id,
            kind="amend_plan",
            description="Amend section F for Sam.",
            owner=actions.Owner.of_team("North locality"),
            due_date=UNTIL + timedelta(days=30),
            today=UNTIL,
        )
        # Recorded in the period the pack covers.
        session.get(ImprovementAction, action_id).created_at = datetime(2026, 6, 20, 10, tzinfo=UTC)
        family_voice.record_voice(
            session, lead, audit.id, "parent_carer", {"listened_to": 4}, "Sam Jones felt heard."
        )
        session.commit()
    return url, audit.plan.reference


def _build(url, request=REQUEST, settings=DEFAULTS):
    with session_factory(url)() as session:
        lead = actor_for(session.scalar(select(User).where(User.username == "demo_qa_lead")))
        pack = build_evidence_pack(session, lead, request, today=UNTIL, settings=settings)
        session.commit()
    return pack, Document(io.BytesIO(pack.content))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.footer.paragraphs]
    return "\n".join(parts)


def test_the_pack_meets_the_document_standard(pack_db):
    pack, document = _build(pack_db[0])
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    language = (
        document.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert language.get(qn("w:val")) == "en-GB"
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml
    runs = section.footer._element.findall(".//" + qn("w:r"))
    field_parts = [
        len(r.findall(qn("w:fldChar"))) + len(r.findall(qn("w:instrText"))) for r in runs
    ]
    assert field_parts.count(1) == 8 and max(field_parts) == 1, (
        "each part of a field in a run of its own, in the footer's font (LibreOffice sizes the "
        "number by its run)"
    )
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == HEADINGS
    pictures = document.inline_shapes
    assert len(pictures) >= 1
    assert all(len(shape._inline.docPr.get("descr") or "") > 40 for shape in pictures)
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
        assert sum(cell.width for cell in table.rows[0].cells) <= Cm(17) + 1000
    assert pack.filename == "evidence-pack-20260101-20260630.docx"


def test_each_section_carries_its_figures(pack_db):
    url, _ = pack_db
    pack, document = _build(url)
    text = _all_text(document)
    with session_factory(url)() as session:
        audited = session.scalars(
            select(Audit).where(
                Audit.rating_order == 1,
                Audit.status.in_(("submitted", "moderated")),
                Audit.submitted_at >= "2026-01-01",
            )
        ).all()
        created = [
            a.created_at.replace(tzinfo=UTC) for a in session.scalars(select(ImprovementAction))
        ]
        references = set(session.scalars(select(Plan.reference)))
    assert pack.audits == len(audited)
    assert f"{len(audited):,} audits were completed" in text
    assert "Education" in text and "Annual review quality standard" in text
    opened = sum(
        datetime(2026, 1, 1, tzinfo=UTC) <= at < datetime(2026, 7, 1, tzinfo=UTC) for at in created
    )
    assert opened >= 1 and f"{opened:,} actions were opened" in text
    assert "Meeting notified two weeks ahead" in text
    assert "“I was listened to”" in text
    deep = document.tables[-1]
    assert [c.text for c in deep.rows[0].cells] == [
        "Plan reference",
        "Team",
        "Latest grade",
        "Audited",
        "Open actions",
        "Overdue",
    ]
    listed = [(row.cells[0].text, int(row.cells[4].text)) for row in deep.rows[1:]]
    assert {ref for ref, _ in listed} <= references
    open_counts = [n for _, n in listed]
    assert open_counts[0] >= 1 and open_counts == sorted(open_counts, reverse=True), (
        "cases with open actions first"
    )


def test_no_identifiers_reach_the_pack(pack_db):
    url, _ = pack_db
    _, document = _build(url)
    text = _all_text(document)
    with session_factory(url)() as session:
        names = list(session.scalars(select(User.display_name)))
    words = set(re.findall(r"[\w.@]+", text))
    for leaked in ("jo.bloggs@example.org", "Sam", "Jones", "heard"):
        assert leaked not in words
    for name in names:
        assert name not in text
    assert "Team of [email]" in text


def test_small_numbers_are_suppressed(pack_db):
    _, document = _build(pack_db[0], settings=Settings(suppression_size=100_000))
    text = _all_text(document)
    assert "%" not in text.replace("100,000", "").replace("Target: 100%", "")
    assert "suppressed" in text and not document.inline_shapes, "no chart of suppressed figures"


def test_each_pack_is_logged_as_an_export_and_a_bad_period_is_refused(pack_db):
    url, _ = pack_db
    _build(url, EvidenceRequest(date(2026, 3, 1), UNTIL, team="North locality"))
    with session_factory(url)() as session:
        entry = session.scalars(
            select(EventLogEntry)
            .where(EventLogEntry.entity == "evidence_pack")
            .order_by(EventLogEntry.id.desc())
        ).first()
        assert (entry.action, entry.actor_name) == ("export", "Demo QA lead")
        assert '"team": "North locality"' in entry.detail and '"from": "2026-03-01"' in entry.detail
    with pytest.raises(InvalidInput, match="start on or before"):
        _build(url, EvidenceRequest(UNTIL, date(2026, 1, 1)))
    with pytest.raises(InvalidInput, match="No plan belongs to a team called 'North'"):
        _build(url, EvidenceRequest(date(2026, 1, 1), UNTIL, team="North"))


def test_the_command_writes_a_private_file(pack_db, tmp_path, point_app_at, capsys):
    settings = point_app_at(pack_db[0])
    target = tmp_path / "pack.docx"
    assert (
        main(
            [
                "evidence-pack",
                "--from",
                "2026-01-01",
                "--to",
                "2026-06-30",
                "--team",
                "North locality",
                "--output",
                str(target),
            ],
            settings=settings,
        )
        == 0
    )
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert "for team North locality" in capsys.readouterr().out
    assert Document(str(target)).core_properties.language == "en-GB"
    assert (
        main(
            [
                "evidence-pack",
                "--from",
                "2026-01-01",
                "--to",
                "2026-06-30",
                "--output",
                str(tmp_path / "x.pdf"),
            ],
            settings=settings,
        )
        == 2
    )


def test_the_page_builds_a_pack_for_qa_leads_only(pack_db, point_app_at, run_page):
    from qa_app.services.access import Actor

    point_app_at(pack_db[0])
    with session_factory(pack_db[0])() as session:
        lead = actor_for(session.scalar(select(User).where(User.username == "demo_qa_lead")))
    at = run_page("evidence_pack", lead)
    at.date_input(key="pack_from").set_value(date(2026, 1, 1))
    at.date_input(key="pack_to").set_value(UNTIL).run()
    at.button(key="pack_build").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Evidence pack ready: it covers")
    trainer = Actor(user_id=None, display_name="Trainer", roles=frozenset({"training"}))
    refused = run_page("evidence_pack", trainer)
    assert "does not allow you to make inspection evidence packs" in refused.error[0].value

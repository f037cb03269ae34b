"""Markdown and HTML typed into notes or imported in plan text reach the Word outputs as
the characters they are: no hyperlink, no image, nothing fetched from elsewhere."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from qa_app.services.evidence_pack import EvidenceRequest, build_evidence_pack
from qa_app.services.learning_reports import ReportRequest, build_report
from qa_app.store.engine import session_scope
from qa_app.store.models import Audit, Outcome, Plan
from tests.reports.helpers import PERIOD, PLANTED_STRENGTH, PLANTED_WEAK, Docx, actor_named

HOST = "host.example"
HOSTILE = (
    f"![](http://{HOST}/x.png) [click](http://{HOST}/y) "
    f'<img src="http://{HOST}/z.png"> <a href="http://{HOST}/w">here</a>'
)


def _plant(session) -> str:
    """HOSTILE after every planted strength and weak outcome; returns a writer's code."""
    for audit in session.scalars(select(Audit).where(Audit.strengths.contains(PLANTED_STRENGTH))):
        audit.strengths = f"{audit.strengths} {HOSTILE}"
    for outcome in session.scalars(select(Outcome).where(Outcome.text == PLANTED_WEAK)):
        outcome.text = f"{PLANTED_WEAK} {HOSTILE}"
    session.flush()
    return session.scalar(
        select(Plan.writer_code)
        .join(Outcome, Outcome.plan_id == Plan.id)
        .where(Outcome.text.contains(HOSTILE))
        .limit(1)
    )


def _links_and_images(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        found = []
        for name in package.namelist():
            xml = package.read(name).decode("utf-8", "replace")
            if name.endswith(".rels") and ('TargetMode="External"' in xml or HOST in xml):
                found.append(f"{name}: an external relationship")
            if name.startswith("word/") and name.endswith(".xml") and "<w:hyperlink" in xml:
                found.append(f"{name}: a hyperlink")
        return found


def test_planted_markdown_and_html_stay_text_in_every_word_output(demo_url):
    with session_scope(demo_url) as session:
        writer = _plant(session)
        lead = actor_named(session, "demo_qa_lead")
        outputs = {
            "learning report": build_report(
                session, actor_named(session, "demo_training"), ReportRequest(*PERIOD)
            ).content,
            "writer feedback": build_report(
                session, lead, ReportRequest(*PERIOD, writer=writer)
            ).content,
            "evidence pack": build_evidence_pack(session, lead, EvidenceRequest(*PERIOD)).content,
        }
    shown = {name: Docx.load(content).all_text() for name, content in outputs.items()}
    assert any("[click](http://" in text for text in shown.values()), "nothing planted was used"
    for name, content in outputs.items():
        assert _links_and_images(content) == [], name

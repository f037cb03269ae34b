"""No identifier reaches a report, even when the database holds some."""

from __future__ import annotations

from sqlalchemy import select

from qa_app.domain.redaction import find_identifiers
from qa_app.reports.privacy import NAME_TAG, Scrubber
from qa_app.services.learning_reports import ReportRequest, build_report
from qa_app.settings import Settings
from qa_app.store.engine import session_scope
from qa_app.store.models import Audit, Outcome, Plan
from tests.reports.helpers import PERIOD, PLANTED_NAMES, PLANTED_WEAK, Docx, actor_named


def _assert_clean(doc: Docx) -> None:
    text = doc.all_text()
    assert find_identifiers(text) == []
    for name in PLANTED_NAMES:
        assert name not in text


def test_planted_identifiers_are_in_the_database(learning_report):
    url, _ = learning_report
    with session_scope(url) as session:
        assert session.scalar(select(Outcome).where(Outcome.text == PLANTED_WEAK)) is not None
        assert (
            session.scalar(select(Audit).where(Audit.strengths.contains("jamie.smith@example.com")))
            is not None
        )


def test_learning_report_holds_no_identifiers(learning_report):
    _, doc = learning_report
    _assert_clean(doc)
    text = doc.all_text()
    # The planted sentences were used, with their identifiers replaced.
    assert all(tag in text for tag in (NAME_TAG, "[email]", "[phone]", "[nhs]", "[postcode]"))


def test_writer_feedback_holds_no_identifiers(demo_url):
    with session_scope(demo_url) as session:
        code = session.scalar(
            select(Plan.writer_code)
            .join(Outcome, Outcome.plan_id == Plan.id)
            .where(Outcome.text == PLANTED_WEAK)
            .limit(1)
        )
        report = build_report(
            session, actor_named(session, "demo_qa_lead"), ReportRequest(*PERIOD, writer=code)
        )
    doc = Docx.load(report.content)
    assert any(row[0].startswith(NAME_TAG) for row in doc.table_with("Outcome as written")[1:])
    _assert_clean(doc)


def test_auditor_names_appear_only_when_configured(demo_url, learning_report):
    _, hidden = learning_report
    assert "Priya Patel" not in hidden.all_text()
    assert "Audits by auditor" not in hidden.headings(2)
    with session_scope(demo_url) as session:
        report = build_report(
            session,
            actor_named(session, "demo_qa_lead"),
            ReportRequest(*PERIOD),
            settings=Settings(show_auditor_names=True),
        )
    shown = Docx.load(report.content)
    auditors = {row[0] for row in shown.table_with("Auditor", "Audits")[1:]}
    assert "Priya Patel" in auditors
    assert find_identifiers(shown.all_text()) == []


def test_scrubber_masks_unknown_names_and_keeps_ordinary_words():
    scrubber = Scrubber(known_names=["Olu Bankole"], corpus=["the child enjoys lego club"])
    text = (
        "Excellent plan. Interventions are listed. Olu Bankole met Jamie-Lee and Mr Okafor in March; "
        "email jo@school.org.uk, phone 0161 496 0000, NHS 943 476 5919, postcode M1 1AE. [child] joined Lego club."
    )
    cleaned = scrubber.clean_free_text(text)
    assert cleaned == (
        "Excellent plan. Interventions are listed. [name] met [name] and [name] in March; "
        "email [email], phone [phone], NHS [nhs], postcode [postcode]. [child] joined Lego club."
    )
    assert scrubber.clean("Olu  Bankole scored it") == "[name] scored it"

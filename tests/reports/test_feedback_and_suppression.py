"""Feedback for one plan writer, and small-number suppression."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from qa_app.services.learning_reports import ReportNeedsMore, ReportRequest, build_report
from qa_app.settings import Settings
from qa_app.store.engine import session_scope
from qa_app.store.models import Audit, EventLogEntry, Plan
from tests.reports.helpers import PERIOD, Docx, actor_named, counted_audits


def _busiest_writer(session) -> str:
    writers = Counter(audit.plan.writer_code for audit, _ in counted_audits(session, *PERIOD))
    return writers.most_common(1)[0][0]


def test_writer_feedback_lists_their_audits_grades_and_weak_outcomes(demo_url):
    with session_scope(demo_url) as session:
        writer = _busiest_writer(session)
        theirs = counted_audits(session, *PERIOD, writer=writer)
        expected = sorted((audit.plan.reference, grade) for audit, grade in theirs)
        report = build_report(
            session, actor_named(session, "demo_qa_lead"), ReportRequest(*PERIOD, writer=writer)
        )
    doc = Docx.load(report.content)
    assert doc.paragraphs()[0] == f"Feedback for plan writer {writer}"
    optional = "Strong outcomes from your plans"  # only when the writer has some
    assert [h for h in doc.headings(1) if h != optional] == [
        "Your audits",
        "What you do well",
        "Where to focus",
        "Your outcomes that need work",
        "Training that would help",
    ]
    labels = {4: "Outstanding", 3: "Good", 2: "Requires improvement", 1: "Inadequate"}
    listed = sorted((row[1], row[3]) for row in doc.table_with("Submitted", "Plan reference")[1:])
    assert listed == sorted((reference, labels[grade]) for reference, grade in expected)
    assert len(doc.images()) == 1
    weak = doc.table_with("Outcome as written", "Why it is weak", "Suggested improvement")[1:]
    assert weak and all(reasons and hint for _, reasons, hint in weak)
    assert "Comparison by team" not in doc.headings()


def test_feedback_holds_only_that_writers_plans(demo_url):
    with session_scope(demo_url) as session:
        writer = _busiest_writer(session)
        others = set(session.scalars(select(Plan.reference).where(Plan.writer_code != writer)))
        report = build_report(
            session, actor_named(session, "demo_qa_lead"), ReportRequest(*PERIOD, writer=writer)
        )
    text = Docx.load(report.content).all_text()
    assert not [reference for reference in others if reference in text]


def test_a_selection_below_the_suppression_size_says_how_many_more_audits_it_needs(demo_url):
    with session_scope(demo_url) as session:
        day = session.scalar(
            select(Audit.submitted_at)
            .where(Audit.status == "submitted")
            .order_by(Audit.submitted_at)
        ).date()
        training = actor_named(session, "demo_training")
        with pytest.raises(ReportNeedsMore) as refused:
            build_report(session, training, ReportRequest(day, day))
        logged = session.scalar(
            select(func.count())
            .select_from(EventLogEntry)
            .where(EventLogEntry.action == "download")
        )
    assert 0 < refused.value.audits < 5 and refused.value.needed == 5 - refused.value.audits
    assert f"It needs {refused.value.needed} more submitted audit(s)" in str(refused.value)
    assert logged == 0  # nothing was handed over


def test_a_selection_below_the_suppression_size_reports_no_figures(demo_url):
    with session_scope(demo_url) as session:
        day = session.scalar(
            select(Audit.submitted_at)
            .where(Audit.status == "submitted")
            .order_by(Audit.submitted_at)
        ).date()
        report = build_report(
            session,
            actor_named(session, "demo_training"),
            ReportRequest(day, day),
            allow_empty=True,
        )
    doc = Docx.load(report.content)
    assert report.audits < 5
    assert "Summary" in doc.headings(1)
    assert any(p.startswith("Fewer than 5 audits match this selection") for p in doc.paragraphs())
    for hidden in ("Comparison by team", "Anonymised exemplars", "Themes from auditors' notes"):
        assert hidden not in doc.headings(1)
    assert doc.images() == []


def test_small_teams_are_suppressed_in_the_comparison(demo_url):
    with session_scope(demo_url) as session:
        moved = [audit for audit, _ in counted_audits(session, *PERIOD)][:1]
        for audit in moved:
            session.get(Plan, audit.plan_id).team = "Tiny team"
    with session_scope(demo_url) as session:
        tiny = Counter(audit.plan.team for audit, _ in counted_audits(session, *PERIOD))[
            "Tiny team"
        ]
        report = build_report(
            session, actor_named(session, "demo_training"), ReportRequest(*PERIOD)
        )
    assert 0 < tiny < 5
    rows = {
        row[0]: row for row in Docx.load(report.content).table_with("Team", "Good or better")[1:]
    }
    assert rows["Tiny team"][1:3] == ["fewer than 5", "suppressed"]
    assert all(row[1].isdigit() for team, row in rows.items() if team != "Tiny team")


def test_suppression_size_comes_from_settings(demo_url):
    with session_scope(demo_url) as session:
        teams = Counter(audit.plan.team for audit, _ in counted_audits(session, *PERIOD))
    size = sorted(teams.values())[len(teams) // 2] + 1
    with session_scope(demo_url) as session:
        report = build_report(
            session,
            actor_named(session, "demo_training"),
            ReportRequest(*PERIOD),
            settings=Settings(suppression_size=size),
        )
    rows = {
        row[0]: row for row in Docx.load(report.content).table_with("Team", "Good or better")[1:]
    }
    for team, audits in teams.items():
        assert (rows[team][1] == f"fewer than {size}") == (audits < size)


def test_period_with_no_audits_still_builds(demo_url):
    with session_scope(demo_url) as session:
        report = build_report(
            session,
            actor_named(session, "demo_training"),
            ReportRequest(date(2020, 1, 1), date(2020, 3, 31)),
            allow_empty=True,
        )
    assert report.audits == 0
    assert "Appendix: method, sample, moderation and small numbers" in Docx.load(
        report.content
    ).headings(1)


def _family_voice_answers(session) -> tuple[int, int]:
    """Parents' and carers' answers to "I was listened to" in the period, and how many
    agree."""
    from datetime import UTC, datetime

    from qa_app.store.models import FamilyVoice

    start = datetime(PERIOD[0].year, PERIOD[0].month, PERIOD[0].day, tzinfo=UTC)
    end = datetime(PERIOD[1].year, PERIOD[1].month + 1, 1, tzinfo=UTC)
    answers = session.scalars(
        select(FamilyVoice.listened_to).where(
            FamilyVoice.respondent == "parent_carer",
            FamilyVoice.listened_to.is_not(None),
            FamilyVoice.recorded_at >= start,
            FamilyVoice.recorded_at < end,
        )
    ).all()
    return len(answers), sum(answer >= 3 for answer in answers)


def test_what_families_said_matches_the_database_and_is_suppressed_below_the_size(demo_url):
    with session_scope(demo_url) as session:
        n, agree = _family_voice_answers(session)
        shown = build_report(session, actor_named(session, "demo_training"), ReportRequest(*PERIOD))
        hidden = build_report(
            session,
            actor_named(session, "demo_training"),
            ReportRequest(*PERIOD),
            settings=Settings(suppression_size=n + 1),
        )
    assert n >= 5
    rows = {
        (row[0], row[1]): row[2:]
        for row in Docx.load(shown.content).table_with("Statement", "Who")[1:]
    }
    assert rows["I was listened to", "Parent or carer"] == [str(n), f"{100 * agree / n:.0f}%"]
    suppressed = Docx.load(hidden.content).table_with("Statement", "Who")[1:]
    assert suppressed and all(
        row[2:] == [f"fewer than {n + 1}", "suppressed"] for row in suppressed
    )

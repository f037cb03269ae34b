"""The learning report, read back with python-docx: its parts, and figures that match the
database counted directly."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.services.learning_reports import ReportRequest, build_report
from qa_app.services.rubrics import current_versions, rubric_of
from qa_app.store.engine import session_scope
from qa_app.store.models import EventLogEntry, Outcome
from tests.reports.helpers import PERIOD, Docx, actor_named, counted_audits, criterion_means, seed

SECTIONS = [
    "Summary",
    "Strongest and weakest criteria",
    "Themes from auditors' notes",
    "Anonymised exemplars",
    "Provision: vague and specified",
    "Golden thread: the commonest gaps",
    "Comparison by team",
    "What families said",  # the demo data holds family voice for some audited plans
    "Recommended training actions",
    "Appendix: method, sample, moderation and small numbers",
]


def _report(url: str, username: str = "demo_training", **options) -> Docx:
    with session_scope(url) as session:
        report = build_report(
            session, actor_named(session, username), ReportRequest(*PERIOD, **options)
        )
    return Docx.load(report.content)


def _percent(part: int, whole: int) -> str:
    return f"{part / whole * 100:.0f}%"


def test_report_has_every_part_a_chart_and_the_summary_figures(db_url):
    seed(db_url)
    doc = _report(db_url)
    assert doc.headings(1) == SECTIONS
    assert {
        "Where plans fall short",
        "Where plans are strongest",
        "Strengths",
        "Areas for development",
        "Strong outcomes",
        "Weak outcomes and how to improve them",
        "Method",
        "Sample",
        "Moderation",
        "Small-number suppression",
    } <= set(doc.headings(2))
    images = doc.images()
    assert len(images) == 1 and images[0].startswith(b"\x89PNG")

    with session_scope(db_url) as session:
        counted = counted_audits(session, *PERIOD)
        before = counted_audits(
            session,
            PERIOD[0].replace(year=2025, month=7),
            PERIOD[0].replace(year=2025, month=12, day=31),
        )
    grades = [grade for _, grade in counted]
    good = sum(1 for grade in grades if grade is not None and grade >= 3)
    summary = {row[0]: row[1:] for row in doc.table_with("Measure", "This period")[1:]}
    assert summary["Audits"][0] == str(len(grades))
    assert summary["Good or better"][0] == _percent(good, len(grades))
    assert summary["Audits"][1] == str(len(before))
    assert summary["Good or better"][1] == _percent(
        sum(1 for _, g in before if g is not None and g >= 3), len(before)
    )
    assert (
        f"{len(grades)} audits were completed in the period"
        in doc.paragraphs()[doc.paragraphs().index("Summary") + 1]
    )


def test_team_table_and_criteria_match_the_database(learning_report):
    url, doc = learning_report
    with session_scope(url) as session:
        counted = counted_audits(session, *PERIOD)
        teams = Counter(audit.plan.team for audit, _ in counted)
        good = Counter(
            audit.plan.team for audit, grade in counted if grade is not None and grade >= 3
        )
        means = criterion_means(session, [audit for audit, _ in counted])
        rubric = rubric_of(
            next(v for v in current_versions(session) if v.rubric_key == "ehcp_core")
        )
    rows = {row[0]: row for row in doc.table_with("Team", "Audits", "Good or better")[1:]}
    assert set(rows) == set(teams)
    for team, audits in teams.items():
        assert rows[team][1] == str(audits)
        assert rows[team][2] == _percent(good[team], audits)

    titles = {criterion.title: criterion.id for criterion in rubric.criteria}
    weakest = doc.table_with("Criterion", "Section", "Audits", "Mean score", "Below Good")
    listed_means = []
    for title, _, scored, mean, _ in weakest[1:]:
        expected_mean, expected_scored = means[titles[title]]
        assert (scored, mean) == (str(expected_scored), f"{expected_mean:.2f}")
        listed_means.append(expected_mean)
    eligible = sorted(mean for mean, scored in means.values() if scored >= 5)
    assert listed_means == eligible[: len(listed_means)]


def test_each_weak_criterion_shows_what_good_looks_like_and_its_training_action(learning_report):
    url, doc = learning_report
    with session_scope(url) as session:
        rubric = rubric_of(
            next(v for v in current_versions(session) if v.rubric_key == "ehcp_core")
        )
    by_title = {criterion.title: criterion for criterion in rubric.criteria}
    weakest = [row[0] for row in doc.table_with("Criterion", "Below Good")[1:]]
    text = doc.all_text()
    for title in weakest:
        criterion = by_title[title]
        assert " ".join(criterion.descriptors[3].split()) in text
    actions = [p for p in doc.document.paragraphs if p.style.name == "List Number"]
    assert actions
    expected = {" ".join(by_title[title].training_action.split()) for title in weakest}
    assert {p.text for p in actions} <= expected


def test_themes_count_the_audits_that_mention_them(learning_report):
    url, doc = learning_report
    with session_scope(url) as session:
        counted = counted_audits(session, *PERIOD)
    themes = doc.table_with("Theme (key phrases)", "Typical wording")
    assert len(themes) > 2
    for _, wording, audits, _ in themes[1:]:
        if "[" in wording:
            continue  # a planted sentence, checked by the privacy tests
        mentioning = sum(
            1
            for audit, _ in counted
            if wording in audit.strengths + " " + audit.areas_for_development
        )
        assert int(audits) >= mentioning >= 1


def test_weak_exemplars_carry_reasons_and_improvements(learning_report):
    _, doc = learning_report
    weak = doc.table_with("Outcome as written", "Why it is weak", "Suggested improvement")
    assert len(weak) >= 2
    for _, reasons, improvement in weak[1:]:
        assert reasons and improvement


def test_download_is_logged_and_roles_are_checked(demo_url):
    with session_scope(demo_url) as session:
        with pytest.raises(PermissionDenied):
            build_report(session, actor_named(session, "demo_auditor"), ReportRequest(*PERIOD))
        with pytest.raises(PermissionDenied):
            build_report(session, actor_named(session, "demo_admin"), ReportRequest(*PERIOD))
        with pytest.raises(InvalidInput):
            build_report(
                session, actor_named(session, "demo_qa_lead"), ReportRequest(PERIOD[1], PERIOD[0])
            )
        with pytest.raises(NotFound):
            build_report(
                session,
                actor_named(session, "demo_qa_lead"),
                ReportRequest(*PERIOD, rubric="no_such"),
            )
        build_report(
            session,
            actor_named(session, "demo_training"),
            ReportRequest(*PERIOD, team="North locality"),
        )
    with session_scope(demo_url) as session:
        entry = session.scalars(
            select(EventLogEntry).where(EventLogEntry.action == "download")
        ).one()
    assert (entry.actor_name, entry.entity) == ("Demo training lead", "report")
    assert "North locality" in entry.detail and "2026-01-01" in entry.detail


def test_outcomes_without_stored_verdicts_are_classified_by_the_shipped_model(demo_url):
    from qa_app.classifier import ModelUnavailable, load_model

    try:
        load_model()
    except ModelUnavailable as reason:
        pytest.skip(f"no shipped model: {reason}")
    with session_scope(demo_url) as session:
        for outcome in session.scalars(select(Outcome)):
            outcome.weak = outcome.p_weak = outcome.reasons = outcome.model_version = None
    doc = _report(demo_url)
    weak = doc.table_with("Outcome as written", "Why it is weak", "Suggested improvement")
    assert len(weak) == 4 and all(row[1] and row[2] for row in weak[1:])
    assert f"(model version {load_model().version})" in doc.all_text()


def test_without_a_model_unjudged_outcomes_are_reported_not_hidden(demo_url, monkeypatch):
    from qa_app.classifier import ModelUnavailable
    from qa_app.services import learning_reports as reports

    def no_model():
        raise ModelUnavailable("no model here")

    monkeypatch.setattr(reports, "load_model", no_model)
    with session_scope(demo_url) as session:
        cleared = session.scalars(select(Outcome).where(Outcome.weak.is_(True))).all()
        for outcome in cleared:
            outcome.weak = outcome.p_weak = None
    doc = _report(demo_url)
    notes = [p for p in doc.paragraphs() if "outcome statements could not be judged" in p]
    assert len(notes) == 1 and 0 < int(notes[0].split()[0]) <= len(cleared)


def test_vague_provision_sits_beside_a_specified_rewrite_and_the_gaps_match_the_database(
    learning_report,
):
    from qa_app.store.models import Plan, ProvisionItem, ThreadGap

    url, doc = learning_report
    pairs = doc.table_with("Vague, as written", "What is missing")[1:]
    assert 1 <= len(pairs) <= 5
    with session_scope(url) as session:
        vague = {
            item.text
            for item in session.scalars(select(ProvisionItem).where(ProvisionItem.weak.is_(True)))
        }
        gap_plans = Counter(
            kind
            for _, kind in set(session.execute(select(ThreadGap.plan_id, ThreadGap.kind)).all())
        )
        checked = session.scalar(
            select(func.count()).select_from(Plan).where(Plan.thread.is_not(None))
        )
    for vague_text, missing, rewrite, example in pairs:
        assert any(text[:20] == vague_text[:20] for text in vague)
        assert missing and rewrite != vague_text and example
    assert any("[" in row[2] for row in pairs), "a rewrite prompts for what is missing"
    gaps = doc.table_with("Gap", "Plans", "Share of plans")[1:]
    assert gaps and [int(row[1]) for row in gaps] == sorted(
        (int(row[1]) for row in gaps), reverse=True
    )
    assert checked > 0 and sum(int(row[1]) for row in gaps) <= sum(gap_plans.values())

"""Family voice: what a parent or carer, and a child or young person, said about an
audited plan, recorded by the audit's auditor or a QA lead, its comment redacted on
save, every change logged, and aggregated with small numbers suppressed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa_app.services import family_voice
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.settings import Settings
from qa_app.store.models import EventLogEntry, FamilyVoice

ALL_AGREE = {"listened_to": 4, "describes": 3, "what_happens": 3}
TODAY = date.today()


@pytest.fixture
def audit_id(session, team, assign):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    return audit_id


def test_the_auditor_records_each_persons_answers_and_a_redacted_comment(session, team, audit_id):
    comment = "Mum said Jamie loved the new plan; call her on 07700 900123 or mail jo@example.org. Edu One listened."
    saved = family_voice.record_voice(
        session, team.edu_1, audit_id, "parent_carer", ALL_AGREE, comment
    )
    family_voice.record_voice(
        session, team.edu_1, audit_id, "child_young_person", {"listened_to": 2}, ""
    )
    session.commit()
    for leaked in ("Jamie", "07700", "jo@example.org", "Edu One"):
        assert leaked not in saved.comment
    stored = session.scalar(select(FamilyVoice).where(FamilyVoice.respondent == "parent_carer"))
    assert (
        stored.comment == saved.comment
        and "[name]" in stored.comment
        and "loved the new plan" in stored.comment
    )
    records = family_voice.voices_for_audit(session, team.lead, audit_id)
    assert [r.respondent for r in records] == ["parent_carer", "child_young_person"]
    assert records[1].answers == {"listened_to": 2, "describes": None, "what_happens": None}


def test_every_change_is_logged_and_the_comment_never_reaches_the_log(session, team, audit_id):
    family_voice.record_voice(
        session, team.edu_1, audit_id, "parent_carer", ALL_AGREE, "It felt rushed."
    )
    family_voice.record_voice(
        session,
        team.lead,
        audit_id,
        "parent_carer",
        {**ALL_AGREE, "describes": 1},
        "It felt rushed.",
    )
    session.commit()
    entries = session.scalars(
        select(EventLogEntry)
        .where(EventLogEntry.entity == "family_voice")
        .order_by(EventLogEntry.id)
    ).all()
    assert [(e.action, e.field) for e in entries] == [
        ("create", None),
        ("update", "listened_to"),
        ("update", "describes"),
        ("update", "what_happens"),
        ("update", "comment"),
        ("update", "describes"),
    ]
    assert (entries[-1].actor_name, entries[-1].old_value, entries[-1].new_value) == (
        team.lead.display_name,
        "3",
        "1",
    )
    assert not any("rushed" in (e.new_value or "") + (e.detail or "") for e in entries)


def test_only_the_audits_auditor_or_a_qa_lead_may_record_or_read(session, team, audit_id):
    for outsider in (team.edu_2, team.health):
        with pytest.raises(NotFound):
            family_voice.record_voice(session, outsider, audit_id, "parent_carer", ALL_AGREE)
        with pytest.raises(NotFound):
            family_voice.voices_for_audit(session, outsider, audit_id)
    with pytest.raises(PermissionDenied):
        family_voice.record_voice(session, team.training, audit_id, "parent_carer", ALL_AGREE)
    with pytest.raises(PermissionDenied):
        family_voice.voice_summary(
            session, team.edu_1, TODAY, TODAY, settings=Settings(suppression_size=1)
        )
    assert (
        family_voice.voice_summary(
            session, team.training, TODAY, TODAY, settings=Settings(suppression_size=1)
        ).plans
        == 0
    )


@pytest.mark.parametrize(
    ("respondent", "answers", "comment", "message"),
    [
        ("sibling", ALL_AGREE, "", "Unknown respondent"),
        ("parent_carer", {"listened_to": 5}, "", "from 1 to 4"),
        ("parent_carer", {"happy": 3}, "", "Unknown statement"),
        ("parent_carer", {}, "   ", "at least one answer"),
        ("parent_carer", ALL_AGREE, "x\x00y", "NUL"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    session, team, audit_id, respondent, answers, comment, message
):
    with pytest.raises(InvalidInput, match=message):
        family_voice.record_voice(session, team.edu_1, audit_id, respondent, answers, comment)
    session.rollback()
    assert session.scalar(select(FamilyVoice.id)) is None


def test_the_summary_gives_shares_agreeing_and_suppresses_small_numbers(session, team, audit_id):
    family_voice.record_voice(session, team.edu_1, audit_id, "parent_carer", ALL_AGREE)
    family_voice.record_voice(
        session, team.edu_1, audit_id, "child_young_person", {"listened_to": 1, "describes": 4}
    )
    session.commit()
    shown = family_voice.voice_summary(
        session, team.lead, TODAY, TODAY, settings=Settings(suppression_size=1)
    )
    by = {(f.respondent, f.statement): f for f in shown.figures}
    assert shown.plans == 1 and shown.records == {"parent_carer": 1, "child_young_person": 1}
    assert by["parent_carer", "listened_to"].share == 100.0
    assert by["child_young_person", "listened_to"].share == 0.0
    assert by["child_young_person", "what_happens"].n == 0
    hidden = family_voice.voice_summary(
        session, team.lead, TODAY, TODAY, settings=Settings(suppression_size=2)
    )
    assert all(f.suppressed and f.share is None and f.agree is None for f in hidden.figures)
    other_team = family_voice.voice_summary(
        session, team.lead, TODAY, TODAY, team="South", settings=Settings(suppression_size=1)
    )
    assert other_team.plans == 0


def _widget(audit_id: int) -> None:
    import streamlit as st

    from qa_app.ui.components.family_voice import render_family_voice

    render_family_voice(st.session_state["actor"], audit_id)


def test_the_panel_beside_the_audit_saves_answers_and_shows_the_redacted_comment(
    session, team, audit_id, db_url, point_app_at, configuration
):
    point_app_at(db_url)
    at = configuration.hand_to(AppTest.from_function(_widget, args=(audit_id,), default_timeout=60))
    at.session_state["actor"] = team.edu_1
    at.run()
    assert [e.label for e in at.expander] == [
        "Parent or carer · not recorded yet",
        "Child or young person · not recorded yet",
    ]
    at.radio(key=f"voice-{audit_id}-parent_carer-listened_to").set_value(4)
    at.text_area(key=f"voice-{audit_id}-parent_carer-comment").set_value("Jamie said it was fine.")
    at.button[0].click().run()
    assert not at.exception
    assert "Saved what the parent or carer said." in [s.value for s in at.success]
    comment = at.text_area(key=f"voice-{audit_id}-parent_carer-comment").value
    assert "Jamie" not in comment and "said it was fine" in comment
    session.expire_all()
    assert session.scalar(select(FamilyVoice.listened_to)) == 4


def test_retention_blanks_what_families_said_with_the_plan_text_and_keeps_the_answers(
    session, team, audit_id
):
    from datetime import UTC, datetime, timedelta

    from qa_app.services import retention
    from qa_app.store.models import Audit, Plan

    family_voice.record_voice(
        session, team.edu_1, audit_id, "parent_carer", ALL_AGREE, "It felt rushed."
    )
    long_ago = datetime.now(UTC) - timedelta(days=900)
    audit = session.get(Audit, audit_id)
    audit.updated_at = session.get(Plan, audit.plan_id).created_at = long_ago
    session.commit()
    summary = retention.purge_plan_text(session, _admin(), 730)
    session.commit()
    stored = session.scalar(select(FamilyVoice))
    assert summary.plans == 1 and stored.comment == "" and stored.listened_to == 4


def _admin():
    from qa_app.services.access import Actor

    return Actor(user_id=None, display_name="Admin", roles=frozenset({"admin"}))


def test_the_learning_report_section_suppresses_small_numbers():
    import io
    from types import SimpleNamespace

    from docx import Document

    from qa_app.reports.learning import write_family_voice
    from qa_app.reports.writing import ReportWriter

    out = ReportWriter(lambda text: text)
    write_family_voice(
        out,
        SimpleNamespace(
            suppression_size=5,
            family_voice=[
                ("I was listened to", "Parent or carer", 12, 75.0),
                ("I was listened to", "Child or young person", 3, None),
            ],
        ),
    )
    table = Document(io.BytesIO(out.to_bytes())).tables[0]
    assert [c.text for c in table.rows[1].cells] == [
        "I was listened to",
        "Parent or carer",
        "12",
        "75%",
    ]
    assert [c.text for c in table.rows[2].cells][2:] == ["fewer than 5", "suppressed"]

"""The audit pages in Streamlit's AppTest: each test signs a user in by putting their
actor in session state, as the app does, and renders one page against a real SQLite
database. A new AppTest is a new browser session, like a refresh."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa_app.services import audits, moderation, typed_text
from qa_app.store.models import Audit, EventLogEntry, Moderation


@pytest.fixture(autouse=True)
def db_url(sqlite_url, point_app_at):
    """SQLite only, and the app opens the same database."""
    point_app_at(sqlite_url)
    return sqlite_url


def shown(elements) -> str:
    """The text of every element of one kind on the page (other components may add their own)."""
    return "\n".join(str(element.value) for element in elements)


def overall(at: AppTest) -> str:
    """The grade the page's summary shows."""
    line = next(m.value for m in at.markdown if m.value.startswith("Overall grade"))
    return line.split("**")[1]


def key(audit_id: int, kind: str, target: str) -> str:
    return f"audit-{audit_id}-{kind}-{target}"


def typed_field_shows(at: AppTest, field_key: str, text: str) -> bool:
    """Whether the save-as-you-type field ``field_key`` is given ``text`` to show (AppTest
    sees the component only as the data it sends to the browser)."""
    shown = [
        str(node.proto).replace("\\'", "'")
        for node in at._tree
        if type(node).__name__ == "UnknownElement"
    ]
    return any(field_key in proto and text in proto for proto in shown)


def type_into(session, actor, audit_id: int, kind: str, target: str) -> callable:
    """What the field's save callback does with the typed text (the browser tests type)."""

    def save(text: str) -> None:
        version = session.get(Audit, audit_id, populate_existing=True).version
        typed_text.save_typed(
            session,
            actor,
            typed_text.TypedField(kind, audit_id, target),
            text,
            expected_version=version,
        )
        session.commit()

    return save


def type_into_moderation(session, actor, moderation_id: int, kind: str, target: str) -> callable:
    def save(text: str) -> None:
        version = session.get(Moderation, moderation_id, populate_existing=True).version
        typed_text.save_typed(
            session,
            actor,
            typed_text.TypedField(kind, moderation_id, target),
            text,
            expected_version=version,
        )
        session.commit()

    return save


def test_my_audits_lists_the_users_audits(session, team, assign, run_page):
    edu_audit, _ = assign(
        session, team, {"education": [team.edu_1.user_id], "health": [team.health.user_id]}
    )
    at = run_page("my_audits", team.edu_1)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.index) == [edu_audit]
    assert table.iloc[0]["Plan"] == "PLN-AUDIT001" and table.iloc[0]["Status"] == "Draft"
    assert list(table.columns[:3]) == ["Plan", "Status", "Due"]  # what a phone shows first
    assert run_page("my_audits", team.edu_2).info[0].value == "You have no audits to do."


def test_score_leave_come_back_same_state(session, team, assign, run_page):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    at = run_page("audit", team.edu_1, {"audit": audit_id})
    assert not at.exception
    assert at.title[0].value == "Audit of plan PLN-AUDIT001"
    at.radio(key=key(audit_id, "level", "f_provision_quantified")).set_value(1).run()
    session.expire_all()
    type_into(session, team.edu_1, audit_id, "note", "f_provision_quantified")(
        "Hours of therapy not stated."
    )
    type_into(session, team.edu_1, audit_id, "text", "strengths")("Child's voice is vivid.")
    assert overall(at) == "Inadequate"

    again = run_page("audit", team.edu_1, {"audit": audit_id})
    assert again.radio(key=key(audit_id, "level", "f_provision_quantified")).value == 1
    assert typed_field_shows(
        again, key(audit_id, "note", "f_provision_quantified"), "Hours of therapy not stated."
    )
    assert typed_field_shows(again, key(audit_id, "text", "strengths"), "Child's voice is vivid.")
    assert again.radio(key=key(audit_id, "level", "a_child_voice")).value is None
    stored = {s.criterion_id: (s.score, s.note) for s in session.get(Audit, audit_id).scores}
    assert stored == {"f_provision_quantified": (1, "Hours of therapy not stated.")}


def test_live_grade_names_the_capping_reason(session, team, assign, fill, run_page):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    fill(session, team.edu_1, audit_id, 3)
    at = run_page("audit", team.edu_1, {"audit": audit_id})
    assert overall(at) == "Good"
    at.radio(key=key(audit_id, "level", "e_outcomes_not_provision")).set_value(1).run()
    assert overall(at) == "Requires improvement"
    reasons = [m.value for m in at.markdown if "Why:" in m.value]
    assert reasons and "capped at Requires improvement" in reasons[0]


def test_submit_links_what_is_missing_then_asks_then_locks(session, team, assign, fill, run_page):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    at = run_page("audit", team.edu_1, {"audit": audit_id})
    at.radio(key=key(audit_id, "level", "a_child_voice")).set_value(2).run()
    at.button(key=key(audit_id, "submit", "go")).click().run()
    refusal = shown(at.error).replace("\\", "")  # criterion titles are escaped as plain text
    assert "Not submitted" in refusal
    assert "needs an evidence note (Requires improvement)" in refusal and "is not scored" in refusal
    # Each gap links to the control that fixes it: the note, or the criterion's levels.
    assert f"(#qa-jump-{key(audit_id, 'note', 'a_child_voice')}-autosave)" in refusal
    assert f"(#qa-jump-{key(audit_id, 'level', 'b_needs_described')})" in refusal
    assert key(audit_id, "submit", "confirm") not in [
        button.key for button in at.button
    ]  # no question asked
    assert session.get(Audit, audit_id).status == "draft"

    fill(session, team.edu_1, audit_id, 3)
    at = run_page("audit", team.edu_1, {"audit": audit_id})
    at.button(key=key(audit_id, "submit", "go")).click().run()
    asked = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert (
        "Submitting locks your audit of plan PLN-AUDIT001" in asked
        and "a QA lead reopens it" in asked
    )
    session.expire_all()
    assert session.get(Audit, audit_id).status == "draft"  # nothing locked until confirmed

    at.button(key=key(audit_id, "submit", "confirm")).click().run()
    assert "submitted and locked" in shown(at.success)
    assert at.radio(key=key(audit_id, "level", "a_child_voice")).disabled
    session.expire_all()
    assert session.get(Audit, audit_id).status == "submitted"


def test_a_stale_save_keeps_the_typed_text_and_says_what_changed(session, team, assign, run_page):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    mine = run_page("audit", team.edu_1, {"audit": audit_id})
    theirs = run_page("audit", team.lead, {"audit": audit_id})
    theirs.radio(key=key(audit_id, "level", "b_needs_described")).set_value(4).run()

    level = key(audit_id, "level", "a_child_voice")
    mine.radio(level).set_value(2).run()
    message = shown(mine.error)
    assert "your change was not saved" in message
    assert "changed Needs" in message or "from unscored to Outstanding" in message
    assert mine.radio(level).value == 2
    assert mine.radio(key=key(audit_id, "level", "b_needs_described")).value == 4

    mine.button(key=key(audit_id, "retry", "all")).click().run()
    assert "not saved" not in shown(mine.error)
    assert run_page("audit", team.edu_1, {"audit": audit_id}).radio(level).value == 2


def test_blind_second_rater_cannot_open_the_first_raters_audit(
    session, team, assign, fill, run_page
):
    first_id, second_id = assign(
        session, team, {"education": [team.edu_1.user_id, team.edu_2.user_id]}, 100
    )
    audits.submit(
        session, team.edu_1, first_id, expected_version=fill(session, team.edu_1, first_id, 4)
    )
    session.commit()
    peek = run_page("audit", team.edu_2, {"audit": first_id})
    assert "not one of yours" in shown(peek.error)
    own = run_page("audit", team.edu_2, {"audit": second_id})
    assert "double-rated blind" in shown(own.caption)
    plan_page = run_page("plan", team.edu_2, {"plan": team.plan_id})
    assert not plan_page.exception
    combined = plan_page.dataframe[-1].value
    assert set(combined["Education"]) == {"—"}


def test_moderation_page_records_the_agreed_record(session, team, assign, fill, run_page):
    first_id, second_id = assign(
        session, team, {"education": [team.edu_1.user_id, team.edu_2.user_id]}, 100
    )
    audits.submit(
        session, team.edu_1, first_id, expected_version=fill(session, team.edu_1, first_id, 3)
    )
    version = fill(session, team.edu_2, second_id, 3)
    version, _ = audits.save_score(
        session,
        team.edu_2,
        second_id,
        "a_aspirations",
        expected_version=version,
        level=1,
        note="No aspirations recorded.",
    )
    audits.submit(session, team.edu_2, second_id, expected_version=version)
    session.commit()
    moderation_id = moderation.start_moderation(session, team.lead, first_id)
    session.commit()

    at = run_page("moderation", team.lead, {"moderation": moderation_id})
    assert not at.exception
    assert "1 disagreements" in at.caption[0].value
    at.selectbox(key=f"mod-{moderation_id}-level-a_aspirations").set_value(2).run()
    type_into_moderation(session, team.lead, moderation_id, "rationale", "a_aspirations")(
        "Aspirations are thin, not absent."
    )
    at.run()
    at.selectbox(key=f"mod-{moderation_id}-overall-grade").set_value(3).run()
    type_into_moderation(session, team.lead, moderation_id, "overall", "")(
        "Good with thin aspirations."
    )
    at.run()
    assert not at.error
    assert typed_field_shows(
        at, f"mod-{moderation_id}-rationale-a_aspirations", "Aspirations are thin, not absent."
    )
    assert typed_field_shows(
        at, f"mod-{moderation_id}-overall-rationale", "Good with thin aspirations."
    )
    at.button(key=f"mod-{moderation_id}-agree").click().run()
    assert not at.error
    assert "agreed" in at.success[0].value
    session.expire_all()
    assert {session.get(Audit, a).status for a in (first_id, second_id)} == {"moderated"}
    stats = at.dataframe[0].value
    # One double-rated plan is below the suppression size, as on the Trends page.
    assert stats.iloc[0]["Plans double-rated"] == 1 and stats.iloc[0]["Criterion pairs"] > 0
    assert stats.iloc[0]["Weighted kappa"] == stats.iloc[0]["Gwet's AC1"] == "suppressed"
    assert "not allow you to moderate" in run_page("moderation", team.edu_1).error[0].value


def test_assign_page_draws_a_sample(session, team, run_page):
    at = run_page("assign", team.lead)
    assert not at.exception
    at.radio(key="assign_method").set_value("random").run()
    at.number_input(key="assign_size").set_value(1).run()
    at.multiselect(key="assign_education").set_value([team.edu_1.user_id]).run()
    # Double rating (10 % by default) with one auditor is said before drawing, then refused.
    assert any("Blind double rating needs two education auditors" in m.value for m in at.markdown)
    at.button(key="assign_draw").click().run()
    assert (
        "no plan could be double-rated" in at.error[0].value
        and session.scalar(select(Audit.id)) is None
    )
    at.slider(key="assign_double").set_value(0).run()
    at.button(key="assign_draw").click().run()
    assert "1 plans, 1 audits assigned" in at.success[0].value
    assert [a.auditor_id for a in session.scalars(select(Audit))] == [team.edu_1.user_id]


def test_export_page_prepares_a_logged_download(session, team, assign, fill, run_page):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    audits.submit(
        session, team.edu_1, audit_id, expected_version=fill(session, team.edu_1, audit_id)
    )
    session.commit()
    at = run_page("exports", team.lead)
    at.button(key="export_prepare").click().run()
    assert "rows ready" in at.success[0].value
    assert session.scalars(select(EventLogEntry).where(EventLogEntry.action == "export")).one()
    assert (
        "Your role does not allow you to export" in run_page("exports", team.edu_1).error[0].value
    )


def test_a_change_whose_callback_was_dropped_is_saved_on_the_next_run(
    session, team, assign, run_page
):
    """Streamlit can drop an on_change callback when changes arrive mid-run; the page
    notices a widget value it did not put there and saves it."""
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    at = run_page("audit", team.edu_1, {"audit": audit_id})
    level = key(audit_id, "level", "a_child_voice")
    at.session_state[level] = 3
    at.run()
    session.expire_all()
    assert audits.open_audit(session, team.edu_1, audit_id).scores["a_child_voice"].level == 3
    assert at.radio(level).value == 3


def test_moderation_saves_a_grade_whose_callback_was_dropped(session, team, assign, fill, run_page):
    first_id, second_id = assign(
        session, team, {"education": [team.edu_1.user_id, team.edu_2.user_id]}, 100
    )
    audits.submit(
        session, team.edu_1, first_id, expected_version=fill(session, team.edu_1, first_id, 3)
    )
    audits.submit(
        session, team.edu_2, second_id, expected_version=fill(session, team.edu_2, second_id, 3)
    )
    session.commit()
    moderation_id = moderation.start_moderation(session, team.lead, first_id)
    session.commit()
    at = run_page("moderation", team.lead, {"moderation": moderation_id})
    at.session_state[f"mod-{moderation_id}-overall-grade"] = 3
    at.run()
    session.expire_all()
    assert moderation.open_moderation(session, team.lead, moderation_id).overall_grade == 3


def test_a_reopened_audit_shows_why_on_its_page_and_in_the_log(
    session, team, assign, fill, run_page
):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    audits.submit(
        session, team.edu_1, audit_id, expected_version=fill(session, team.edu_1, audit_id)
    )
    audits.reopen(session, team.lead, audit_id, "Section F was scored as section E.")
    session.commit()
    page = run_page("audit", team.edu_1, {"audit": audit_id})
    assert any(
        t.value.startswith("Reopened ")
        and t.value.endswith("by Qa Lead: Section F was scored as section E.")
        for t in page.text
    )
    log = run_page("event_log", team.lead).dataframe[0].value
    reopen = log[log["What"].str.contains(" reopened ")].iloc[0]
    assert reopen["What"] == (
        f"Audit {audit_id} of plan PLN-AUDIT001 reopened (it was submitted); "
        "reason: Section F was scored as section E."
    )


def test_the_log_page_reads_in_sentences_and_keeps_the_stored_values_to_hand(
    session, team, assign, run_page
):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    at = run_page("event_log", team.lead)
    assert not at.exception
    log = at.dataframe[0].value
    assert list(log.columns) == ["When", "Who", "What"]
    assigned = log[log["What"].str.contains("assigned")].iloc[0]
    assert (
        assigned["What"] == f"Audit {audit_id} of plan PLN-AUDIT001 assigned to edu_one (Education)"
    )
    assert assigned["Who"] == "Qa Lead (qa_lead)"
    assert not log["What"].str.contains(r"[{}\[\]]").any()
    (stored_panel,) = [e for e in at.expander if e.label == "The same entries as stored"]
    stored = stored_panel.dataframe[0].value
    assert stored[stored["Action"] == "assign"].iloc[0]["To"] == str(team.edu_1.user_id)
    assert "Audits" in at.selectbox[2].options


def test_a_save_failing_unexpectedly_shows_only_the_errors_kind(
    session, db_url, team, assign, fill, run_page
):
    """A database error met in a save's callback is a bug, outside any page's own error
    handling. Streamlit shows it as the project's configuration says (``showErrorDetails
    = "type"``): its kind and a generic sentence, never its message (the statement, what
    the database said) or a traceback. Here a planted trigger refuses every reopening."""
    from sqlalchemy import text

    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    audits.submit(
        session, team.edu_1, audit_id, expected_version=fill(session, team.edu_1, audit_id)
    )
    session.execute(
        text(
            "CREATE TRIGGER planted BEFORE INSERT ON audit_reopenings "
            "BEGIN SELECT RAISE(ABORT, 'planted failure ZXQ7'); END"
        )
    )
    session.commit()
    at = run_page("audit", team.lead, {"audit": audit_id})
    at.text_input(key=key(audit_id, "reopen", "reason")).input("the scores of section f moved")
    at = at.button(key=f"FormSubmitter:{key(audit_id, 'reopen', 'form')}-Reopen audit").click()
    at = at.run()
    (failure,) = at.exception
    assert failure.proto.type == "sqlalchemy.exc.IntegrityError"
    assert failure.message.startswith("This app has encountered an error.")
    assert list(failure.stack_trace) == []
    shown = "\n".join(str(getattr(node, "proto", "")) for node in at._tree)
    for leaked in ("planted failure", "ZXQ7", "INSERT INTO", "Traceback", "audit_reopenings"):
        assert leaked not in shown
    session.expire_all()
    assert session.get(Audit, audit_id).status == "submitted"

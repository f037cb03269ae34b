"""Text entering the services, on SQLite and PostgreSQL alike: NUL is refused with a
clear message, Word's vertical tab and form feed become line breaks, other control
characters are dropped, and every free-text field has a stated length limit. Nothing
reaches the database as an error from the driver."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from qa_app.ingest import read_plan
from qa_app.services import accounts, actions, audits, family_voice, moderation
from qa_app.services.access import Actor
from qa_app.services.errors import InvalidInput
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.services.plans import PlanFilters, list_plans
from qa_app.services.text_input import NOTE_LIMIT, SECTION_LIMIT, clean_text
from qa_app.store.models import (
    Audit,
    AuditReopening,
    CriterionScore,
    EventLogEntry,
    FamilyVoice,
    ImprovementAction,
    Moderation,
    ModerationScore,
    Plan,
    User,
)
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import numbered_with_letter

WORD_PASTE = "Line one\x0bline two\x0cpage two\r\nthree\x07\x1b[0m\tend"


def test_clean_text_keeps_tabs_and_newlines_turns_word_breaks_into_lines_and_drops_other_controls():
    assert clean_text(WORD_PASTE, "Note", 100) == "Line one\nline two\npage two\nthree[0m\tend"
    assert clean_text("a\x0bb\nc", "Team", 100, single_line=True) == "a b c"
    with pytest.raises(InvalidInput, match="Note contains a NUL character"):
        clean_text("before\x00after", "Note", 100)
    with pytest.raises(
        InvalidInput, match="Note is 101 characters long; the limit is 100 characters"
    ):
        clean_text("x" * 101, "Note", 100)


@pytest.fixture
def draft(session, team, assign):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    return audit_id


def _version(session, team, audit_id: int) -> int:
    return audits.open_audit(session, team.edu_1, audit_id, log_view=False).version


def _note(session, audit_id: int) -> str | None:
    session.expire_all()
    return session.scalar(
        select(CriterionScore.note).where(
            CriterionScore.audit_id == audit_id, CriterionScore.criterion_id == "a_aspirations"
        )
    )


def test_an_evidence_note_with_nul_is_refused_and_nothing_is_stored(session, team, draft):
    with pytest.raises(InvalidInput, match="The evidence note contains a NUL character"):
        audits.save_score(
            session, team.edu_1, draft, "a_aspirations", expected_version=0, note="private\x00note"
        )
    session.rollback()
    assert _note(session, draft) is None
    version, _ = audits.save_score(
        session,
        team.edu_1,
        draft,
        "a_aspirations",
        expected_version=_version(session, team, draft),
        note=WORD_PASTE,
    )
    session.commit()
    assert _note(session, draft) == "Line one\nline two\npage two\nthree[0m\tend"

    with pytest.raises(InvalidInput, match=f"the limit is {NOTE_LIMIT:,} characters"):
        audits.save_score(
            session,
            team.edu_1,
            draft,
            "a_aspirations",
            expected_version=version,
            note="x" * 1_008_000,
        )
    session.rollback()
    assert _note(session, draft).startswith("Line one")


def test_audit_text_fields_reopen_reasons_and_rationales_are_checked(session, team, draft, fill):
    with pytest.raises(InvalidInput, match="Strengths contains a NUL"):
        audits.save_text(session, team.edu_1, draft, "strengths", "good\x00", expected_version=0)
    with pytest.raises(InvalidInput, match="Areas for development is 20,001 characters long"):
        audits.save_text(
            session, team.edu_1, draft, "areas_for_development", "y" * 20_001, expected_version=0
        )
    with pytest.raises(InvalidInput, match="The reason for reopening contains a NUL"):
        audits.reopen(session, team.lead, draft, "because\x00")
    with pytest.raises(InvalidInput, match="The overall rationale contains a NUL"):
        moderation.save_overall(session, team.lead, 1, expected_version=0, rationale="agreed\x00")
    with pytest.raises(InvalidInput, match="The rationale is 10,001 characters long"):
        moderation.save_agreed_score(
            session, team.lead, 1, "a_aspirations", expected_version=0, rationale="z" * 10_001
        )


def _failed_sign_ins(session) -> int:
    return session.scalar(
        select(func.count())
        .select_from(EventLogEntry)
        .where(EventLogEntry.action == "sign_in_failed")
    )


def test_a_nul_in_the_sign_in_username_is_refused_and_the_failure_logged(session, team):
    before = _failed_sign_ins(session)
    result = accounts.sign_in(session, "qa_lead\x00", "any password at all")
    session.commit()
    assert not result.ok and "NUL character" in result.message
    assert _failed_sign_ins(session) == before + 1
    assert not accounts.sign_in(session, "qa_lead", "pass\x00word").ok


def test_account_fields_are_checked(session, team):
    admin = team.lead.__class__(user_id=None, display_name="Admin", roles=frozenset({"admin"}))
    with pytest.raises(InvalidInput, match="The person's name contains a NUL"):
        accounts.add_user(session, admin, "newbie", "New\x00Person", {"training"})
    with pytest.raises(InvalidInput, match="The password contains a NUL"):
        accounts.add_user(
            session, admin, "newbie", "New Person", {"training"}, password="twelve chars\x00long"
        )
    with pytest.raises(InvalidInput, match="The username is 121 characters long"):
        accounts.add_user(session, admin, "u" * 121, "New Person", {"training"})


def test_the_reference_filter_refuses_nul_and_matches_wildcards_literally(session, team):
    with pytest.raises(InvalidInput, match="The reference filter contains a NUL"):
        list_plans(session, team.lead, PlanFilters(reference="PLN\x00"))
    with pytest.raises(InvalidInput, match="The team filter contains a NUL"):
        list_plans(session, team.lead, PlanFilters(team="North\x00"))
    assert list_plans(session, team.lead, PlanFilters(reference="audit"))[1] == 1
    assert list_plans(session, team.lead, PlanFilters(reference="%"))[1] == 0


@pytest.fixture
def parsed():
    return read_plan(build_docx(numbered_with_letter().items), "Sam Carter.docx", date(2026, 3, 1))


def test_import_checks_the_team_and_every_section(session, team, parsed):
    with pytest.raises(InvalidInput, match="The team contains a NUL"):
        import_plan(session, team.lead, parsed, PlanDetails.from_parsed(parsed, team="North\x00"))
    letter = next(iter(parsed.sections))
    too_long = parsed.__class__(
        **{**parsed.__dict__, "sections": {**parsed.sections, letter: "w" * (SECTION_LIMIT + 1)}}
    )
    with pytest.raises(
        InvalidInput,
        match=f"Section {letter} is {SECTION_LIMIT + 1:,} characters long; the limit is",
    ):
        import_plan(session, team.lead, too_long, PlanDetails.from_parsed(parsed))
    session.rollback()
    pasted = parsed.__class__(
        **{**parsed.__dict__, "sections": {**parsed.sections, letter: "one\x0ctwo\x00"[:-1]}}
    )
    plan = import_plan(
        session, team.lead, pasted, PlanDetails.from_parsed(parsed, team=" South\x0b ")
    )
    session.commit()
    stored = session.get(Plan, plan.id)
    assert stored.team == "South" and stored.sections[0].text == "one\ntwo"


def test_the_sample_name_and_the_log_filter_are_checked(session, team):
    from qa_app.services import event_log
    from qa_app.services.sampling import SampleRequest, draw_sample

    with pytest.raises(InvalidInput, match="The sample's name contains a NUL"):
        draw_sample(
            session,
            team.lead,
            SampleRequest(
                name="Spring\x00",
                method="manual",
                rubric_version_id=team.rubric_version_id,
                assignees={"education": [team.edu_1.user_id]},
                plan_ids=(team.plan_id,),
            ),
        )
    with pytest.raises(InvalidInput, match="The record id filter contains a NUL"):
        event_log.read_log(session, team.lead, entity_id="7\x00")


PASTED = "first line\x0bsecond line\x0cthird\x07 line"
STORED = "first line\nsecond line\nthird line"


@pytest.fixture
def finished(session, team, assign, fill):
    """A double-rated pair, both submitted, and its moderation: ``(first, moderation)``."""
    first, second = assign(
        session, team, {"education": [team.edu_1.user_id, team.edu_2.user_id]}, 100
    )
    for actor, audit_id in ((team.edu_1, first), (team.edu_2, second)):
        audits.submit(session, actor, audit_id, expected_version=fill(session, actor, audit_id, 3))
    moderation_id = moderation.start_moderation(session, team.lead, first)
    session.commit()
    return first, moderation_id


def _moderation_version(session, team, moderation_id):
    return moderation.open_moderation(session, team.lead, moderation_id).version


def _strengths(session, team, ids, text):
    audits.reopen(session, team.lead, ids[0], "more to add")
    version = audits.open_audit(session, team.edu_1, ids[0], log_view=False).version
    audits.save_text(session, team.edu_1, ids[0], "strengths", text, expected_version=version)
    return lambda: session.get(Audit, ids[0]).strengths


def _rationale(session, team, ids, text):
    version = _moderation_version(session, team, ids[1])
    moderation.save_agreed_score(
        session, team.lead, ids[1], "a_aspirations", expected_version=version, rationale=text
    )
    return lambda: session.scalar(
        select(ModerationScore.rationale).where(
            ModerationScore.moderation_id == ids[1],
            ModerationScore.criterion_id == "a_aspirations",
        )
    )


def _overall(session, team, ids, text):
    version = _moderation_version(session, team, ids[1])
    moderation.save_overall(session, team.lead, ids[1], expected_version=version, rationale=text)
    return lambda: session.get(Moderation, ids[1]).rationale


def _reopen_reason(session, team, ids, text):
    audits.reopen(session, team.lead, ids[0], text)
    return lambda: session.scalar(
        select(AuditReopening.reason).where(AuditReopening.audit_id == ids[0])
    )


def _new_action(session, team, ids, text):
    return actions.create_action(
        session,
        team.lead,
        ids[0],
        kind="amend_plan",
        description=text,
        owner=actions.Owner(kind="team", team="North"),
        due_date=date(2099, 1, 1),
    )


def _description(session, team, ids, text):
    action_id = _new_action(session, team, ids, text)
    return lambda: session.get(ImprovementAction, action_id).description


def _completion_note(session, team, ids, text):
    action_id = _new_action(session, team, ids, "rewrite outcome two")
    actions.complete_action(session, team.lead, action_id, text)
    return lambda: session.get(ImprovementAction, action_id).completion_note


def _cancel_note(session, team, ids, text):
    action_id = _new_action(session, team, ids, "rewrite outcome two")
    actions.cancel_action(session, team.lead, action_id, text)
    return lambda: session.get(ImprovementAction, action_id).completion_note


def _family_voice(session, team, ids, text):
    family_voice.record_voice(session, team.edu_1, ids[0], "parent_carer", {}, text)
    return lambda: session.scalar(select(FamilyVoice.comment).where(FamilyVoice.audit_id == ids[0]))


def _display_name(session, team, ids, text):
    admin = Actor(user_id=None, display_name="Admin", roles=frozenset({"admin"}))
    user = accounts.add_user(session, admin, "pasted", text, {"training"})
    return lambda: session.get(User, user.id).display_name


TYPED_FIELDS = {
    "strengths": (_strengths, "Strengths", STORED),
    "moderation rationale": (_rationale, "The rationale", STORED),
    "overall rationale": (_overall, "The overall rationale", STORED),
    "reason for reopening": (_reopen_reason, "The reason for reopening", STORED),
    "action description": (_description, "The description", STORED),
    "completion note": (_completion_note, "The completion note", STORED),
    "cancellation note": (_cancel_note, "The completion note", STORED),
    "family voice comment": (_family_voice, "The comment", STORED),
    "person's name": (_display_name, "The person's name", STORED.replace("\n", " ")),
}


@pytest.mark.parametrize("field", TYPED_FIELDS)
def test_every_typed_field_turns_word_breaks_into_lines_and_refuses_nul(
    session, team, finished, field
):
    save, label, stored = TYPED_FIELDS[field]
    with pytest.raises(InvalidInput, match=f"{label} contains a NUL character"):
        save(session, team, finished, "private\x00text")
    session.rollback()
    read = save(session, team, finished, PASTED)
    session.commit()
    session.expire_all()
    assert read() == stored

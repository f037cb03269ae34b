"""The one save path of typed fields (notes, strengths, areas for development,
moderation rationales): the page's save as it is typed and the closing page's beacon."""

from __future__ import annotations

import pytest

from qa_app.services import audits, typed_text
from qa_app.services.errors import InvalidInput, NotFound, StaleVersion
from qa_app.services.typed_text import TypedField
from qa_app.store.models import Audit


def test_a_later_text_from_the_same_person_replaces_their_own_save_still_on_its_way(
    session, team, assign
):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    opened = session.get(Audit, audit_id).version
    strengths = TypedField("text", audit_id, "strengths")
    typed_text.save_typed(session, team.edu_1, strengths, "Clear account", expected_version=opened)
    # The page closes before the save's new version came back: the beacon carries the old one.
    typed_text.save_typed(
        session, team.edu_1, strengths, "Clear account of needs.", expected_version=opened
    )
    session.commit()
    assert session.get(Audit, audit_id).strengths == "Clear account of needs."


def test_someone_elses_save_in_between_still_refuses_the_text(session, team, assign):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    opened = session.get(Audit, audit_id).version
    audits.save_score(
        session, team.lead, audit_id, "a_child_voice", expected_version=opened, level=4
    )
    with pytest.raises(StaleVersion):
        typed_text.save_typed(
            session,
            team.edu_1,
            TypedField("note", audit_id, "a_child_voice"),
            "Mine",
            expected_version=opened,
        )


def test_the_save_checks_the_person_like_any_other(session, team, assign):
    (audit_id,) = assign(session, team, {"education": [team.edu_1.user_id]})
    version = session.get(Audit, audit_id).version
    with pytest.raises(NotFound):
        typed_text.save_typed(
            session,
            team.edu_2,
            TypedField("text", audit_id, "strengths"),
            "Not mine",
            expected_version=version,
        )
    with pytest.raises(InvalidInput):
        TypedField("password", audit_id, "strengths")

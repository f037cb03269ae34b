"""The flags service on a real database: verdicts and plan flags are stored with the
model version, and the change is in the event log."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from qa_app.classifier import load_model
from qa_app.services.access import SYSTEM, Actor
from qa_app.services.errors import PermissionDenied
from qa_app.services.flags import flag_all_plans, flag_plan
from qa_app.settings import Settings
from qa_app.store.models import EventLogEntry, Outcome, Plan

STRONG = [
    "By the end of Year 4, Sam will read 40 of the 45 common exception words correctly in a dictation check.",
    "By July 2027, Sam will ask a peer to join his game at break, with one adult prompt, on three days a week.",
    "Within six months, Sam will fasten his own coat and shoes at home time without adult help.",
    "By the end of Year 4, Sam will write a paragraph of five sentences on his laptop in every English lesson.",
]
WEAK = [
    "Sam will receive speech and language therapy.",
    "Sam will improve his reading.",
    "Sam wants to be a footballer.",
]


def add_plan(session, reference, texts, purged=False):
    plan = Plan(
        reference=reference,
        outcomes=[Outcome(position=i, text=text) for i, text in enumerate(texts)],
        text_purged_at=datetime.now(UTC) if purged else None,
    )
    session.add(plan)
    session.flush()
    return plan


def test_flag_plan_stores_each_verdict_and_the_plan_flag_with_the_model_version(session):
    plan = add_plan(session, "PLN-FLAG0001", STRONG[:2] + WEAK)
    model = load_model()

    assert flag_plan(session, SYSTEM, plan.id) is True
    session.commit()

    stored = session.scalars(
        select(Outcome).where(Outcome.plan_id == plan.id).order_by(Outcome.position)
    ).all()
    assert [o.weak for o in stored] == [False, False, True, True, True]
    assert all(o.model_version == model.version for o in stored)
    assert all(0.0 <= o.p_weak <= 1.0 for o in stored)
    assert "provision_not_outcome" in stored[2].reasons.split(";")
    assert stored[0].reasons == ""
    assert plan.weak_flag is True
    assert plan.weak_flag_model == model.version
    assert plan.weak_flag_reason.startswith("3 of 5 outcomes weak (60%)")


def test_a_plan_of_strong_outcomes_is_not_flagged(session):
    plan = add_plan(session, "PLN-FLAG0002", STRONG)
    assert flag_plan(session, SYSTEM, plan.id) is False
    assert plan.weak_flag is False
    assert plan.weak_flag_reason.startswith("0 of 4 outcomes weak")


def test_short_section_e_is_flagged_even_when_its_outcomes_are_strong(session):
    plan = add_plan(session, "PLN-FLAG0003", STRONG[:2])
    assert flag_plan(session, SYSTEM, plan.id) is True
    assert plan.weak_flag_reason == "section E has 2 outcomes, fewer than 3"


def test_thresholds_are_taken_from_settings(session):
    plan = add_plan(session, "PLN-FLAG0004", STRONG[:3] + WEAK[:1])
    strict = Settings(weak_share_threshold=0.2, weak_mean_p_threshold=0.99, min_outcomes=3)
    lenient = Settings(weak_share_threshold=0.9, weak_mean_p_threshold=0.99, min_outcomes=3)
    assert flag_plan(session, SYSTEM, plan.id, settings=strict) is True
    assert flag_plan(session, SYSTEM, plan.id, settings=lenient) is False


def test_flagging_is_written_to_the_event_log_without_plan_text(session):
    plan = add_plan(session, "PLN-FLAG0005", WEAK)
    flag_plan(session, SYSTEM, plan.id)
    session.commit()
    [entry] = session.scalars(
        select(EventLogEntry).where(
            EventLogEntry.action == "flag", EventLogEntry.entity_id == str(plan.id)
        )
    ).all()
    assert entry.field == "weak_flag"
    assert entry.new_value == "True"
    assert load_model().version in entry.detail
    assert "Sam" not in (entry.detail + (entry.new_value or ""))


def test_flag_all_plans_skips_plans_whose_text_was_purged(session):
    live = [add_plan(session, f"PLN-FLAGA00{i}", texts) for i, texts in enumerate([STRONG, WEAK])]
    purged = add_plan(session, "PLN-FLAGP001", WEAK, purged=True)
    summary = flag_all_plans(session)
    session.commit()
    assert (summary.plans, summary.flagged, summary.skipped_purged) == (2, 1, 1)
    assert [p.weak_flag for p in live] == [False, True]
    assert purged.weak_flag is None
    assert all(o.model_version is None for o in purged.outcomes)


def test_only_staff_who_see_plans_may_flag_them(session):
    plan = add_plan(session, "PLN-FLAG0006", STRONG)
    trainer = Actor(user_id=None, display_name="trainer", roles=frozenset({"training"}))
    with pytest.raises(PermissionDenied):
        flag_plan(session, trainer, plan.id)
    with pytest.raises(PermissionDenied):
        flag_all_plans(session, actor=trainer)
    admin = Actor(user_id=None, display_name="admin", roles=frozenset({"admin"}))
    with pytest.raises(PermissionDenied):
        flag_plan(session, admin, plan.id)

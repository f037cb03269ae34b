"""Auditors' judgements on outcome flags: who may record them, how they are stored and
logged, and how ``train`` turns them into training rows without touching the test split."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.classifier import load_model
from qa_app.classifier.dataset import Dataset, load_dataset
from qa_app.classifier.evaluation import holdout_split
from qa_app.classifier.training import feedback_rows, train
from qa_app.services import rubrics
from qa_app.services.access import OPERATOR, actor_for
from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.services.outcome_feedback import (
    FeedbackExample,
    feedback_examples,
    outcome_flags_for_audit,
    record_judgement,
)
from qa_app.store.models import (
    Audit,
    EventLogEntry,
    Outcome,
    OutcomeJudgement,
    Plan,
    User,
    UserRole,
)

WEAK_TEXT = "Ava will receive speech and language therapy."
STRONG_TEXT = (
    "By the end of Year 5, Ava will ask an adult for help with one word, using her "
    "communication book, in four out of five literacy lessons."
)


def _user(session, name, roles, agency=None):
    user = User(
        username=name,
        display_name=name.title(),
        agency=agency,
        role_rows=[UserRole(role=role) for role in roles],
    )
    session.add(user)
    session.flush()
    return actor_for(user)


def _plan(session, reference, texts):
    plan = Plan(
        reference=reference,
        outcomes=[Outcome(position=i, text=text) for i, text in enumerate(texts)],
    )
    session.add(plan)
    session.flush()
    return plan


def _audit(session, plan, auditor):
    version = rubrics.current_versions(session)[0]
    audit = Audit(
        plan_id=plan.id,
        rubric_version_id=version.id,
        auditor_id=auditor.user_id,
        agency="education",
    )
    session.add(audit)
    session.flush()
    return audit


@pytest.fixture
def world(session):
    auditor = _user(session, "auditor_a", ("auditor",), "education")
    other = _user(session, "auditor_b", ("auditor",), "education")
    lead = _user(session, "lead", ("qa_lead",))
    plan = _plan(session, "PLN-FB0001", [WEAK_TEXT, STRONG_TEXT])
    other_plan = _plan(session, "PLN-FB0002", [WEAK_TEXT])
    audit = _audit(session, plan, auditor)
    session.commit()
    return auditor, other, lead, plan, other_plan, audit


def test_outcomes_without_stored_verdicts_are_classified_on_the_fly(session, world):
    auditor, _, lead, _, _, audit = world
    flags = outcome_flags_for_audit(session, auditor, audit.id)
    assert flags.can_judge
    expected = load_model().classify([WEAK_TEXT, STRONG_TEXT])
    assert [item.flag.verdict for item in flags.outcomes] == expected
    assert [item.flag.verdict.weak for item in flags.outcomes] == [True, False]
    assert {item.flag.model_version for item in flags.outcomes} == {load_model().version}
    assert not outcome_flags_for_audit(session, lead, audit.id).can_judge


def test_a_judgement_is_stored_with_the_flag_and_model_version_and_logged(session, world):
    auditor, _, _, plan, _, audit = world
    weak_outcome, strong_outcome = plan.outcomes
    record_judgement(session, auditor, audit_id=audit.id, outcome_id=weak_outcome.id, agrees=False)
    record_judgement(session, auditor, audit_id=audit.id, outcome_id=weak_outcome.id, agrees=True)
    record_judgement(session, auditor, audit_id=audit.id, outcome_id=strong_outcome.id, agrees=True)
    session.commit()
    stored = session.scalars(select(OutcomeJudgement).order_by(OutcomeJudgement.outcome_id)).all()
    assert [(j.outcome_id, j.flagged_weak, j.agrees) for j in stored] == [
        (weak_outcome.id, True, True),
        (strong_outcome.id, False, True),
    ]
    assert {j.model_version for j in stored} == {load_model().version}
    assert all(j.auditor_id == auditor.user_id and j.judged_at is not None for j in stored)
    logged = session.scalars(
        select(EventLogEntry)
        .where(EventLogEntry.action == "judge_outcome_flag")
        .order_by(EventLogEntry.id)
    ).all()
    assert [(e.entity_id, e.old_value, e.new_value) for e in logged] == [
        (str(weak_outcome.id), None, "False"),
        (str(weak_outcome.id), "False", "True"),
        (str(strong_outcome.id), None, "True"),
    ]
    flags = outcome_flags_for_audit(session, auditor, audit.id)
    assert [item.agrees for item in flags.outcomes] == [True, True]


def test_only_the_audits_own_auditor_may_judge_and_only_its_plans_outcomes(session, world):
    auditor, other, lead, plan, other_plan, audit = world
    outcome_id = plan.outcomes[0].id
    with pytest.raises(PermissionDenied):
        record_judgement(session, other, audit_id=audit.id, outcome_id=outcome_id, agrees=True)
    with pytest.raises(PermissionDenied):
        record_judgement(session, lead, audit_id=audit.id, outcome_id=outcome_id, agrees=True)
    with pytest.raises(PermissionDenied):
        outcome_flags_for_audit(session, other, audit.id)
    with pytest.raises(InvalidInput):
        record_judgement(
            session, auditor, audit_id=audit.id, outcome_id=other_plan.outcomes[0].id, agrees=True
        )
    assert session.scalar(select(OutcomeJudgement.id)) is None


def test_disagreeing_flips_the_label_and_ties_are_left_out(session, world):
    auditor, other, _, plan, _, audit = world
    weak_outcome, strong_outcome = plan.outcomes
    record_judgement(session, auditor, audit_id=audit.id, outcome_id=weak_outcome.id, agrees=False)
    record_judgement(
        session, auditor, audit_id=audit.id, outcome_id=strong_outcome.id, agrees=False
    )
    second_audit = _audit(session, plan, other)
    record_judgement(
        session, other, audit_id=second_audit.id, outcome_id=strong_outcome.id, agrees=True
    )
    session.commit()
    examples = feedback_examples(session, OPERATOR)
    assert examples == [FeedbackExample(WEAK_TEXT, weak=False)]
    with pytest.raises(PermissionDenied):
        feedback_examples(session, auditor)


def test_feedback_never_reaches_the_test_split():
    dataset = load_dataset()
    _, test_rows = holdout_split(dataset, 1)
    test = dataset.subset(test_rows)
    repeated = test.rows[0].text
    feedback = [
        FeedbackExample(f"  {repeated.upper()}  ", weak=not test.rows[0].weak),
        FeedbackExample(WEAK_TEXT, weak=False),
    ]
    rows = feedback_rows(feedback, test)
    assert [(row.text, row.weak, row.reasons) for row in rows] == [(WEAK_TEXT, False, ())]


def test_training_with_feedback_keeps_the_held_out_rows_and_changes_the_version():
    full = load_dataset()
    # A small slice keeps the test quick; the split logic is the same.
    dataset = Dataset(full.rows[:240], full.sha256)
    plain = train(dataset, seed=3, folds=2)
    flipped = [
        FeedbackExample(row.text + " Every week.", weak=not row.weak) for row in dataset.rows[:5]
    ]
    test_text = next(row.text for row in dataset.rows if row.id in set(plain.metadata["test_ids"]))
    with_feedback = train(
        dataset, seed=3, folds=2, feedback=[*flipped, FeedbackExample(test_text, weak=True)]
    )
    assert with_feedback.metadata["test_ids"] == plain.metadata["test_ids"]
    assert with_feedback.metadata["n_feedback"] == 5
    assert with_feedback.metadata["n_train"] == plain.metadata["n_train"] + 5
    assert with_feedback.version != plain.version
    assert "n_feedback" not in plain.metadata

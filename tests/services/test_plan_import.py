"""Saving a plan read from Word: permission, confirmed metadata, pseudonymous storage."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from qa_app.classifier import load_model, plan_flag_from_settings
from qa_app.ingest import read_plan
from qa_app.services.access import Actor
from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.services.plan_checks import checks_flag, thread_of_reading
from qa_app.services.plan_import import PlanDetails, import_plan, read_uploads
from qa_app.settings import Settings
from qa_app.store.models import EventLogEntry, Plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import numbered_with_letter

LEAD = Actor(user_id=None, display_name="Lead", roles=frozenset({"qa_lead"}))
AUDITOR = Actor(
    user_id=None, display_name="Auditor", roles=frozenset({"auditor"}), agency="education"
)


@pytest.fixture
def parsed():
    return read_plan(build_docx(numbered_with_letter().items), "Sam Carter.docx", date(2026, 3, 1))


def test_import_stores_sections_outcomes_provision_and_confirmed_metadata(session, parsed):
    details = PlanDetails.from_parsed(parsed, primary_need="ASD", plan_type="new", team="South")
    plan = import_plan(session, LEAD, parsed, details)
    session.commit()

    stored = session.scalar(select(Plan).where(Plan.id == plan.id))
    assert stored.reference.startswith("PLN-") and "Sam" not in stored.reference
    assert stored.source == "import"
    assert (
        stored.year_group,
        stored.key_stage,
        stored.primary_need,
        stored.plan_type,
        stored.team,
    ) == (10, "KS4", "ASD", "new", "South")
    assert [s.letter for s in stored.sections] == list(parsed.sections)
    assert [s.text for s in stored.sections] == list(parsed.sections.values())
    assert [(o.text, o.area, o.timescale) for o in stored.outcomes] == [
        (o.text, o.area, o.timescale) for o in parsed.outcomes
    ]
    assert [(p.section, p.text) for p in stored.provision] == [
        (p.section, p.text) for p in parsed.provision
    ]
    assert [o.steps for o in stored.outcomes] == [None] * len(parsed.outcomes)
    assert [o.need_area for o in stored.outcomes] == [o.need_area for o in parsed.outcomes]
    assert all("Sam" not in s.text for s in stored.sections)


def test_import_classifies_every_outcome_and_flags_the_plan_in_the_same_transaction(
    session, parsed
):
    plan = import_plan(session, LEAD, parsed, PlanDetails.from_parsed(parsed))
    session.commit()
    stored = session.scalar(select(Plan).where(Plan.id == plan.id))
    model = load_model()
    expected = model.classify(
        [o.text for o in parsed.outcomes], [o.timescale for o in parsed.outcomes]
    )
    assert [(o.weak, o.p_weak, o.reasons, o.model_version) for o in stored.outcomes] == [
        (v.weak, round(v.p_weak, 4), v.reasons_text, model.version) for v in expected
    ]
    outcome_flag = plan_flag_from_settings(expected, Settings())
    checks = checks_flag(stored.provision, thread_of_reading(parsed), Settings())
    assert stored.weak_flag is (outcome_flag.flagged or checks.flagged)
    assert stored.weak_flag_reason == "; ".join([outcome_flag.reason, *checks.reasons])
    assert stored.weak_flag_model == model.version
    flagged = session.scalar(select(EventLogEntry).where(EventLogEntry.action == "flag"))
    assert flagged.entity_id == str(plan.id)


def test_a_plan_of_weak_outcomes_is_flagged_at_import(session):
    weak = read_plan(
        build_docx(
            [
                ("heading", 1, "Section E: Outcomes"),
                ("bullet", "Sam will receive speech and language therapy."),
                ("bullet", "Sam will be supported to make progress."),
                ("bullet", "Sam will have access to a quiet room."),
            ]
        ),
        "weak.docx",
        date(2026, 3, 1),
    )
    plan = import_plan(session, LEAD, weak, PlanDetails.from_parsed(weak))
    session.commit()
    assert plan.weak_flag is True
    assert all(o.weak for o in plan.outcomes) and all(o.reasons for o in plan.outcomes)


def test_import_is_logged_without_plan_text_or_file_name(session, parsed):
    plan = import_plan(session, LEAD, parsed, PlanDetails.from_parsed(parsed))
    session.commit()
    entry = session.scalar(select(EventLogEntry).where(EventLogEntry.action == "import"))
    assert entry.entity == "plan" and entry.entity_id == str(plan.id)
    assert plan.reference in entry.detail
    assert "Carter" not in entry.detail and "docx" not in entry.detail


def test_auditors_may_not_import(session, parsed):
    with pytest.raises(PermissionDenied):
        import_plan(session, AUDITOR, parsed, PlanDetails.from_parsed(parsed))
    assert session.scalar(select(Plan).where(Plan.source == "import")) is None


@pytest.mark.parametrize(
    "change",
    [
        {"primary_need": "DYSLEXIA"},
        {"setting_type": "castle"},
        {"year_group": 30},
        {"plan_type": "draft"},
        {"key_stage": "KS9"},
        {"age_at_audit": 40},
    ],
)
def test_unknown_metadata_values_are_refused(session, parsed, change):
    with pytest.raises(InvalidInput):
        import_plan(session, LEAD, parsed, PlanDetails.from_parsed(parsed, **change))


def test_key_stage_follows_a_corrected_year_group(session, parsed):
    plan = import_plan(
        session, LEAD, parsed, PlanDetails.from_parsed(parsed, year_group=3, key_stage=None)
    )
    assert plan.key_stage == "KS2"


def test_read_uploads_opens_a_zip_and_refuses_bad_files_one_by_one(parsed):
    good = build_docx(numbered_with_letter().items)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as upload:
        upload.writestr("batch/one.docx", good)
        upload.writestr("batch/two.docx", b"%PDF-1.4")
    seen = []
    results = read_uploads(
        [("single.docx", good), ("batch.zip", archive.getvalue()), ("broken.zip", b"nope")],
        date(2026, 3, 1),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [(r.name, r.plan is not None, r.reason) for r in results] == [
        ("single.docx", True, None),
        ("one.docx", True, None),
        ("two.docx", False, "not a .docx file (it is a PDF)"),
        ("broken.zip", False, "not a zip archive, or a corrupt one"),
    ]
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert results[0].plan.to_json() == parsed.to_json() | {"file": "single.docx"}

"""Annual-review audits: the rubric validates and holds the Code of Practice timescales;
a QA lead assigns one on a plan imported from Word; its auditor completes it; and the
dashboard's annual-review slice counts it, apart from the plan audits."""

from __future__ import annotations

from datetime import date

import pytest

from qa_app.benchmarks import workload
from qa_app.cli import main
from qa_app.domain.rubric import load_rubric_text
from qa_app.ingest import read_plan
from qa_app.services import audits, rubrics
from qa_app.services.access import actor_for
from qa_app.services.dashboard import DashboardFilters, dashboard_data
from qa_app.services.errors import InvalidInput
from qa_app.services.plan_import import PlanDetails, import_plan
from qa_app.services.review_dashboard import review_slice
from qa_app.services.sampling import SampleRequest, choose_plans, draw_sample
from qa_app.settings import PROJECT_ROOT, Settings
from qa_app.store.models import User, UserRole
from tests.ingest.plan_builder import build_docx
from tests.services.test_plan_checks import PLAN

RUBRIC_FILE = PROJECT_ROOT / "rubrics" / "annual_review.yaml"


def _rubric():
    return load_rubric_text(RUBRIC_FILE.read_text(encoding="utf-8"), "annual_review.yaml")


def test_rubric_check_accepts_the_annual_review_rubric_and_names_its_kind(capsys):
    assert main(["rubric", "check", str(RUBRIC_FILE)]) == 0
    line = capsys.readouterr().out.strip()
    assert ": ok: annual_review v1.0" in line and line.endswith("kind annual_review")


def test_annual_review_rubric_covers_the_timescales_and_the_content():
    rubric = _rubric()
    assert rubric.kind == "annual_review" and rubric.kind_label == "Annual-review audit"
    timeliness = [c for c in rubric.criteria if c.section == "timeliness"]
    words = " ".join(c.question for c in timeliness)
    for phrase in ("two weeks before", "two weeks before the meeting", "four weeks", "eight weeks"):
        assert phrase in words
    assert any(c.allow_na for c in timeliness), "an unamended plan has no amended plan to issue"
    content = {c.id: c for c in rubric.criteria if c.section == "content"}
    assert {"ar_child_views", "ar_family_views", "ar_pfa"} <= set(content)
    assert not content["ar_pfa"].applies_to({"year_group": 8})
    assert content["ar_pfa"].applies_to({"year_group": 9})


def test_a_rubric_of_an_unknown_kind_is_refused_with_its_line():
    text = RUBRIC_FILE.read_text(encoding="utf-8").replace("kind: annual_review", "kind: tribunal")
    with pytest.raises(ValueError, match=r"annual_review.yaml:\d+: kind"):
        load_rubric_text(text, "annual_review.yaml")


def _people(session):
    made = {}
    for name, role, agency in (("lead_r", "qa_lead", None), ("auditor_r", "auditor", "education")):
        user = User(
            username=name, display_name=name.title(), agency=agency, role_rows=[UserRole(role=role)]
        )
        session.add(user)
        session.flush()
        made[name] = actor_for(user)
    return made["lead_r"], made["auditor_r"]


def _import(session, lead, plan_type: str, year_group: int):
    parsed = read_plan(build_docx(PLAN), "review.docx", date(2026, 3, 1))
    return import_plan(
        session,
        lead,
        parsed,
        PlanDetails.from_parsed(parsed, year_group=year_group, plan_type=plan_type, team="North"),
    )


def _review_version(session):
    return next(v for v in rubrics.current_versions(session) if v.rubric_key == "annual_review")


def test_an_annual_review_audit_is_assigned_completed_and_counted_on_an_imported_plan(session):
    lead, auditor = _people(session)
    review_plan = _import(session, lead, "annual_review", year_group=10)
    new_plan = _import(session, lead, "new", year_group=10)
    version = _review_version(session)
    assert rubrics.current_versions(session)[0].rubric_key == "ehcp_core", (
        "plan rubrics are offered first"
    )

    drawn_from = choose_plans(
        session,
        lead,
        SampleRequest(
            name="r", method="random", size=1, seed=1, rubric_version_id=version.id, assignees={}
        ),
    )
    assert drawn_from == [review_plan.id], "only plans from an annual review are drawn"
    with pytest.raises(InvalidInput, match="new plans"):
        choose_plans(
            session,
            lead,
            SampleRequest(
                name="r",
                method="manual",
                plan_ids=(new_plan.id,),
                rubric_version_id=version.id,
                assignees={},
            ),
        )

    drawn = draw_sample(
        session,
        lead,
        SampleRequest(
            name="Review audit",
            method="manual",
            plan_ids=(review_plan.id,),
            rubric_version_id=version.id,
            assignees={"education": [auditor.user_id]},
        ),
    )
    session.commit()
    (audit_id,) = drawn.audit_ids
    view = audits.open_audit(session, auditor, audit_id)
    assert view.rubric.kind == "annual_review"
    assert "ar_pfa" in {c.id for c in view.criteria}, "Year 10: preparing for adulthood is asked"
    workload.fill(session, auditor, audit_id, 3)
    session.commit()
    view = audits.open_audit(session, auditor, audit_id)
    audits.submit(session, auditor, audit_id, expected_version=view.version)
    session.commit()

    found = review_slice(session, lead, DashboardFilters())
    assert found.reviews == 1
    assert list(found.criteria["criterion_id"]) == [c.id for c in view.criteria if not c.allow_na]
    assert found.criteria["suppressed"].all(), "one review is too few to show"
    plan_dashboard = dashboard_data(session, lead, DashboardFilters(rubric_key="ehcp_core"))
    assert plan_dashboard.headlines[0].value == 0, (
        "annual-review audits do not count as plan audits"
    )


def test_the_slice_shows_shares_once_enough_reviews_stand_behind_them(session):
    lead, auditor = _people(session)
    plan = _import(session, lead, "annual_review", year_group=6)
    version = _review_version(session)
    (audit_id,) = draw_sample(
        session,
        lead,
        SampleRequest(
            name="Review audit",
            method="manual",
            plan_ids=(plan.id,),
            rubric_version_id=version.id,
            assignees={"education": [auditor.user_id]},
        ),
    ).audit_ids
    workload.fill(session, auditor, audit_id, 2)
    audits.submit(
        session,
        auditor,
        audit_id,
        expected_version=audits.open_audit(session, auditor, audit_id).version,
    )
    session.commit()
    every_figure = Settings(suppression_size=1)
    table = review_slice(session, lead, settings=every_figure).criteria.set_index("criterion_id")
    assert "ar_pfa" not in table.index, "a Year 6 review is not asked about adulthood"
    scored = table[table["n"] > 0]
    assert (scored["share"] == 0.0).all() and not scored["suppressed"].any()

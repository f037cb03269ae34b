"""The Import plans page: refused files shown with their reason, metadata confirmed, saved."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa_app.services.access import Actor
from qa_app.services.plan_import import read_uploads
from qa_app.store.engine import session_factory
from qa_app.store.models import Plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import heading_styles

LEAD = Actor(user_id=None, display_name="Lead", roles=frozenset({"qa_lead"}))
AUDITOR = Actor(
    user_id=None, display_name="Auditor", roles=frozenset({"auditor"}), agency="education"
)


@pytest.fixture
def database(sqlite_url, point_app_at):
    point_app_at(sqlite_url)
    return sqlite_url


def test_auditors_are_told_they_cannot_import(database, run_page):
    at = run_page("import_plan", AUDITOR)
    assert not at.exception
    assert at.info[0].value == "Only QA leads can import plans."


def test_a_demo_database_refuses_imports_and_says_how_to_start_for_real(
    demo_sqlite_url, point_app_at, run_page
):
    point_app_at(demo_sqlite_url)
    results = read_uploads([("good.docx", build_docx(heading_styles().items))], date(2026, 3, 1))
    at = run_page("import_plan", LEAD, state={"import_results": results})
    assert not at.exception
    assert "demo database" in at.warning[0].value and "qa-app db upgrade" in at.warning[0].value
    assert not at.button and not at.get("file_uploader")
    with session_factory(demo_sqlite_url)() as session:
        assert session.scalars(select(Plan).where(Plan.source == "import")).all() == []


def test_review_shows_refusals_and_saves_confirmed_metadata(database, run_page):
    results = read_uploads(
        [("good.docx", build_docx(heading_styles().items)), ("fake.docx", b"%PDF-1.4")],
        date(2026, 3, 1),
    )
    at = run_page("import_plan", LEAD, state={"import_results": results})
    assert not at.exception
    assert at.subheader[0].value == "1 of 2 files read"
    assert (
        at.error[0].value.replace("\\", "") == "fake.docx: refused: not a .docx file (it is a PDF)"
    )  # shown escaped
    assert at.selectbox(key="import_year_0").value == 5
    assert at.selectbox(key="import_need_0").value == "ASD"

    at.selectbox(key="import_need_0").select("SLCN")
    at.text_input(key="import_team_0").input("East")
    at.button(key="import_save_0").click()
    at.run()
    assert not at.exception
    confirmation = at.success[0].value.replace("\\", "")  # shown escaped
    assert confirmation.startswith("Saved good.docx as plan **PLN-")
    assert "**, with 3 outcomes. " in confirmation
    with session_factory(database)() as session:
        plan = session.scalar(select(Plan).where(Plan.source == "import"))
        assert (plan.primary_need, plan.team, plan.year_group, plan.key_stage) == (
            "SLCN",
            "East",
            5,
            "KS2",
        )
        assert len(plan.outcomes) == 3


def test_a_new_version_is_saved_under_the_reference_given_and_an_unknown_one_stores_nothing(
    database, run_page
):
    results = read_uploads([("amended.docx", build_docx(heading_styles().items))], date(2026, 3, 1))
    first = run_page("import_plan", LEAD, state={"import_results": results})
    first.text_input(key="import_team_0").input("North")
    first.button(key="import_save_0").click().run()
    with session_factory(database)() as session:
        (earlier,) = session.scalars(select(Plan)).all()
        reference = earlier.reference

    at = run_page("import_plan", LEAD, state={"import_results": results})
    at.text_input(key="import_version_of_0").input("Sam Carter")  # the child's name
    at.button(key="import_save_0").click().run()
    assert "No plan has the reference SAM CARTER, so nothing was stored" in at.error[0].value
    at.text_input(key="import_version_of_0").input(reference.lower())
    at.button(key="import_save_0").click().run()
    assert not at.exception
    assert f"Version 2 of the case of {reference}." in at.success[0].value.replace("\\", "")
    with session_factory(database)() as session:
        plans = session.scalars(select(Plan).order_by(Plan.id)).all()
        assert [(p.case_plan_id, p.version_number, p.team) for p in plans] == [
            (None, 1, "North"),
            (earlier.id, 2, "North"),
        ]

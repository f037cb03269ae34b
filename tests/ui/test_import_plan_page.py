"""The Import plans page: refused files shown with their reason, metadata confirmed, saved."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa_app.services.access import Actor
from qa_app.services.plan_import import read_uploads
from qa_app.settings import get_settings
from qa_app.store.engine import session_factory
from qa_app.store.models import Plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import heading_styles

LEAD = Actor(user_id=None, display_name="Lead", roles=frozenset({"qa_lead"}))
AUDITOR = Actor(user_id=None, display_name="Auditor", roles=frozenset({"auditor"}), agency="education")


def page_script():
    from qa_app.ui.pages import import_plan

    import_plan.render()


@pytest.fixture
def database(sqlite_url, monkeypatch):
    monkeypatch.setenv("QA_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("QA_DEMO", "0")
    get_settings.cache_clear()
    yield sqlite_url
    get_settings.cache_clear()


def run_page(who, results=None) -> AppTest:
    at = AppTest.from_function(page_script, default_timeout=30)
    at.session_state["actor"] = who
    if results is not None:
        at.session_state["import_results"] = results
    return at.run()


def test_auditors_are_told_they_cannot_import(database):
    at = run_page(AUDITOR)
    assert not at.exception
    assert at.info[0].value == "Only QA leads can import plans."


def test_review_shows_refusals_and_saves_confirmed_metadata(database):
    results = read_uploads(
        [("good.docx", build_docx(heading_styles().items)), ("fake.docx", b"%PDF-1.4")], date(2026, 3, 1)
    )
    at = run_page(LEAD, results)
    assert not at.exception
    assert at.subheader[0].value == "1 of 2 files read"
    assert at.error[0].value == "fake.docx: refused: not a .docx file (it is a PDF)"
    assert at.selectbox(key="import_year_0").value == 5
    assert at.selectbox(key="import_need_0").value == "ASD"

    at.selectbox(key="import_need_0").select("SLCN")
    at.text_input(key="import_team_0").input("East")
    at.button(key="import_save_0").click()
    at.run()
    assert not at.exception
    assert at.success[0].value.startswith("Saved as PLN-")
    with session_factory(database)() as session:
        plan = session.scalar(select(Plan).where(Plan.source == "import"))
        assert (plan.primary_need, plan.team, plan.year_group, plan.key_stage) == ("SLCN", "East", 5, "KS2")
        assert len(plan.outcomes) == 3

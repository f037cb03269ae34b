"""A NUL typed into the sign-in username or the Plans "Reference contains" filter gets a
plain message on the page, on SQLite and PostgreSQL, never a database error."""

from __future__ import annotations

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from qa_app.services.access import Actor
from qa_app.settings import PROJECT_ROOT
from qa_app.store.engine import session_factory
from qa_app.store.models import EventLogEntry

APP = str(PROJECT_ROOT / "qa_app" / "ui_script.py")
LEAD = Actor(user_id=None, display_name="Lead", roles=frozenset({"qa_lead"}))


def test_a_nul_in_the_sign_in_username_is_a_message_and_a_logged_failure(
    db_url, point_app_at, configuration
):
    point_app_at(db_url)
    at = configuration.hand_to(AppTest.from_file(APP, default_timeout=60)).run()
    at.text_input[0].input("admin\x00")
    at.text_input[1].input("a password of some length")
    at = at.button[0].click().run()
    assert not at.exception
    assert any("NUL character" in error.value for error in at.error)
    with session_factory(db_url)() as session:
        failures = session.scalar(
            select(func.count())
            .select_from(EventLogEntry)
            .where(EventLogEntry.action == "sign_in_failed")
        )
    assert failures == 1


def test_a_nul_in_the_reference_filter_is_a_message(db_url, point_app_at, run_page):
    point_app_at(db_url)
    at = run_page("plans", LEAD)
    at.text_input[0].input("PLN\x00").run()
    assert not at.exception
    assert [error.value for error in at.error] == [
        (
            "The reference filter contains a NUL character (often pasted from another program), which cannot be "
            "stored. Remove it and try again."
        )
    ]

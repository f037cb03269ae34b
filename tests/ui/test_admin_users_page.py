"""The User accounts page: after adding an account the form starts empty and the
confirmation says what was created; "Signs in with" names single sign-on only where it
is set up."""

from __future__ import annotations

from qa_app.services import accounts
from qa_app.services.access import OPERATOR, actor_for
from qa_app.store.engine import session_factory


def _admin(url: str):
    with session_factory(url)() as session:
        user = accounts.add_user(
            session, OPERATOR, "ada", "Ada Admin", {"admin"}, password="a long admin password"
        )
        accounts.add_user(
            session, OPERATOR, "sso.only", "Sam Single", {"training"}, email="sam@council.gov.uk"
        )
        session.commit()
        return actor_for(user)


def test_adding_an_account_clears_the_form_and_confirms_what_was_created(
    sqlite_url, point_app_at, run_page
):
    point_app_at(sqlite_url)
    at = run_page("admin_users", _admin(sqlite_url))
    assert not at.exception
    at.text_input(key="new_username").input("Jo.Smith")
    at.text_input(key="new_name").input("Jo Smith")
    at.multiselect(key="new_roles").select("auditor")
    at.selectbox(key="new_agency").select("education")
    at.text_input(key="new_password").input("a long enough password")
    at.text_input(key="new_repeat").input("a long enough password")
    at = next(b for b in at.button if b.label == "Add account").click().run()
    assert not at.exception
    assert (
        at.success[0].value
        == "Added jo.smith (Jo Smith): Auditor in Education; signs in with a password."
    )
    assert at.text_input(key="new_username").value == ""
    assert at.text_input(key="new_name").value == ""
    assert at.multiselect(key="new_roles").value == []
    assert at.selectbox(key="new_agency").value is None
    table = at.dataframe[0].value.set_index("Username")
    assert table.loc["jo.smith", "Roles"] == "Auditor"
    # No single sign-on is configured here: an email alone does not let anyone sign in.
    assert table.loc["sso.only", "Signs in with"] == "none: single sign-on is not set up"
    assert table.loc["ada", "Signs in with"] == "password"


def test_a_refused_account_keeps_what_was_typed(sqlite_url, point_app_at, run_page):
    point_app_at(sqlite_url)
    at = run_page("admin_users", _admin(sqlite_url))
    at.text_input(key="new_username").input("short")
    at.text_input(key="new_name").input("Short Password")
    at.multiselect(key="new_roles").select("training")
    at.text_input(key="new_password").input("tiny")
    at.text_input(key="new_repeat").input("tiny")
    at = next(b for b in at.button if b.label == "Add account").click().run()
    assert at.error
    assert at.text_input(key="new_username").value == "short"
    assert at.multiselect(key="new_roles").value == ["training"]

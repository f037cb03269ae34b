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
    assert at.selectbox(key="new_agency").index == 0  # "None"
    table = at.dataframe[0].value.set_index("Username")
    assert table.loc["jo.smith", "Roles"] == "Auditor"
    # No single sign-on is configured here: an email alone does not let anyone sign in.
    assert table.loc["sso.only", "Signs in with"] == "none: single sign-on is not set up"
    assert table.loc["ada", "Signs in with"] == "password"


def _fill_new_account(at, *, username="jo.smith", password="a long enough password", repeat=None):
    at.text_input(key="new_username").input(username)
    at.text_input(key="new_name").input("Jo Smith")
    at.multiselect(key="new_roles").select("auditor").select("qa_lead")
    at.selectbox(key="new_agency").select("social_care")
    at.text_input(key="new_email").input("jo@council.gov.uk")
    at.text_input(key="new_password").input(password)
    at.text_input(key="new_repeat").input(password if repeat is None else repeat)
    return next(b for b in at.button if b.label == "Add account").click().run()


def _kept_all_but_the_passwords(at) -> None:
    assert at.text_input(key="new_username").value == "jo.smith"
    assert at.text_input(key="new_name").value == "Jo Smith"
    assert at.multiselect(key="new_roles").value == ["auditor", "qa_lead"]
    assert at.selectbox(key="new_agency").value == "social_care"
    assert at.text_input(key="new_email").value == "jo@council.gov.uk"
    assert at.text_input(key="new_password").value == ""
    assert at.text_input(key="new_repeat").value == ""


def _add_panel(at):
    (panel,) = [e for e in at.expander if e.label == "Add an account"]
    return panel


def test_a_refused_account_keeps_what_was_typed_beside_the_form(sqlite_url, point_app_at, run_page):
    point_app_at(sqlite_url)
    at = run_page("admin_users", _admin(sqlite_url))
    at = _fill_new_account(at, password="tiny")
    assert not at.exception
    (refusal,) = _add_panel(at).error
    assert refusal.value == (
        "A password needs at least 12 characters. "
        "The password fields were cleared: type the password again."
    )
    _kept_all_but_the_passwords(at)

    at = _fill_new_account(at, repeat="a different password")
    assert _add_panel(at).error[0].value == (
        "The two passwords differ. The password fields were cleared: type the password again."
    )
    _kept_all_but_the_passwords(at)

    at = _fill_new_account(at, username="ada")
    assert (
        _add_panel(at)
        .error[0]
        .value.startswith("An account with that username or email address already exists.")
    )
    assert at.text_input(key="new_username").value == "ada"
    assert at.multiselect(key="new_roles").value == ["auditor", "qa_lead"]


def test_the_page_speaks_in_labels_not_codes(sqlite_url, point_app_at, run_page):
    point_app_at(sqlite_url)
    at = run_page("admin_users", _admin(sqlite_url))
    at.text_input(key="new_username").input("no.agency")
    at.text_input(key="new_name").input("No Agency")
    at.multiselect(key="new_roles").select("auditor")
    at = next(b for b in at.button if b.label == "Add account").click().run()
    assert _add_panel(at).error[0].value == (
        "An auditor needs an agency: Education, Health or Social care."
    )
    assert at.multiselect(key="new_roles").options == ["Auditor", "QA lead", "Training", "Admin"]
    assert at.selectbox(key="new_agency").options == ["None", "Education", "Health", "Social care"]

    at = _fill_new_account(at)
    assert _add_panel(at).success[0].value == (
        "Added jo.smith (Jo Smith): Auditor, QA lead in Social care; "
        "signs in with a password and single sign-on as jo@council.gov.uk."
    )
    assert at.dataframe[0].value.set_index("Username").loc["jo.smith", "Agency"] == "Social care"
    at = next(s for s in at.selectbox if s.label == "Account").select("jo.smith").run()
    at.multiselect(key="edit_jo.smith_roles").unselect("qa_lead")
    at = next(b for b in at.button if b.label == "Save roles").click().run()
    assert at.success[0].value == "Saved the roles of jo.smith: Auditor in Social care."
    shown = [e.value for e in (*at.markdown, *at.caption, *at.success, *at.error)]
    shown += [str(v) for v in at.dataframe[0].value.to_numpy().ravel()]
    for code in ("social_care", "qa_lead"):
        assert not [text for text in shown if code in str(text)]

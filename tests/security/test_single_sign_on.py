"""Single sign-on: an identity is matched to an account by subject, then email; roles
come from the users table or, when configured, from a claim."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_app.services import accounts
from qa_app.services.access import OPERATOR
from qa_app.services.accounts import Identity
from qa_app.store.models import EventLogEntry, User


@pytest.fixture
def lead(session) -> User:
    user = accounts.add_user(
        session, OPERATOR, "lena", "Lena Lead", {"qa_lead"}, email="Lena.Lead@council.gov.uk"
    )
    session.commit()
    return user


def test_first_sign_in_matches_email_and_binds_the_subject(session, lead):
    result = accounts.sign_in_with_identity(
        session, Identity(subject="entra-123", email="lena.lead@COUNCIL.gov.uk")
    )
    assert result.ok and result.actor.user_id == lead.id and result.actor.roles == {"qa_lead"}
    assert lead.oidc_subject == "entra-123"
    again = accounts.sign_in_with_identity(
        session, Identity(subject="entra-123", email="renamed@council.gov.uk")
    )
    assert again.actor.user_id == lead.id


def test_an_email_already_bound_to_another_subject_is_not_taken_over(session, lead):
    accounts.sign_in_with_identity(
        session, Identity(subject="entra-123", email="lena.lead@council.gov.uk")
    )
    other = accounts.sign_in_with_identity(
        session, Identity(subject="someone-else", email="lena.lead@council.gov.uk")
    )
    assert not other.ok
    assert (
        session.scalars(select(EventLogEntry.action).order_by(EventLogEntry.id.desc())).first()
        == "sign_in_failed"
    )


def test_people_without_an_account_are_refused_without_logging_their_email(session, lead):
    result = accounts.sign_in_with_identity(
        session, Identity(subject="x", email="stranger@elsewhere.org")
    )
    assert not result.ok and "not set up" in result.message
    details = " ".join(str(e.detail) for e in session.scalars(select(EventLogEntry)))
    assert "stranger" not in details


def test_disabled_accounts_are_refused(session, lead):
    accounts.add_user(session, OPERATOR, "root", "Root", {"admin"}, password="operator password")
    accounts.disable_user(session, OPERATOR, "lena")
    assert not accounts.sign_in_with_identity(
        session, Identity(subject=None, email="lena.lead@council.gov.uk")
    ).ok


def test_a_role_claim_creates_the_account_and_keeps_roles_in_step(session):
    first = accounts.sign_in_with_identity(
        session,
        Identity(
            subject="s-9",
            email="dco@nhs.net",
            name="Dana DCO",
            claim_roles=("auditor",),
            claim_agency="health",
        ),
    )
    assert first.ok and first.actor.roles == {"auditor"} and first.actor.agency == "health"
    later = accounts.sign_in_with_identity(
        session,
        Identity(subject="s-9", email="dco@nhs.net", claim_roles=("qa_lead", "Other.App.Role")),
    )
    assert later.actor.user_id == first.actor.user_id and later.actor.roles == {"qa_lead"}


def test_a_role_claim_without_any_of_our_roles_is_refused(session, lead):
    result = accounts.sign_in_with_identity(
        session, Identity(subject="s", email="lena.lead@council.gov.uk", claim_roles=("Reader",))
    )
    assert not result.ok and "no role" in result.message


def test_an_auditor_claim_without_an_agency_is_refused(session):
    result = accounts.sign_in_with_identity(
        session, Identity(subject="s-1", email="a@b.org", claim_roles=("auditor",))
    )
    assert not result.ok
    assert session.scalar(select(User).where(User.email == "a@b.org")) is None


def test_demo_accounts_never_sign_in_through_single_sign_on(session):
    from qa_app.services.demo import ensure_demo_users

    ensure_demo_users(session)
    session.scalar(select(User).where(User.username == "demo_qa_lead")).email = "demo@example.org"
    assert not accounts.sign_in_with_identity(
        session, Identity(subject=None, email="demo@example.org")
    ).ok

"""Local accounts: argon2 hashes, sign-in, lockout, admin-only changes, all logged
without a password anywhere in the log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from qa_app.services import accounts, lockout
from qa_app.services.access import OPERATOR, Actor, actor_for
from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.store.models import EventLogEntry, User

PASSWORD = "a long enough secret"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def log_rows(session) -> list[EventLogEntry]:
    return list(session.scalars(select(EventLogEntry).order_by(EventLogEntry.id)))


def log_text(session) -> str:
    return "\n".join(
        " ".join(
            str(v)
            for v in (
                e.actor_name,
                e.action,
                e.entity,
                e.entity_id,
                e.field,
                e.old_value,
                e.new_value,
                e.detail,
            )
        )
        for e in log_rows(session)
    )


@pytest.fixture
def admin(session) -> Actor:
    user = accounts.add_user(session, OPERATOR, "ada", "Ada Admin", {"admin"}, password=PASSWORD)
    session.commit()
    return actor_for(user)


def test_passwords_are_stored_as_argon2_hashes_and_never_logged(session, admin):
    accounts.add_user(
        session,
        admin,
        "Bea",
        "Bea Auditor",
        {"auditor"},
        agency="health",
        password="bea's own password",
    )
    user = session.scalar(select(User).where(User.username == "bea"))
    assert user.password_hash.startswith("$argon2id$")
    assert "bea's own password" not in user.password_hash
    assert accounts.sign_in(session, "BEA ", "bea's own password", now=NOW).ok
    assert not accounts.sign_in(session, "bea", "a wrong password!", now=NOW).ok
    accounts.reset_password(session, admin, "bea", "a brand new password")
    text = log_text(session)
    for secret in (PASSWORD, "bea's own password", "a wrong password!", "a brand new password"):
        assert secret not in text
    assert [e.action for e in log_rows(session)][-3:] == ["sign_in", "sign_in_failed", "update"]


def test_sign_in_returns_the_actor_with_roles_and_agency(session, admin):
    accounts.add_user(
        session, admin, "dco", "Dee", {"auditor", "qa_lead"}, agency="health", password=PASSWORD
    )
    result = accounts.sign_in(session, "dco", PASSWORD, now=NOW)
    assert result.actor.roles == {"auditor", "qa_lead"} and result.actor.agency == "health"
    assert session.scalar(select(User).where(User.username == "dco")).last_sign_in_at is not None


def test_five_failures_lock_the_account_for_fifteen_minutes_from_that_address_only(session, admin):
    for minute in range(accounts.MAX_FAILED_SIGN_INS):
        assert not accounts.sign_in(
            session,
            "ada",
            f"guess number {minute}",
            client="198.51.100.7",
            now=NOW + timedelta(minutes=minute),
        ).ok
    locked_at = NOW + timedelta(minutes=accounts.MAX_FAILED_SIGN_INS - 1)
    refused = accounts.sign_in(
        session, "ada", PASSWORD, client="198.51.100.7", now=locked_at + timedelta(minutes=10)
    )
    assert not refused.ok and refused.message == accounts.WRONG_CREDENTIALS
    assert accounts.is_locked(
        session, session.scalar(select(User).where(User.username == "ada")), locked_at
    )
    # Someone guessing from one address does not lock the owner out elsewhere.
    assert accounts.sign_in(
        session, "ada", PASSWORD, client="203.0.113.20", now=locked_at + timedelta(minutes=1)
    ).ok
    first_failure = NOW
    assert accounts.sign_in(
        session,
        "ada",
        PASSWORD,
        client="198.51.100.7",
        now=first_failure + accounts.LOCKOUT + timedelta(minutes=5),
    ).ok
    details = [e.detail for e in log_rows(session) if e.action == "sign_in_failed"]
    assert (
        "locked for 15 minutes from this client address"
        in details[accounts.MAX_FAILED_SIGN_INS - 1]
    )
    assert details[-1] == "account locked for this client address"


def test_every_failure_gives_the_same_answer_after_the_same_hash_work(session, admin, monkeypatch):
    accounts.add_user(session, admin, "off", "Off", {"training"}, password=PASSWORD)
    accounts.disable_user(session, admin, "off")
    for _ in range(accounts.MAX_FAILED_SIGN_INS):
        accounts.sign_in(session, "ada", "not the password", client="192.0.2.9", now=NOW)
    verified = []

    class CountingHasher(PasswordHasher):
        def verify(self, stored, password):
            verified.append(stored)
            return super().verify(stored, password)

    monkeypatch.setattr(accounts, "_hasher", CountingHasher())
    answers = {
        "unknown": accounts.sign_in(
            session, "no-such-person", "whatever", client="192.0.2.9", now=NOW
        ),
        "wrong password": accounts.sign_in(
            session, "ada", "whatever", client="192.0.2.10", now=NOW
        ),
        "locked": accounts.sign_in(session, "ada", PASSWORD, client="192.0.2.9", now=NOW),
        "disabled": accounts.sign_in(session, "off", PASSWORD, client="192.0.2.10", now=NOW),
    }
    assert {answer.message for answer in answers.values()} == {accounts.WRONG_CREDENTIALS}
    assert not any(answer.ok for answer in answers.values())
    assert len(verified) == len(answers)


def test_one_address_failing_across_many_usernames_is_throttled(session, admin):
    for number in range(lockout.ADDRESS_FAILURES):
        accounts.sign_in(session, f"guess{number}", "whatever", client="192.0.2.50", now=NOW)
    assert not accounts.sign_in(session, "ada", PASSWORD, client="192.0.2.50", now=NOW).ok
    assert log_rows(session)[-1].detail == "too many failed sign-ins from this client address"
    assert accounts.sign_in(session, "ada", PASSWORD, client="192.0.2.51", now=NOW).ok
    assert accounts.sign_in(
        session,
        "ada",
        PASSWORD,
        client="192.0.2.50",
        now=NOW + accounts.LOCKOUT + timedelta(seconds=1),
    ).ok


def test_a_flood_of_failures_from_everywhere_pauses_every_password_sign_in(
    session, admin, monkeypatch
):
    monkeypatch.setattr(lockout, "OVERALL_FAILURES", 6)
    for number in range(6):
        accounts.sign_in(session, "nobody", "whatever", client=f"192.0.2.{number}", now=NOW)
    assert not accounts.sign_in(
        session, "ada", PASSWORD, client="203.0.113.1", now=NOW + timedelta(seconds=30)
    ).ok
    assert log_rows(session)[-1].detail == "too many failed sign-ins overall"
    assert accounts.sign_in(
        session, "ada", PASSWORD, client="203.0.113.1", now=NOW + timedelta(minutes=2)
    ).ok


def test_four_failures_then_success_resets_the_count(session, admin):
    for _ in range(accounts.MAX_FAILED_SIGN_INS - 1):
        accounts.sign_in(session, "ada", "not the password", now=NOW)
    assert accounts.sign_in(session, "ada", PASSWORD, now=NOW).ok
    for _ in range(accounts.MAX_FAILED_SIGN_INS - 1):
        accounts.sign_in(session, "ada", "not the password", now=NOW)
    assert accounts.sign_in(session, "ada", PASSWORD, now=NOW).ok


def test_reset_password_lifts_a_lockout(session, admin):
    accounts.add_user(session, admin, "cal", "Cal", {"training"}, password=PASSWORD)
    for _ in range(accounts.MAX_FAILED_SIGN_INS):
        accounts.sign_in(session, "cal", "not the password", now=NOW)
    assert accounts.is_locked(
        session, session.scalar(select(User).where(User.username == "cal")), NOW
    )
    accounts.reset_password(session, admin, "cal", "the replacement password")
    assert accounts.sign_in(session, "cal", "the replacement password", now=NOW).ok


def test_an_admin_unlocks_an_account_without_changing_its_password_and_it_is_logged(session, admin):
    accounts.add_user(session, admin, "cal", "Cal", {"training"}, password=PASSWORD)
    for _ in range(accounts.MAX_FAILED_SIGN_INS):
        accounts.sign_in(session, "cal", "not the password", now=NOW)
    assert accounts.locked_usernames(session, admin, NOW) == {"cal"}
    with pytest.raises(PermissionDenied):
        accounts.unlock_user(session, Actor(99, "Lead", frozenset({"qa_lead"})), "cal")
    accounts.unlock_user(session, admin, "cal")
    assert accounts.locked_usernames(session, admin, NOW) == set()
    assert accounts.sign_in(session, "cal", PASSWORD, now=NOW).ok
    entry = next(e for e in log_rows(session) if e.field == "lockout")
    assert entry.actor_name == "Ada Admin" and entry.new_value == "unlocked"


def test_unknown_usernames_are_refused_like_wrong_passwords_and_not_echoed_into_the_log(
    session, admin
):
    typed = "my password typed into the username box"
    unknown = accounts.sign_in(session, typed, "whatever", now=NOW)
    wrong = accounts.sign_in(session, "ada", "whatever", now=NOW)
    assert unknown.message == wrong.message == accounts.WRONG_CREDENTIALS
    assert typed not in log_text(session)


def test_disabled_accounts_cannot_sign_in_and_lose_their_session(session, admin):
    user = accounts.add_user(session, admin, "dan", "Dan", {"qa_lead"}, password=PASSWORD)
    live = accounts.sign_in(session, "dan", PASSWORD, now=NOW).actor
    accounts.disable_user(session, admin, "dan")
    assert accounts.refreshed_actor(session, live) is None
    assert not accounts.sign_in(session, "dan", PASSWORD, now=NOW).ok
    accounts.enable_user(session, admin, "dan")
    assert accounts.refreshed_actor(session, live) == actor_for(user)


def test_role_changes_reach_a_live_session(session, admin):
    accounts.add_user(session, admin, "eve", "Eve", {"qa_lead"}, password=PASSWORD)
    live = accounts.sign_in(session, "eve", PASSWORD, now=NOW).actor
    accounts.set_roles(session, admin, "eve", {"training"})
    assert accounts.refreshed_actor(session, live).roles == {"training"}
    change = log_rows(session)[-1]
    assert (change.field, change.old_value, change.new_value) == (
        "roles",
        '["qa_lead"]',
        '["training"]',
    )


@pytest.mark.parametrize("roles", [{"qa_lead"}, {"training"}, {"auditor"}])
def test_only_admins_manage_accounts(session, admin, roles):
    other = Actor(
        user_id=999, display_name="not an admin", roles=frozenset(roles), agency="education"
    )
    for attempt in (
        lambda: accounts.add_user(
            session, other, "mallory", "Mallory", {"admin"}, password=PASSWORD
        ),
        lambda: accounts.disable_user(session, other, "ada"),
        lambda: accounts.reset_password(session, other, "ada", "taken over password"),
        lambda: accounts.set_roles(session, other, "ada", {"training"}),
        lambda: accounts.list_users(session, other),
    ):
        with pytest.raises(PermissionDenied):
            attempt()


def test_admins_cannot_lock_themselves_or_everyone_out(session, admin):
    with pytest.raises(InvalidInput):
        accounts.disable_user(session, admin, "ada")
    with pytest.raises(InvalidInput):
        accounts.set_roles(session, admin, "ada", {"qa_lead"})
    with pytest.raises(InvalidInput, match="last active administrator"):
        accounts.disable_user(session, OPERATOR, "ada")


@pytest.mark.parametrize(
    ("username", "roles", "agency", "password", "problem"),
    [
        ("short", {"qa_lead"}, None, "too short", "at least"),
        ("nagency", {"auditor"}, None, PASSWORD, "agency"),
        ("badrole", {"superuser"}, None, PASSWORD, "roles"),
        ("x'; DROP TABLE users;--", {"qa_lead"}, None, PASSWORD, "username"),
        ("ada", {"qa_lead"}, None, PASSWORD, "already exists"),
    ],
)
def test_bad_accounts_are_refused_with_a_plain_reason(
    session, admin, username, roles, agency, password, problem
):
    with pytest.raises(InvalidInput, match=problem):
        accounts.add_user(
            session, admin, username, "Someone", roles, agency=agency, password=password
        )
    assert session.scalar(select(User).where(User.username == "users")) is None
    assert len(accounts.list_users(session, admin)) == 1


def test_sql_in_a_username_at_sign_in_is_only_a_wrong_username(session, admin):
    for typed in ("ada' OR '1'='1", "ada'--", "' UNION SELECT password_hash FROM users--"):
        assert not accounts.sign_in(session, typed, "' OR '1'='1", now=NOW).ok
    assert len(accounts.list_users(session, admin)) == 1

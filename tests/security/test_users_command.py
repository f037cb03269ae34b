"""qa-app users: the first admin from the command line, passwords never echoed."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from qa_app.cli import main
from qa_app.services import accounts
from qa_app.settings import Settings
from qa_app.store.engine import session_factory
from qa_app.store.models import EventLogEntry, User

SECRET = "first admin's password"


@pytest.fixture
def cli(sqlite_url, monkeypatch, capsys):
    settings = Settings(database_url=sqlite_url)

    def run(*argv: str, stdin: str = "") -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv), settings=settings)
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def test_first_admin_from_the_command_line_then_signs_in(cli, sqlite_url):
    code, out = cli(
        "users",
        "add",
        "alice",
        "--name",
        "Alice Jones",
        "--role",
        "admin",
        "--password-stdin",
        stdin=SECRET + "\n",
    )
    assert code == 0 and out.strip() == "added alice (Admin)"
    with session_factory(sqlite_url)() as session:
        assert accounts.sign_in(session, "alice", SECRET).ok
        entry = session.scalar(
            select(EventLogEntry).where(
                EventLogEntry.action == "create", EventLogEntry.entity == "user"
            )
        )
        assert entry.actor_name == "command line (server operator)" and SECRET not in str(
            entry.detail
        )


def test_prompted_passwords_are_read_without_echo_and_must_match(cli, sqlite_url, monkeypatch):
    answers = iter([SECRET, SECRET])
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(answers))
    code, out = cli("users", "add", "bob", "--name", "Bob", "--role", "qa_lead")
    assert code == 0 and SECRET not in out and len(prompts) == 2

    mismatched = iter(["one long password", "another long password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(mismatched))
    with pytest.raises(SystemExit, match="differ"):
        cli("users", "reset-password", "bob")


def test_reset_disable_and_list(cli, sqlite_url):
    cli(
        "users",
        "add",
        "alice",
        "--name",
        "Alice",
        "--role",
        "admin",
        "--password-stdin",
        stdin=SECRET,
    )
    cli(
        "users",
        "add",
        "cara",
        "--name",
        "Cara",
        "--role",
        "auditor",
        "--agency",
        "social_care",
        "--no-password",
    )
    code, out = cli(
        "users", "reset-password", "cara", "--password-stdin", stdin="cara's new password\n"
    )
    assert code == 0 and "cara's new password" not in out
    assert cli("users", "disable", "cara")[0] == 0
    code, listing = cli("users", "list")
    rows = {line.split()[0]: line for line in listing.splitlines()[1:]}
    assert (
        "disabled" in rows["cara"] and "social_care" in rows["cara"] and "active" in rows["alice"]
    )
    with session_factory(sqlite_url)() as session:
        assert not accounts.sign_in(session, "cara", "cara's new password").ok
        assert session.scalar(select(User).where(User.username == "cara")).password_hash.startswith(
            "$argon2"
        )


def test_mistakes_are_plain_errors(cli):
    code, out = cli("users", "add", "dan", "--name", "Dan", "--role", "auditor", "--no-password")
    assert code == 1 and out.startswith("error: An auditor needs an agency")
    code, out = cli(
        "users", "add", "eve", "--name", "Eve", "--role", "admin", "--password-stdin", stdin="short"
    )
    assert (
        code == 1 and "at least 12 characters" in out and "short" not in out.replace("at least", "")
    )
    code, out = cli("users", "disable", "nobody")
    assert code == 1 and "no account" in out


def test_unlock_lifts_a_lockout_and_keeps_the_password(cli, sqlite_url):
    cli(
        "users",
        "add",
        "alice",
        "--name",
        "Alice",
        "--role",
        "admin",
        "--password-stdin",
        stdin=SECRET,
    )
    with session_factory(sqlite_url)() as session:
        for _ in range(accounts.MAX_FAILED_SIGN_INS):
            accounts.sign_in(session, "alice", "a wrong guess")
        session.commit()
    assert "locked" in cli("users", "list")[1]
    code, out = cli("users", "unlock", "alice")
    assert code == 0 and out.strip() == "unlocked alice"
    assert "locked" not in cli("users", "list")[1]
    with session_factory(sqlite_url)() as session:
        assert accounts.sign_in(session, "alice", SECRET).ok
        entry = session.scalar(select(EventLogEntry).where(EventLogEntry.field == "lockout"))
        assert entry.actor_name == "command line (server operator)"

"""Demo accounts sign in only in demo mode; a real deployment has none and no default
password."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from qa_app.services import accounts
from qa_app.services.bootstrap import prepare_database
from qa_app.settings import Settings
from qa_app.store.engine import session_factory
from qa_app.store.models import User


def demo_settings(url: str, monkeypatch, demo: bool) -> Settings:
    monkeypatch.setenv("QA_DEMO", "1" if demo else "0")
    return replace(Settings(), database_url=url, demo=demo)


def password_holders(url: str) -> set[str]:
    with session_factory(url)() as session:
        return set(session.scalars(select(User.username).where(User.password_hash.is_not(None))))


def test_demo_mode_opens_one_account_per_role_and_leaving_it_closes_them(sqlite_url, monkeypatch):
    from qa_app.services import demo

    monkeypatch.setattr(demo, "seed_demo", _small_seed(demo.seed_demo))
    prepare_database(demo_settings(sqlite_url, monkeypatch, demo=True))
    assert password_holders(sqlite_url) == set(accounts.DEMO_SIGN_IN_ACCOUNTS)
    with session_factory(sqlite_url)() as session:
        roles = {r for u in session.scalars(select(User).where(User.username.in_(accounts.DEMO_SIGN_IN_ACCOUNTS))) for r in u.roles}
        assert roles == {"qa_lead", "auditor", "training", "admin"}
        assert accounts.sign_in(session, "demo_qa_lead", accounts.DEMO_PASSWORD, demo_mode=True).ok
        refused = accounts.sign_in(session, "demo_qa_lead", accounts.DEMO_PASSWORD, demo_mode=False)
        assert not refused.ok
        session.commit()

    prepare_database(demo_settings(sqlite_url, monkeypatch, demo=False))
    assert password_holders(sqlite_url) == set()


def test_a_real_database_gets_no_demo_accounts(postgres_url, monkeypatch):
    monkeypatch.delenv("QA_DEMO", raising=False)
    settings = replace(Settings(), database_url=postgres_url)
    assert not settings.seed_demo_on_start
    prepare_database(settings)
    with session_factory(postgres_url)() as session:
        assert session.scalars(select(User)).all() == []


def _small_seed(seed_demo):
    def small(session, actor, **_):
        return seed_demo(session, actor, plans=12, months=3)

    return small

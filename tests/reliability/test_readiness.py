"""``qa-app ready`` says which problem it met: a wrong password, an unknown user, a
missing database, a server that does not answer, or migrations behind."""

from __future__ import annotations

import psycopg
import pytest

from qa_app.benchmarks.postgres import PostgresUnavailable, ThrowawayPostgres
from qa_app.cli import main
from qa_app.settings import Settings
from qa_app.store.engine import engine_for, upgrade

pytestmark = pytest.mark.postgres
PASSWORD = "the right password"


@pytest.fixture(scope="module")
def password_server():
    """A server of its own that checks passwords on TCP connections (the shared one trusts everyone)."""
    try:
        server = ThrowawayPostgres().start()
    except PostgresUnavailable as reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    with psycopg.connect(server.admin_dsn, autocommit=True) as connection:
        connection.execute(f"ALTER ROLE qa PASSWORD '{PASSWORD}'")
        connection.execute("CREATE DATABASE ehcp_qa")
    hba = server.root / "data" / "pg_hba.conf"
    hba.write_text("local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
    server._run("pg_ctl", "-D", str(server.root / "data"), "reload")
    yield server
    server.stop()


@pytest.fixture
def ready(capsys):
    def run(url: str) -> tuple[int, str]:
        code = main(["ready"], settings=Settings(database_url=url))
        return code, capsys.readouterr().out.strip()

    return run


def test_ready_names_each_problem(password_server, ready):
    port = password_server.port
    good = f"postgresql+psycopg://qa:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{port}/ehcp_qa"
    cases = {
        f"postgresql+psycopg://qa:wrong@127.0.0.1:{port}/ehcp_qa": "refused the password for this user (wrong password)",
        f"postgresql+psycopg://nobody:wrong@127.0.0.1:{port}/ehcp_qa": "refused the password",
        f"postgresql+psycopg://qa:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{port}/missing": "the database named in QA_DATABASE_URL does not exist",
        "postgresql+psycopg://qa:x@127.0.0.1:1/ehcp_qa": "the database server cannot be reached (OperationalError)",
        good: "migrations are behind",
    }
    for url, problem in cases.items():
        code, out = ready(url)
        assert out.startswith("not ready: ") and problem in out, (url, out)
        assert code == (4 if url == good else 3)
        assert "wrong" not in out.replace("(wrong password)", "") and PASSWORD not in out
    upgrade(good)
    engine_for(good).dispose()
    assert ready(good) == (0, "ready")

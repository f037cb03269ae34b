"""Is this app server ready to take users? And what to tell them when the database
goes away.

Readiness needs the database to answer and to be at the newest migration. It is checked
on a connection of its own with a short timeout, so a probe never hangs on, or uses up,
the app's connection pool. Liveness is Streamlit's own ``/_stcore/health``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from qa_app.services.errors import ServiceError
from qa_app.store.engine import alembic_config

CONNECT_TIMEOUT_SECONDS = 5

UNAVAILABLE_MESSAGE = (
    "The database cannot be reached just now, so nothing could be read or saved. "
    "Everything saved before this is safe. Try again in a moment."
)


class DatabaseUnavailable(ServiceError):
    """The database could not be reached or dropped the connection; the work in hand
    was not saved."""

    def __init__(self, message: str = UNAVAILABLE_MESSAGE):
        super().__init__(message)


STORAGE_FULL_MESSAGE = (
    "The database's disk is full, so this change was not saved; what you typed is still on "
    "screen. Everything saved before this is safe. Ask your administrator to free space, "
    "then save again."
)
# SQLite's and PostgreSQL's words (and PostgreSQL's SQLSTATE 53100, disk_full) for it.
_STORAGE_FULL = re.compile(
    r"database or disk is full|no space left on device|could not extend file", re.IGNORECASE
)


def unavailable_message(error: BaseException) -> str:
    """What to tell the person when the database failed them: a full disk says so."""
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) == "53100" or _STORAGE_FULL.search(str(orig or error)):
        return STORAGE_FULL_MESSAGE
    return UNAVAILABLE_MESSAGE


def is_unavailable(error: BaseException) -> bool:
    """True for errors that mean the database is down or the connection was lost, as
    opposed to a bug in a query."""
    if isinstance(error, (exc.OperationalError, exc.InterfaceError)):
        return True
    return isinstance(error, exc.DBAPIError) and bool(error.connection_invalidated)


# What libpq says when the server answers but turns the connection away, and what that
# means for the person reading the readiness line. Anything else: it did not answer.
_REFUSALS = (
    (
        re.compile(r"password authentication failed"),
        "the database server refused the password for this user (wrong password)",
    ),
    (
        re.compile(r'role "[^"]*" does not exist'),
        "the database server has no such user (role): check the user in QA_DATABASE_URL",
    ),
    (
        re.compile(r'database "[^"]*" does not exist'),
        "the database named in QA_DATABASE_URL does not exist on that server",
    ),
    (
        re.compile(r"no pg_hba\.conf entry"),
        "the database server does not let this user connect from this host (pg_hba.conf)",
    ),
)


def connection_problem(error: exc.DBAPIError) -> str:
    """Which of wrong password, unknown user, missing database or an unreachable server
    a failed connection was, without the URL's password or the driver's own text."""
    message = str(error.orig)
    for pattern, meaning in _REFUSALS:
        if pattern.search(message):
            return meaning
    return (
        f"the database server cannot be reached ({type(error.orig).__name__}): "
        "check its host and port, the network, and that it is running"
    )


@dataclass(frozen=True)
class Readiness:
    reachable: bool
    migrations_current: bool
    problem: str = ""

    @property
    def ready(self) -> bool:
        return self.reachable and self.migrations_current


def _probe_engine(url: str):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return create_engine(
            url, poolclass=NullPool, connect_args={"timeout": CONNECT_TIMEOUT_SECONDS}
        )
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(
        parsed, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    )


def readiness(url: str) -> Readiness:
    """Check the database at ``url``. Problems are described without the URL's password
    or any record's contents."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not Path(database).is_file():
            return Readiness(False, False, "the SQLite database file does not exist yet")
    engine = _probe_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except exc.DBAPIError as error:
        return Readiness(False, False, connection_problem(error))
    finally:
        engine.dispose()
    heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    if current != heads:
        at = ", ".join(sorted(current)) or "no migrations"
        return Readiness(
            True,
            False,
            f"migrations are behind (database at {at}, this release needs {', '.join(sorted(heads))})",
        )
    return Readiness(True, True)

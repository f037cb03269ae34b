"""Engine and session set-up, and applying migrations.

One engine per database URL per process (a pool of connections, never a shared sqlite3
connection). SQLite gets WAL, foreign keys and a busy timeout on every connection.
Statement parameters are hidden from error messages and logs: they carry notes and names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def _tune_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
        )
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


@lru_cache(maxsize=8)
def session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    engine = engine_for(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def open_session(url: str, *, migrate: bool) -> Iterator[Session]:
    """The session a ``qa-app`` command works in, committed on success. With ``migrate``
    (``db upgrade``, ``demo``) the database is first created or migrated; without, one
    that is behind is refused with ``DatabaseBehind``, and nothing is created."""
    if migrate:
        upgrade(url)
    else:
        require_current(url)
    with session_scope(url) as session:
        yield session


class DatabaseBehind(RuntimeError):
    """The database is not at this release's newest migration (or has no tables yet).
    Only ``qa-app db upgrade``, ``qa-app demo`` and an app start-up allowed to migrate
    create or migrate a database; everything else refuses one that is behind."""


def _sqlite_file_missing(url: str) -> bool:
    parsed = make_url(url)
    database = parsed.database
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(database)
        and database != ":memory:"
        and not Path(database).is_file()
    )


def require_current(url: str) -> None:
    """Raise ``DatabaseBehind``, saying to run ``qa-app db upgrade``, unless the database
    is at the newest migration. Creates nothing, not even an empty SQLite file."""
    heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    if _sqlite_file_missing(url):
        current: set[str] = set()
    else:
        with engine_for(url).connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    if current == heads:
        return
    known = {
        revision.revision
        for revision in ScriptDirectory.from_config(alembic_config(url)).walk_revisions()
    }
    if not current:
        raise DatabaseBehind(
            "The database has none of this app's tables yet: run `qa-app db upgrade` to create them."
        )
    if current - known:
        raise DatabaseBehind(
            f"The database is at schema version {', '.join(sorted(current))}, made by a newer release than this one."
        )
    raise DatabaseBehind(
        f"The database is behind (at {', '.join(sorted(current))}, this release needs {', '.join(sorted(heads))}): "
        "run `qa-app db upgrade` first."
    )


def migrations_pending(url: str) -> bool:
    """True when the database is behind the newest migration (or unreachable tables)."""
    script = ScriptDirectory.from_config(alembic_config(url))
    with engine_for(url).connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != set(script.get_heads())

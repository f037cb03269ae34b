"""Backing up and restoring the whole database.

SQLite is copied with SQLite's online backup API, so a backup can be taken while the app
is running and writing: the copy is a consistent snapshot. A restore first checks that
the file is an intact SQLite database holding this app's schema at a migration this
release knows; only then is it copied over the live database (again with the backup
API, so running app servers see the restored data on their next query) and migrated up
to date. A file that fails the checks leaves the current database untouched.

PostgreSQL goes through ``pg_dump --format=custom`` and ``pg_restore``. The archive's
table of contents is checked for this app's tables before anything is changed, and the
restore runs in a single transaction, so a failed restore changes nothing either.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, make_url

from qa_app.services.errors import ServiceError
from qa_app.store.engine import alembic_config, engine_for, upgrade
from qa_app.store.models import Base

SQLITE_HEADER = b"SQLite format 3\x00"
APP_TABLES = frozenset(Base.metadata.tables)


class BackupRefused(ServiceError):
    """The file is not a backup this app can restore, or a tool needed is missing."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    tables: int


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def backup(url: str, target: Path) -> BackupResult:
    """Write a backup of the database at ``url`` to ``target`` (replaced atomically)."""
    target = Path(target)
    if is_sqlite(url):
        return _backup_sqlite(_sqlite_path(url), target)
    if is_postgres(url):
        return _backup_postgres(make_url(url), target)
    raise BackupRefused(f"Backups are supported for SQLite and PostgreSQL, not {make_url(url).get_backend_name()}.")


def restore(url: str, source: Path) -> int:
    """Replace the database at ``url`` with the backup in ``source``; returns the number
    of application tables restored. Raises ``BackupRefused`` without touching the
    database when the file is not a valid backup of this app."""
    source = Path(source)
    if not source.is_file():
        raise BackupRefused(f"There is no backup file at {source}.")
    if is_sqlite(url):
        count = _restore_sqlite(source, _sqlite_path(url))
    elif is_postgres(url):
        count = _restore_postgres(source, make_url(url))
    else:
        raise BackupRefused(f"Restores are supported for SQLite and PostgreSQL, not {make_url(url).get_backend_name()}.")
    engine_for(url).dispose()
    upgrade(url)
    return count


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupRefused("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {revision.revision for revision in script.walk_revisions()}


def _head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def _backup_sqlite(source: Path, target: Path) -> BackupResult:
    if not source.is_file():
        raise BackupRefused(f"There is no SQLite database at {source}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = len(_sqlite_tables(copy) & APP_TABLES)
    finally:
        copy.close()
        live.close()
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, tables)


def _sqlite_tables(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def check_sqlite_backup(source: Path) -> int:
    """Raise ``BackupRefused`` unless ``source`` is an intact SQLite copy of this app's
    database; return the number of application tables in it."""
    with open(source, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupRefused(f"{source.name} is not a SQLite database, so it cannot be a backup of this app.")
    try:
        connection = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupRefused(f"{source.name} cannot be opened as a SQLite database ({error}).") from None
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise BackupRefused(f"{source.name} is damaged: SQLite's integrity check failed.")
        tables = _sqlite_tables(connection)
        if "alembic_version" not in tables:
            raise BackupRefused(f"{source.name} is a SQLite database but not one of this app's databases.")
        revisions = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.DatabaseError as error:
        raise BackupRefused(f"{source.name} cannot be read as a SQLite database ({error}).") from None
    finally:
        connection.close()
    _check_revisions(source.name, revisions)
    missing = APP_TABLES - tables if revisions == _head_revisions() else set()
    if missing:
        raise BackupRefused(f"{source.name} lacks tables this app needs: {', '.join(sorted(missing))}.")
    return len(tables & APP_TABLES)


def _check_revisions(name: str, revisions: set[str]) -> None:
    if not revisions:
        raise BackupRefused(f"{name} records no schema version, so it is not a backup of this app.")
    unknown = revisions - _known_revisions()
    if unknown:
        raise BackupRefused(
            f"{name} was made by a newer or different release (schema version {', '.join(sorted(unknown))}); "
            "restore it with that release."
        )


def _restore_sqlite(source: Path, target: Path) -> int:
    count = check_sqlite_backup(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    backup_copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    live = sqlite3.connect(target, timeout=30)
    try:
        backup_copy.backup(live)
    finally:
        live.close()
        backup_copy.close()
    return count


def _postgres_tool(name: str) -> str:
    """The newest installed ``pg_dump``/``pg_restore`` (they must not be older than the
    server they talk to)."""
    from qa_app.testing.postgres import server_bin_dir

    bin_dir = server_bin_dir()
    if bin_dir is not None and (bin_dir / name).exists():
        return str(bin_dir / name)
    found = shutil.which(name)
    if found:
        return found
    raise BackupRefused(
        f"{name} is not installed, so PostgreSQL backups cannot be made here. Install the PostgreSQL "
        f"client tools (Debian: apt-get install postgresql-client) or run {name} yourself as docs/deployment.md shows."
    )


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and an environment carrying it, so
    the password never shows in a process listing."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _run_tool(command: list[str], environment: dict[str, str], doing: str) -> str:
    result = subprocess.run(command, check=False, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupRefused(f"{doing} failed: {detail[-1] if detail else 'no message'}")
    return result.stdout


def _backup_postgres(url: URL, target: Path) -> BackupResult:
    conninfo, environment = _libpq(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    _run_tool([_postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), conninfo],
              environment, "pg_dump")
    os.replace(partial, target)
    tables = len(_archive_tables(target) & APP_TABLES)
    return BackupResult(target, target.stat().st_size, tables)


def _archive_tables(source: Path) -> set[str]:
    listing = _run_tool([_postgres_tool("pg_restore"), "--list", str(source)], dict(os.environ),
                        f"Reading {source.name} as a pg_dump archive")
    tables = set()
    for line in listing.splitlines():
        parts = line.split()
        # A table entry reads: "215; 1259 16390 TABLE public audits qa"
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE" and parts[4] == "public":
            tables.add(parts[5])
    return tables


def check_postgres_backup(source: Path) -> int:
    """Raise ``BackupRefused`` unless ``source`` is a pg_dump archive of this app's
    database; return the number of application tables in it."""
    with open(source, "rb") as handle:
        if handle.read(5) != b"PGDMP":
            raise BackupRefused(f"{source.name} is not a pg_dump archive (made with --format=custom).")
    tables = _archive_tables(source)
    if "alembic_version" not in tables:
        raise BackupRefused(f"{source.name} is a pg_dump archive but not of this app's database.")
    missing = APP_TABLES - tables
    if missing:
        raise BackupRefused(f"{source.name} lacks tables this app needs: {', '.join(sorted(missing))}.")
    return len(tables & APP_TABLES)


def _restore_postgres(source: Path, url: URL) -> int:
    count = check_postgres_backup(source)
    conninfo, environment = _libpq(url)
    _run_tool(
        [_postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
         "--exit-on-error", "--dbname", conninfo, str(source)],
        environment, "pg_restore",
    )
    return count

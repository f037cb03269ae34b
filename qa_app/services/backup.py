"""Backing up and restoring the whole database.

A backup is a SQLite copy made with SQLite's online backup API, or a
``pg_dump --format=custom`` archive; either is consistent while the app writes, and is
created readable by its owner only (mode 0600).

A restore never trusts the file. It is first loaded into a scratch database of its own
(a temporary SQLite file, or a scratch PostgreSQL database, which is why the owner role
may create databases). Loading a pg_dump archive runs the SQL it carries, so that SQL is
first read out as text and must be this app's own (``services.postgres_archive``): a
crafted archive runs nothing at all. Then the loaded database's whole schema (tables,
columns and their types, constraints, indexes, triggers, functions, views) is compared
with the schema this release's migrations build at the backup's own revision, in a
second scratch database. A file
that is not a backup of this app, comes from a newer release, or differs in any way (a
dropped column, a planted trigger or table) is refused, and the target database is not
touched. A backup from an older revision is then migrated forward in its scratch
database, and its rows are copied into the target in one transaction.

The event log is never rolled back: the target keeps every entry it has, entries found
only in the backup are appended after them with new ids, and the restore itself is
logged. So ids are never reused and the log still says what happened.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Table, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from qa_app.services import event_log, postgres_archive
from qa_app.services.access import OPERATOR
from qa_app.services.errors import ServiceError
from qa_app.services.events import DatabaseRestored
from qa_app.services.private_files import PRIVATE_FILE_MODE, private_partial
from qa_app.store import summary_tables
from qa_app.store.engine import alembic_config, engine_for, upgrade
from qa_app.store.models import Base, DatabaseKind, EventLogEntry
from qa_app.store.postgres_tools import server_bin_dir, tool_environment

SQLITE_HEADER = b"SQLite format 3\x00"
APP_TABLES = frozenset(Base.metadata.tables)
LOG_TABLE = cast(Table, EventLogEntry.__table__)
# Whether a database is a demo or a real one stays the target's own: never restored over.
KIND_TABLE = cast(Table, DatabaseKind.__table__)
COPY_BATCH_ROWS = 5_000
MAX_DIFFERENCES_NAMED = 6


class BackupRefused(ServiceError):
    """The file is not a backup this app can restore, or a tool needed is missing."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    tables: int
    mode: int = PRIVATE_FILE_MODE


@dataclass(frozen=True)
class RestoreResult:
    revision: str
    head: str
    rows: dict[str, int] = field(default_factory=dict)
    log_entries_kept: int = 0
    log_entries_added: int = 0

    @property
    def tables(self) -> int:
        return len(self.rows)

    @property
    def migrated(self) -> bool:
        return self.revision != self.head


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


# -- backup -------------------------------------------------------------------------------


def backup(url: str, target: Path) -> BackupResult:
    """Write a backup of the database at ``url`` to ``target`` (replaced atomically,
    readable by its owner only)."""
    target = Path(target)
    if is_sqlite(url):
        return _backup_sqlite(_sqlite_path(url), target)
    if is_postgres(url):
        return _backup_postgres(make_url(url), target)
    raise BackupRefused(
        f"Backups are supported for SQLite and PostgreSQL, not {make_url(url).get_backend_name()}."
    )


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupRefused("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _backup_sqlite(source: Path, target: Path) -> BackupResult:
    if not source.is_file():
        raise BackupRefused(f"There is no SQLite database at {source}.")
    partial = private_partial(target)
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = len(_sqlite_tables(copy))
    finally:
        copy.close()
        live.close()
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, tables)


def _sqlite_tables(connection: sqlite3.Connection) -> set[str]:
    return {
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }


def _backup_postgres(url: URL, target: Path) -> BackupResult:
    conninfo, environment = _libpq(url)
    partial = private_partial(target)
    try:
        _run_tool(
            [
                _postgres_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(partial),
                conninfo,
            ],
            environment,
            "pg_dump",
        )
    except BackupRefused:
        partial.unlink(missing_ok=True)
        raise
    os.chmod(partial, PRIVATE_FILE_MODE)
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, len(_archive_tables(target)))


# -- restore ------------------------------------------------------------------------------


def restore(url: str, source: Path) -> RestoreResult:
    """Replace the records of the database at ``url`` with the backup in ``source``,
    keeping and extending its event log. Raises ``BackupRefused`` without touching the
    database when the file is not a backup of this app exactly as its migrations built it."""
    source = Path(source)
    if not source.is_file():
        raise BackupRefused(f"There is no backup file at {source}.")
    if not (is_sqlite(url) or is_postgres(url)):
        raise BackupRefused(
            f"Restores are supported for SQLite and PostgreSQL, not {make_url(url).get_backend_name()}."
        )
    with _scratch_databases(url) as (candidate, reference):
        if is_sqlite(url):
            _load_sqlite(source, candidate)
        else:
            _load_postgres(source, candidate, reference)
        revision = _revision_of(source.name, candidate)
        upgrade(reference, revision)
        _refuse_differences(
            source.name, revision, schema_differences(schema_of(candidate), schema_of(reference))
        )
        upgrade(candidate)
        upgrade(url)
        result = _copy_records(candidate, url, revision, source.name)
    return result


def _refuse_differences(name: str, revision: str, differences: list[str]) -> None:
    if differences:
        raise BackupRefused(
            f"{name} does not hold this app's schema as of its version {revision}: "
            + "; ".join(differences[:MAX_DIFFERENCES_NAMED])
            + (
                f"; and {len(differences) - MAX_DIFFERENCES_NAMED} more"
                if len(differences) > MAX_DIFFERENCES_NAMED
                else ""
            )
            + "."
        )


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {revision.revision for revision in script.walk_revisions()}


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:
        raise RuntimeError("The app's migrations have no head revision.")
    return head


def _revision_of(name: str, candidate: str) -> str:
    with engine_for(candidate).connect() as connection:
        try:
            revisions = set(
                connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            )
        except Exception:
            raise BackupRefused(
                f"{name} is a database but not one of this app's databases."
            ) from None
    return _one_known_revision(name, revisions)


def _one_known_revision(name: str, revisions: set[str]) -> str:
    if len(revisions) != 1:
        raise BackupRefused(
            f"{name} records no single schema version, so it is not a backup of this app."
        )
    unknown = revisions - _known_revisions()
    if unknown:
        raise BackupRefused(
            f"{name} was made by a newer or different release (schema version {', '.join(sorted(unknown))}); "
            "restore it with that release."
        )
    return revisions.pop()


@contextmanager
def _scratch_databases(url: str) -> Iterator[tuple[str, str]]:
    """Two empty databases on the same engine as ``url``, removed afterwards."""
    if is_sqlite(url):
        folder = Path(tempfile.mkdtemp(prefix="qa-restore-"))
        os.chmod(folder, 0o700)
        urls = (
            f"sqlite:///{folder / 'backup.sqlite3'}",
            f"sqlite:///{folder / 'reference.sqlite3'}",
        )
        try:
            yield urls
        finally:
            for scratch in urls:
                engine_for(scratch).dispose()
            shutil.rmtree(folder, ignore_errors=True)
        return
    target = make_url(url)
    stem = f"{target.database}_restore_{secrets.token_hex(4)}"[:50]
    names = (f"{stem}_backup", f"{stem}_reference")
    created = []
    admin = engine_for(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for name in names:
                try:
                    connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
                except Exception as error:
                    raise BackupRefused(
                        f"A scratch database to check the backup in could not be created ({type(error.__cause__ or error).__name__}): "
                        "run restore as the owner role, which needs the CREATEDB privilege (see README)."
                    ) from None
                created.append(name)
        backup, reference = (
            target.set(database=name).render_as_string(hide_password=False) for name in names
        )
        yield backup, reference
    finally:
        with admin.connect() as connection:
            for name in created:
                engine_for(
                    target.set(database=name).render_as_string(hide_password=False)
                ).dispose()
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _load_sqlite(source: Path, candidate: str) -> None:
    with open(source, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupRefused(
                f"{source.name} is not a SQLite database, so it cannot be a backup of this app."
            )
    try:
        backup_copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupRefused(
            f"{source.name} cannot be opened as a SQLite database ({error})."
        ) from None
    scratch = sqlite3.connect(_sqlite_path(candidate))
    try:
        if backup_copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupRefused(f"{source.name} is damaged: SQLite's integrity check failed.")
        backup_copy.backup(scratch)
    except sqlite3.DatabaseError as error:
        raise BackupRefused(
            f"{source.name} cannot be read as a SQLite database ({error})."
        ) from None
    finally:
        scratch.close()
        backup_copy.close()


def _load_postgres(source: Path, candidate: str, reference: str) -> None:
    """Load the archive into ``candidate`` once the SQL it would run has been read out
    and found to be this app's own (``services.postgres_archive``): a crafted archive
    never runs anything. ``reference`` is left at the archive's revision."""
    with open(source, "rb") as handle:
        if handle.read(5) != b"PGDMP":
            raise BackupRefused(
                f"{source.name} is not a pg_dump archive (made with --format=custom)."
            )
    with tempfile.TemporaryDirectory(prefix="qa-restore-") as folder:
        # The copy checked is the copy loaded, whatever happens to the file meanwhile.
        archive = Path(folder) / "backup.dump"
        shutil.copyfile(source, archive)
        os.chmod(archive, PRIVATE_FILE_MODE)
        if "alembic_version" not in _archive_tables(archive):
            raise BackupRefused(
                f"{source.name} is a pg_dump archive but not of this app's database."
            )
        data = _script(
            archive,
            "--data-only",
            postgres_archive.DataScript(APP_TABLES | {"alembic_version"}).read,
        )
        revision = _one_known_revision(source.name, set(data.revisions))
        upgrade(reference, revision)
        expected = _backup_postgres(make_url(reference), Path(folder) / "reference.dump").path
        _refuse_differences(
            source.name,
            revision,
            postgres_archive.entry_differences(
                _script(archive, "--schema-only", postgres_archive.schema_entries),
                _script(expected, "--schema-only", postgres_archive.schema_entries),
            ),
        )
        if data.problem:
            raise BackupRefused(
                f"{source.name} is not a backup of this app's data: {data.problem}."
            )
        conninfo, environment = _libpq(make_url(candidate))
        _run_tool(
            [
                _postgres_tool("pg_restore"),
                *_RESTORE_OPTIONS,
                "--exit-on-error",
                "--dbname",
                conninfo,
                str(archive),
            ],
            environment,
            f"Loading {source.name} to check it",
        )


_RESTORE_OPTIONS = ("--no-owner", "--no-acl")


def _script(archive: Path, part: str, read):
    """``read`` applied to the lines of SQL pg_restore would run for ``part`` of the
    archive, written out as text (pg_restore connects to no database for this)."""
    with subprocess.Popen(
        [_postgres_tool("pg_restore"), *_RESTORE_OPTIONS, part, "--file=-", str(archive)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=tool_environment(),
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as process:
        assert process.stdout is not None
        result = read(process.stdout)
        process.stdout.read()
        failure = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        detail = failure.strip().splitlines()
        raise BackupRefused(
            f"Reading {archive.name} as a pg_dump archive failed: {detail[-1] if detail else 'no message'}"
        )
    return result


# -- schema comparison --------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _normalised(definition: str | None) -> str:
    return _SPACES.sub(" ", (definition or "").replace('"', "")).strip()


_POSTGRES_SYSTEM = "('pg_catalog', 'information_schema', 'pg_toast')"
_POSTGRES_SCHEMA_QUERIES = {
    "schema": f"SELECT nspname, '' FROM pg_namespace WHERE nspname NOT IN {_POSTGRES_SYSTEM} AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast%'",
    "relation": f"""SELECT n.nspname || '.' || c.relname, c.relkind::text FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN {_POSTGRES_SYSTEM} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')""",
    "column": f"""SELECT n.nspname || '.' || c.relname || '.' || a.attname,
            format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
            || ' DEFAULT ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attidentity::text || a.attgenerated::text
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname NOT IN {_POSTGRES_SYSTEM} AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraint": f"""SELECT n.nspname || '.' || conrelid::regclass::text || '.' || conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname NOT IN {_POSTGRES_SYSTEM}""",
    "index": f"SELECT schemaname || '.' || indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN {_POSTGRES_SYSTEM}",
    "trigger": """SELECT tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid) || ' ENABLED ' || tgenabled::text
        FROM pg_trigger WHERE NOT tgisinternal""",
    "function": f"""SELECT p.oid::regprocedure::text, CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid)
            ELSE p.prokind::text END
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN {_POSTGRES_SYSTEM}""",
    "rule": f"SELECT schemaname || '.' || tablename || '.' || rulename, definition FROM pg_rules WHERE schemaname NOT IN {_POSTGRES_SYSTEM}",
    "policy": "SELECT schemaname || '.' || tablename || '.' || policyname, coalesce(qual, '') || coalesce(with_check, '') FROM pg_policies",
    "extension": "SELECT extname, '' FROM pg_extension WHERE extname <> 'plpgsql'",
}


def schema_of(url: str) -> dict[str, str]:
    """Every schema object of the database at ``url``, as ``"kind name" -> definition``."""
    with engine_for(url).connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.execute(
                text("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
            )
            return {f"{kind} {name}": _normalised(sql) for kind, name, sql in rows}
        found = {}
        for kind, query in _POSTGRES_SCHEMA_QUERIES.items():
            for name, definition in connection.execute(text(query)):
                found[f"{kind} {name}"] = _normalised(definition)
        return found


def schema_differences(found: dict[str, str], expected: dict[str, str]) -> list[str]:
    """What in ``found`` is missing, extra or defined otherwise than in ``expected``."""
    differences = [f"{name} is missing" for name in sorted(expected.keys() - found.keys())]
    differences += [
        f"{name} is not part of this app" for name in sorted(found.keys() - expected.keys())
    ]
    differences += [
        f"{name} is defined differently"
        for name in sorted(expected.keys() & found.keys())
        if expected[name] != found[name]
    ]
    return differences


# -- copying the records ------------------------------------------------------------------


def _copy_records(candidate: str, url: str, revision: str, file_name: str) -> RestoreResult:
    data_tables = [
        table for table in Base.metadata.sorted_tables if table not in (LOG_TABLE, KIND_TABLE)
    ]
    # The dashboard's change counter is emptied first and copied last: the triggers that
    # count changes find no row to add to while the rows arrive, so it keeps the backup's
    # value, the one the backup's summary tables reflect.
    data_tables.sort(key=lambda table: table is summary_tables.change_counter)
    rows: dict[str, int] = {}
    with engine_for(candidate).connect() as source, engine_for(url).begin() as target:
        rows[KIND_TABLE.name] = _keep_kind(source, target, file_name)
        for table in reversed(data_tables):
            target.execute(table.delete())
        for table in data_tables:
            rows[table.name] = _copy_table(source, target, table)
        kept, added = _append_backup_log(source, target)
        rows[LOG_TABLE.name] = kept + added + 1
        if target.dialect.name == "postgresql":
            _advance_sequences(target)
        with Session(bind=target) as session:
            event_log.record(
                session,
                OPERATOR,
                DatabaseRestored(
                    None,
                    detail={
                        "backup_revision": revision,
                        "migrated_to": _head(),
                        "tables": len(rows),
                        "rows": sum(rows.values()),
                        "log_entries_added_from_backup": added,
                    },
                ),
            )
            session.flush()
    return RestoreResult(revision, _head(), rows, kept, added)


def _keep_kind(source: Connection, target: Connection, file_name: str) -> int:
    """A demo backup never goes into a real database, nor a real one into a demo database;
    a target that has not yet recorded its kind takes the backup's. Returns the rows kept."""
    backup_row = source.execute(select(KIND_TABLE)).mappings().first()
    backup_kind = backup_row["kind"] if backup_row else None
    target_kind = target.scalar(select(KIND_TABLE.c.kind))
    if backup_kind and target_kind and backup_kind != target_kind:
        raise BackupRefused(
            f"{file_name} is a backup of a {backup_kind} database; this is a {target_kind} database, "
            "and a database never changes between demo and real."
        )
    if backup_kind and backup_row and not target_kind:
        target.execute(KIND_TABLE.insert(), [dict(backup_row)])
    return 1 if (backup_kind or target_kind) else 0


def _copy_table(source: Connection, target: Connection, table) -> int:
    copied = 0
    result = source.execution_options(yield_per=COPY_BATCH_ROWS).execute(select(table))
    for batch in result.mappings().partitions():
        target.execute(table.insert(), [dict(row) for row in batch])
        copied += len(batch)
    return copied


def _append_backup_log(source: Connection, target: Connection) -> tuple[int, int]:
    """Keep every entry the target's log has; append, with new ids after them, the
    backup's entries that the target does not have. Returns (kept, appended)."""
    live = {row.id: tuple(row) for row in target.execute(select(LOG_TABLE))}
    next_id = max(live, default=0) + 1
    added = 0
    result = source.execution_options(yield_per=COPY_BATCH_ROWS).execute(
        select(LOG_TABLE).order_by(LOG_TABLE.c.id)
    )
    for batch in result.partitions():
        missing = [row._asdict() for row in batch if live.get(row.id) != tuple(row)]
        for entry in missing:
            entry["id"] = next_id
            next_id += 1
        if missing:
            target.execute(LOG_TABLE.insert(), missing)
            added += len(missing)
    return len(live), added


def _advance_sequences(target: Connection) -> None:
    """After rows arrive with their ids, each id sequence moves past the highest id, and
    never backwards, so no id is handed out twice."""
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        sequence = target.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar()
        if sequence:
            target.execute(
                text(
                    f"SELECT setval(:sequence, GREATEST((SELECT last_value FROM {sequence}), "
                    f"(SELECT coalesce(max(id), 1) FROM {table.name})))"
                ),
                {"sequence": sequence},
            )


# -- PostgreSQL tools ---------------------------------------------------------------------


def _postgres_tool(name: str) -> str:
    """The newest installed ``pg_dump``/``pg_restore`` (they must not be older than the
    server they talk to)."""
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
    environment = tool_environment(str(url.password) if url.password else None)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _run_tool(command: list[str], environment: dict[str, str], doing: str) -> str:
    result = subprocess.run(command, check=False, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupRefused(f"{doing} failed: {detail[-1] if detail else 'no message'}")
    return result.stdout


def _archive_tables(source: Path) -> set[str]:
    listing = _run_tool(
        [_postgres_tool("pg_restore"), "--list", str(source)],
        tool_environment(),
        f"Reading {source.name} as a pg_dump archive",
    )
    tables = set()
    for line in listing.splitlines():
        parts = line.split()
        # A table entry reads: "215; 1259 16390 TABLE public audits qa"
        if (
            len(parts) >= 6
            and not line.startswith(";")
            and parts[3] == "TABLE"
            and parts[4] == "public"
        ):
            tables.add(parts[5])
    return tables

"""``qa-app backup FILE`` and ``qa-app restore FILE``: copy the configured database to a
file while the app runs, and put such a copy back.

SQLite backups are SQLite files; PostgreSQL backups are ``pg_dump --format=custom``
archives (``pg_dump`` and ``pg_restore`` must be installed). Backups are created 0600.
On PostgreSQL, run restore as the owner role.
"""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    backup = subparsers.add_parser(
        "backup", help="copy the database to FILE (safe while the app runs)"
    )
    backup.add_argument("file", type=Path, help="where to write the backup")
    backup.set_defaults(func=run_backup)
    restore = subparsers.add_parser("restore", help="replace the database with the backup in FILE")
    restore.add_argument("file", type=Path, help="a file made by qa-app backup")
    restore.add_argument(
        "--yes", action="store_true", help="confirm that every current record is to be replaced"
    )
    restore.set_defaults(func=run_restore)


def run_backup(args) -> int:
    from qa_app.services.backup import BackupRefused, backup
    from qa_app.services.private_files import PRIVATE_NOTE

    try:
        result = backup(args.settings.database_url, args.file)
    except BackupRefused as refusal:
        print(f"backup not made: {refusal}")
        return 1
    print(f"backed up {result.tables} tables to {result.path} ({result.size_bytes:,} bytes)")
    print(PRIVATE_NOTE)
    return 0


def run_restore(args) -> int:
    from qa_app.commands.db import redacted_url
    from qa_app.services.backup import BackupRefused, restore

    url = args.settings.database_url
    if not args.yes:
        print(
            f"restore replaces every record in {redacted_url(url)}; run again with --yes to go ahead"
        )
        return 2
    try:
        result = restore(url, args.file)
    except BackupRefused as refusal:
        print(f"nothing restored, the database is unchanged: {refusal}")
        return 1
    migrated = f", migrated from {result.revision} to {result.head}" if result.migrated else ""
    print(f"restored {result.tables} tables from {args.file} into {redacted_url(url)}")
    print(
        f"{sum(result.rows.values()):,} rows; the backup was at schema version {result.revision}{migrated}"
    )
    for table, count in result.rows.items():
        print(f"  {table}: {count:,} rows")
    print(
        f"audit log kept: {result.log_entries_kept:,} entries; {result.log_entries_added:,} added from the backup; "
        "the restore is logged"
    )
    return 0

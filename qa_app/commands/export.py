"""``qa-app export --from DATE --to DATE [--format xlsx|csv] --out FILE``: write a
period's submitted audits, one row per criterion score, as the Export page does."""

from __future__ import annotations

from datetime import date
from pathlib import Path


def register(subparsers) -> None:
    export = subparsers.add_parser("export", help="export a period's audits to CSV or Excel")
    export.add_argument(
        "--from", dest="start", type=date.fromisoformat, required=True, help="first day, YYYY-MM-DD"
    )
    export.add_argument(
        "--to", dest="end", type=date.fromisoformat, required=True, help="last day, YYYY-MM-DD"
    )
    export.add_argument(
        "--format", choices=["xlsx", "csv"], default="xlsx", help="file format (default xlsx)"
    )
    export.add_argument("--out", type=Path, required=True, help="file to write")
    export.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services.access import SYSTEM
    from qa_app.services.errors import ServiceError
    from qa_app.services.exports import export_period
    from qa_app.services.private_files import PRIVATE_NOTE, write_private
    from qa_app.store.engine import open_session

    settings = args.settings
    try:
        with open_session(settings.database_url, migrate=False) as session:
            export = export_period(
                session, SYSTEM, args.start, args.end, args.format, settings=settings
            )
    except ServiceError as error:
        print(error)
        return 1
    write_private(args.out, export.content)
    print(f"wrote {export.rows} criterion scores to {args.out}")
    print(PRIVATE_NOTE)
    return 0

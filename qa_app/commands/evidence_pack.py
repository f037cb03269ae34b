"""``qa-app evidence-pack``: write the inspection evidence pack as a Word file.

qa-app evidence-pack --from 2025-09-01 --to 2026-08-31 [--team T] --output FILE.docx
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from qa_app.commands.report import REPORTING_OPERATOR


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evidence-pack", help="write the inspection evidence pack (.docx)"
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        required=True,
        type=date.fromisoformat,
        metavar="DATE",
        help="first day of the period (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        required=True,
        type=date.fromisoformat,
        metavar="DATE",
        help="last day of the period (YYYY-MM-DD)",
    )
    parser.add_argument("--team", metavar="T", help="only plans of this team")
    parser.add_argument(
        "--output", required=True, type=Path, metavar="FILE.docx", help="where to write the pack"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services.errors import ServiceError
    from qa_app.services.evidence_pack import EvidenceRequest, build_evidence_pack
    from qa_app.services.private_files import PRIVATE_NOTE, write_private
    from qa_app.settings import get_settings
    from qa_app.store.engine import require_current, session_scope

    if args.output.suffix.lower() != ".docx":
        print("qa-app evidence-pack: error: the output file must end in .docx", file=sys.stderr)
        return 2
    settings = get_settings()
    require_current(settings.database_url)
    request = EvidenceRequest(date_from=args.date_from, date_to=args.date_to, team=args.team)
    try:
        with session_scope(settings.database_url) as session:
            pack = build_evidence_pack(session, REPORTING_OPERATOR, request, settings=settings)
            write_private(args.output, pack.content)
    except ServiceError as error:
        print(f"qa-app evidence-pack: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(
            f"qa-app evidence-pack: error: cannot write the output file ({error.strerror})",
            file=sys.stderr,
        )
        return 2
    print(
        f"wrote evidence pack: {pack.audits} audits from {args.date_from} to {args.date_to}"
        + (f" for team {args.team}" if args.team else "")
    )
    print(PRIVATE_NOTE)
    return 0

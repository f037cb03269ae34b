"""``qa-app report``: write a learning report (or one writer's feedback) as a Word file.

qa-app report --from 2026-04-01 --to 2026-06-30 [--team T] [--agency A] [--rubric R]
              [--writer CODE] --output FILE.docx
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from pathlib import Path

from qa_app.domain.plan_facts import AGENCIES
from qa_app.services.access import OPERATOR

# Whoever runs the command on the server can read the database anyway, so the command
# line may produce reports as a QA lead does; the event log still names the command line.
REPORTING_OPERATOR = dataclasses.replace(OPERATOR, roles=OPERATOR.roles | {"qa_lead"})


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="write an audit learning report (.docx)")
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
        "--agency", metavar="A", choices=sorted(AGENCIES), help="only audits by this agency"
    )
    parser.add_argument(
        "--rubric", metavar="R", help="rubric id (default: the one most audits used)"
    )
    parser.add_argument(
        "--writer", metavar="CODE", help="feedback for the plan writer with this code"
    )
    parser.add_argument(
        "--output", required=True, type=Path, metavar="FILE.docx", help="where to write the report"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services.errors import ServiceError
    from qa_app.services.learning_reports import ReportRequest, build_report
    from qa_app.services.private_files import PRIVATE_NOTE, write_private
    from qa_app.settings import get_settings
    from qa_app.store.engine import open_session

    if args.output.suffix.lower() != ".docx":
        print("qa-app report: error: the output file must end in .docx", file=sys.stderr)
        return 2
    request = ReportRequest(
        date_from=args.date_from,
        date_to=args.date_to,
        team=args.team,
        agency=args.agency,
        rubric=args.rubric,
        writer=args.writer,
    )
    settings = get_settings()
    try:
        with open_session(settings.database_url, migrate=False) as session:
            report = build_report(session, REPORTING_OPERATOR, request, settings=settings)
            write_private(args.output, report.content)
    except ServiceError as error:
        print(f"qa-app report: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(
            f"qa-app report: error: cannot write the output file ({error.strerror})",
            file=sys.stderr,
        )
        return 2
    kind = f"feedback for writer {args.writer}" if args.writer else "learning report"
    print(f"wrote {kind}: {report.audits} audits from {args.date_from} to {args.date_to}")
    print(PRIVATE_NOTE)
    return 0

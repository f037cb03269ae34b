"""``qa-app report``: write a learning report (or one writer's feedback) as a Word file.

qa-app report --from 2026-04-01 --to 2026-06-30 [--team T] [--agency A] [--rubric R]
              [--writer CODE] --output FILE.docx
"""

from __future__ import annotations

from qa_app.commands.word_document import (
    REPORTING_OPERATOR,
    add_output_argument,
    add_period_arguments,
    write_word_document,
)
from qa_app.domain.plan_facts import AGENCIES


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="write an audit learning report (.docx)")
    add_period_arguments(parser)
    parser.add_argument(
        "--agency", metavar="A", choices=sorted(AGENCIES), help="only audits by this agency"
    )
    parser.add_argument(
        "--rubric", metavar="R", help="rubric id (default: the one most audits used)"
    )
    parser.add_argument(
        "--writer", metavar="CODE", help="feedback for the plan writer with this code"
    )
    add_output_argument(parser, "report")
    parser.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services.learning_reports import ReportRequest, build_report

    request = ReportRequest(
        date_from=args.date_from,
        date_to=args.date_to,
        team=args.team,
        agency=args.agency,
        rubric=args.rubric,
        writer=args.writer,
    )
    kind = f"feedback for writer {args.writer}" if args.writer else "learning report"
    return write_word_document(
        "report",
        args.output,
        args.settings,
        lambda session, settings: build_report(
            session, REPORTING_OPERATOR, request, settings=settings
        ),
        lambda report: (
            f"wrote {kind}: {report.audits} audits from {args.date_from} to {args.date_to}"
        ),
    )

"""``qa-app evidence-pack``: write the inspection evidence pack as a Word file.

qa-app evidence-pack --from 2025-09-01 --to 2026-08-31 [--team T] --output FILE.docx
"""

from __future__ import annotations

from qa_app.commands.word_document import (
    REPORTING_OPERATOR,
    add_output_argument,
    add_period_arguments,
    write_word_document,
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evidence-pack", help="write the inspection evidence pack (.docx)"
    )
    add_period_arguments(parser)
    add_output_argument(parser, "pack")
    parser.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services.evidence_pack import EvidenceRequest, build_evidence_pack

    request = EvidenceRequest(date_from=args.date_from, date_to=args.date_to, team=args.team)
    return write_word_document(
        "evidence-pack",
        args.output,
        args.settings,
        lambda session, settings: build_evidence_pack(
            session, REPORTING_OPERATOR, request, settings=settings
        ),
        lambda pack: (
            f"wrote evidence pack: {pack.audits} audits from {args.date_from} to {args.date_to}"
            + (f" for team {args.team}" if args.team else "")
        ),
    )

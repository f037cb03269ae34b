"""``qa-app ingest FILE [FILE...] [--json]``: read EHC plans from Word (.docx) or PDF files.

With ``--json`` the redacted reading is printed (one object for one file, an array for
several), each outcome with the classifier's verdict; nothing is stored and no database
is needed. Without it each plan is saved to the configured database under a new
pseudonymous reference, its outcomes classified and the plan flagged, one line per file.
A refused file is reported on stderr as ``FILE: refused: <reason>`` (base name only); the
others carry on and the exit code is 1. ``--version-of REFERENCE`` stores one file as the
next version of the plan with that pseudonymous reference; an unknown reference is an
error, and nothing is stored.
"""

from __future__ import annotations

import json
import sys
from datetime import date


def register(subparsers) -> None:
    ingest = subparsers.add_parser("ingest", help="read EHC plans from .docx or .pdf files")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument(
        "--json", action="store_true", help="print the redacted reading as JSON; store nothing"
    )
    ingest.add_argument(
        "--audit-date",
        type=date.fromisoformat,
        help="date that age and key stage are worked out for (YYYY-MM-DD; default today)",
    )
    ingest.add_argument(
        "--plan-type",
        choices=["new", "annual_review"],
        default="annual_review",
        help="plan type saved with the plans (default annual_review)",
    )
    ingest.add_argument("--team", help="team saved with the plans")
    ingest.add_argument(
        "--version-of",
        metavar="REFERENCE",
        help="store the plan (one FILE) as a new version of the plan with this pseudonymous reference, "
        "e.g. the amended plan or the plan after an annual review",
    )
    ingest.set_defaults(func=run)


def run(args) -> int:
    from qa_app.ingest import PlanRefused, display_name, read_plan_file

    if args.version_of is not None and len(args.files) != 1:
        print(
            "error: --version-of takes exactly one FILE (one new version of one plan); nothing was stored.",
            file=sys.stderr,
        )
        return 2
    parsed, refused = [], False
    for name in args.files:
        try:
            parsed.append(read_plan_file(name, args.audit_date))
        except PlanRefused as refusal:
            print(f"{display_name(name)}: refused: {refusal.reason}", file=sys.stderr)
            refused = True
    if args.json:
        from qa_app.classifier import load_model
        from qa_app.services.flags import outcome_verdicts
        from qa_app.services.plan_checks import add_checks

        model = load_model()
        documents = [
            add_checks(plan, plan.to_json(outcome_verdicts(model, plan.outcomes)))
            for plan in parsed
        ]
        if len(args.files) == 1:
            if documents:
                print(json.dumps(documents[0], ensure_ascii=False, indent=2))
        else:
            print(json.dumps(documents, ensure_ascii=False, indent=2))
    elif parsed and not _store(parsed, args):
        return 1
    return 1 if refused else 0


def _store(parsed, args) -> bool:
    """Store the plans; False when the database refuses them all (a demo database)."""
    from qa_app.services import database_kind
    from qa_app.services.access import SYSTEM
    from qa_app.services.errors import DemoDatabase, InvalidInput
    from qa_app.services.plan_import import PlanDetails, import_plan
    from qa_app.store.engine import open_session, session_scope

    settings = args.settings
    try:
        with open_session(settings.database_url, migrate=False) as session:
            database_kind.refuse_in_demo(session, "storing imported plans")
    except DemoDatabase as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return False
    for plan in parsed:
        details = PlanDetails.from_parsed(plan, plan_type=args.plan_type, team=args.team)
        try:
            with session_scope(settings.database_url) as session:
                stored = import_plan(
                    session, SYSTEM, plan, details, settings=settings, version_of=args.version_of
                )
                reference, flagged, version = (
                    stored.reference,
                    stored.weak_flag,
                    stored.version_number,
                )
        except InvalidInput as refusal:
            print(f"error: {refusal}", file=sys.stderr)
            return False
        print(
            f"{plan.file}: imported as {reference}: {len(plan.sections)} sections, "
            f"{len(plan.outcomes)} outcomes, {len(plan.provision)} provision items, "
            f"{len(plan.warnings)} warnings, {'flagged' if flagged else 'not flagged'}"
            + (
                f", version {version} of {args.version_of.strip().upper()}"
                if args.version_of
                else ""
            )
        )
    return True

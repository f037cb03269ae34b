"""``qa-app purge``: remove plan text older than the retention period."""

from __future__ import annotations

from qa_app.services.access import OPERATOR


def register(subparsers) -> None:
    purge = subparsers.add_parser(
        "purge",
        help="remove plan text older than the retention period, keeping anonymised scores",
    )
    purge.add_argument(
        "--days",
        type=int,
        default=None,
        help="retention period in days (default: the QA_RETENTION_DAYS setting)",
    )
    purge.add_argument(
        "--dry-run", action="store_true", help="count what would be removed and change nothing"
    )
    purge.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services import retention
    from qa_app.store.engine import open_session

    settings = args.settings
    days = settings.retention_days if args.days is None else args.days
    if days < 1:
        print("The retention period must be at least one day.")
        return 2
    with open_session(settings.database_url, migrate=False) as session:
        summary = retention.purge_plan_text(session, OPERATOR, days, dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    print(
        f"{verb} the text of {summary.plans} plans untouched for over {days} days: "
        f"{summary.sections} sections, {summary.outcomes} outcomes, {summary.provision_items} provision items, "
        f"{summary.audit_texts} audit notes and {summary.moderation_texts} moderation notes"
    )
    if not args.dry_run:
        print("scores, grades and outcome flags are kept; the purge is recorded in the audit log")
    return 0

"""``qa-app actions list [--status open|overdue|done|cancelled] [--owner NAME] [--json]``:
the actions that follow audits, as a table or as a JSON array.

Each JSON object holds ``id``, ``audit_id``, ``plan_reference``, ``kind``,
``description`` (identifiers redacted), ``owner`` as ``{"kind": "user" or "team",
"name": ...}``, ``due_date`` (ISO date), ``status``, ``overdue`` (true or false), and
``created_at`` and ``closed_at`` (ISO 8601 UTC; ``closed_at`` null while open).
"""

from __future__ import annotations

import dataclasses
import json

from qa_app.services.access import OPERATOR

# The command line reads every action, as a QA lead does.
READING_OPERATOR = dataclasses.replace(OPERATOR, roles=OPERATOR.roles | {"qa_lead"})
TABLE_COLUMNS = ("id", "audit", "plan", "kind", "owner", "due", "status", "description")
DESCRIPTION_WIDTH = 60


def register(subparsers) -> None:
    actions = subparsers.add_parser("actions", help="the actions that follow audits")
    commands = actions.add_subparsers(dest="actions_command", required=True)
    listing = commands.add_parser("list", help="list actions, overdue first")
    listing.add_argument(
        "--status",
        choices=["open", "overdue", "done", "cancelled"],
        help="only actions with this status (overdue: open and past the due date)",
    )
    listing.add_argument(
        "--owner", metavar="NAME", help="only actions owned by this user (name or username) or team"
    )
    listing.add_argument(
        "--json", action="store_true", help="print a JSON array instead of a table"
    )
    listing.set_defaults(func=run_list)


def run_list(args) -> int:
    from qa_app.services.actions import list_actions
    from qa_app.services.errors import ServiceError
    from qa_app.store.engine import open_session

    settings = args.settings
    try:
        with open_session(settings.database_url, migrate=False) as session:
            views = list_actions(session, READING_OPERATOR, status=args.status, owner=args.owner)
            documents = [view.to_json() for view in views]
    except ServiceError as error:
        print(f"qa-app actions list: {error}")
        return 1
    if args.json:
        print(json.dumps(documents, ensure_ascii=False, indent=2))
    else:
        print(_table(documents))
    return 0


def _table(documents: list[dict]) -> str:
    if not documents:
        return "No actions."
    rows = [TABLE_COLUMNS] + [
        (
            str(d["id"]),
            str(d["audit_id"]),
            d["plan_reference"],
            d["kind"],
            f"{d['owner']['name']} ({d['owner']['kind']})",
            d["due_date"],
            "overdue" if d["overdue"] else d["status"],
            _one_line(d["description"]),
        )
        for d in documents
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(TABLE_COLUMNS) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True))
        + "  "
        + row[-1]
        for row in rows
    )


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_WIDTH else text[: DESCRIPTION_WIDTH - 1] + "…"

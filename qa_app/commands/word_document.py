"""What ``qa-app report`` and ``qa-app evidence-pack`` share: the period they cover, the
``.docx`` they write and how they say what went wrong. The service that builds the
document records its export in the event log."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from qa_app.services.access import OPERATOR

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from qa_app.settings import Settings

# Whoever runs the command on the server can read the database anyway, so the command
# line may produce reports as a QA lead does; the event log still names the command line.
REPORTING_OPERATOR = dataclasses.replace(OPERATOR, roles=OPERATOR.roles | {"qa_lead"})


class WordDocument(Protocol):
    content: bytes
    audits: int


def add_period_arguments(parser) -> None:
    """``--from`` and ``--to`` (both required) and ``--team``."""
    for flag, dest, day in (("--from", "date_from", "first"), ("--to", "date_to", "last")):
        parser.add_argument(
            flag,
            dest=dest,
            required=True,
            type=date.fromisoformat,
            metavar="DATE",
            help=f"{day} day of the period (YYYY-MM-DD)",
        )
    parser.add_argument("--team", metavar="T", help="only plans of this team")


def add_output_argument(parser, what: str) -> None:
    parser.add_argument(
        "--output", required=True, type=Path, metavar="FILE.docx", help=f"where to write the {what}"
    )


def write_word_document(
    command: str,
    output: Path,
    settings: Settings,
    build: Callable[[Session, Settings], WordDocument],
    summary: Callable[[WordDocument], str],
) -> int:
    """Build the document in a session on the current database, write it where only its
    owner can read it, print ``summary`` of it and the privacy note; the exit status."""
    from qa_app.services.errors import ServiceError
    from qa_app.services.private_files import PRIVATE_NOTE, write_private
    from qa_app.store.engine import open_session

    if output.suffix.lower() != ".docx":
        print(f"qa-app {command}: error: the output file must end in .docx", file=sys.stderr)
        return 2
    try:
        with open_session(settings.database_url, migrate=False) as session:
            document = build(session, settings)
            write_private(output, document.content)
    except ServiceError as error:
        print(f"qa-app {command}: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(
            f"qa-app {command}: error: cannot write the output file ({error.strerror})",
            file=sys.stderr,
        )
        return 2
    print(summary(document))
    print(PRIVATE_NOTE)
    return 0

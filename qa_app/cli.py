"""The ``qa-app`` command. Thin: each sub-command lives in ``qa_app/commands/<name>.py``
with a ``register(subparsers)`` function that adds its parser and sets ``func``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

from qa_app.settings import Settings, SettingsError, get_settings

COMMAND_MODULES = [
    "db",
    "rubric",
    "demo",
    "bench",
    "users",
    "purge",
    "ingest",
    "flag",
    "train",
    "classify",
    "backup",
    "ready",
    "report",
    "export",
    "actions",
    "evidence_pack",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa-app", description="EHCP quality-assurance audit tool")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"qa_app.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """Run one command with ``settings``, by default those the environment's ``QA_*``
    variables make, read here once and handed to the command as ``args.settings``."""
    from qa_app.store.engine import DatabaseBehind

    args = build_parser().parse_args(argv)
    try:
        args.settings = settings or get_settings()
        return int(args.func(args) or 0)
    except SettingsError as error:
        print(f"qa-app: {error}", file=sys.stderr)
        return 2
    except DatabaseBehind as error:
        print(f"qa-app {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``qa-app actions list | head``): stop quietly, and point
        # stdout at nothing so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        # A bug. Its message and traceback can quote plan text or notes (a database error
        # quotes the values of its statement), so only its kind and place are shown.
        print(
            f"qa-app {args.command}: stopped by an unexpected {_kind(error)}{_place(error)}. "
            "Its message is not shown, since it can quote plan text. Tell your administrator "
            "the time, the command and this line.",
            file=sys.stderr,
        )
        return 1


def _kind(error: Exception) -> str:
    cause = getattr(error, "orig", None)
    return type(error).__name__ + (f" ({type(cause).__name__})" if cause is not None else "")


def _place(error: Exception) -> str:
    """The innermost line of this package the error passed through, as ``module:line``."""
    place = ""
    for frame, line in traceback.walk_tb(error.__traceback__):
        module = frame.f_globals.get("__name__", "")
        if module.startswith("qa_app."):
            place = f" in {module}:{line}"
    return place


if __name__ == "__main__":
    sys.exit(main())

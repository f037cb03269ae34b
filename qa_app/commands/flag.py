"""``qa-app flag [--all | --model-changed]``: re-check stored plans for weak outcomes.

Run after a new outcome model ships. ``--all`` (the default) re-checks every plan that
still holds its text; ``--model-changed`` only those whose flag came from another model
version, or from none. A progress bar is drawn when stderr is a terminal; the last line
is ``flagged N of M plans``. The run is recorded in the event log.
"""

from __future__ import annotations

import sys

from qa_app.services.access import OPERATOR

_BAR_WIDTH = 30


def register(subparsers) -> None:
    flag = subparsers.add_parser("flag", help="re-check stored plans for weak outcomes")
    scope = flag.add_mutually_exclusive_group()
    scope.add_argument(
        "--all", action="store_true", help="every plan that still holds its text (default)"
    )
    scope.add_argument(
        "--model-changed",
        action="store_true",
        help="only plans whose flag came from another model version, or from none",
    )
    flag.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services.flags import flag_stored_plans
    from qa_app.store.engine import open_session

    settings = args.settings
    progress = _draw_bar if sys.stderr.isatty() else None
    with open_session(settings.database_url, migrate=False) as session:
        summary = flag_stored_plans(
            session,
            OPERATOR,
            model_changed_only=args.model_changed,
            settings=settings,
            progress=progress,
        )
    if progress:
        sys.stderr.write("\n")
    print(f"flagged {summary.flagged} of {summary.plans} plans")
    return 0


def _draw_bar(done: int, total: int) -> None:
    filled = _BAR_WIDTH * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done}/{total} plans")
    sys.stderr.flush()

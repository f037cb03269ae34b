"""``qa-app ready``: the readiness check for load balancers, orchestrators and scripts.

Exit codes: 0 ready; 3 the database cannot be used: the server does not answer, refuses
the password or the user, or has no such database (the line printed says which); 4 the
database answers but its migrations are behind (run ``qa-app db upgrade``). Liveness is Streamlit's own
``/_stcore/health`` endpoint.
"""

from __future__ import annotations

READY = 0
UNREACHABLE = 3
MIGRATIONS_BEHIND = 4


def register(subparsers) -> None:
    ready = subparsers.add_parser(
        "ready",
        help="check the database answers and is migrated (exit 0 ready, 3 unreachable, 4 migrations behind)",
    )
    ready.set_defaults(func=run)


def run(args) -> int:
    from qa_app.services.health import readiness

    state = readiness(args.settings.database_url)
    if state.ready:
        print("ready")
        return READY
    print(f"not ready: {state.problem}")
    return UNREACHABLE if not state.reachable else MIGRATIONS_BEHIND

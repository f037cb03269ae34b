"""``qa-app db upgrade``: apply the Alembic migrations to the configured database.
``qa-app db grant RUNTIME_ROLE``: on PostgreSQL, give the app servers' role exactly the
privileges they need (run as the owner, again after each upgrade)."""

from __future__ import annotations


def register(subparsers) -> None:
    db = subparsers.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="apply migrations up to the latest")
    upgrade.set_defaults(func=upgrade_database)
    grant = actions.add_parser(
        "grant", help="PostgreSQL: give the runtime role the app's privileges, no more"
    )
    grant.add_argument("role", help="the role the app servers sign in as")
    grant.set_defaults(func=grant_runtime_role)


def upgrade_database(args) -> int:
    from qa_app.services.bootstrap import settle_database_kind
    from qa_app.store.engine import open_session

    settings = args.settings
    with open_session(settings.database_url, migrate=True) as session:
        kind = settle_database_kind(session, settings)
    print(
        f"database is at the latest migration: {redacted_url(settings.database_url)} ({kind} database)"
    )
    return 0


def grant_runtime_role(args) -> int:
    from qa_app.store.engine import require_current
    from qa_app.store.roles import GrantRefused, grant_runtime

    url = args.settings.database_url
    try:
        require_current(url)
        result = grant_runtime(url, args.role)
    except GrantRefused as refusal:
        print(f"nothing granted: {refusal}")
        return 1
    print(
        f"granted {result.role} the runtime privileges on {result.tables} tables "
        f"(audit_log: read and append only; no DDL): {redacted_url(url)}"
    )
    return 0


def redacted_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

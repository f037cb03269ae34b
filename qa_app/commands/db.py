"""``qa-app db upgrade``: apply the Alembic migrations to the configured database."""

from __future__ import annotations


def register(subparsers) -> None:
    db = subparsers.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="apply migrations up to the latest")
    upgrade.set_defaults(func=upgrade_database)


def upgrade_database(args) -> int:
    from qa_app.services.bootstrap import settle_database_kind
    from qa_app.settings import get_settings
    from qa_app.store.engine import session_scope, upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        kind = settle_database_kind(session, settings)
    print(f"database is at the latest migration: {redacted_url(settings.database_url)} ({kind} database)")
    return 0


def redacted_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

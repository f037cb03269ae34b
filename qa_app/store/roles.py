"""PostgreSQL's two roles: the owner, which holds the schema (``qa-app db upgrade``,
``qa-app db grant`` and ``qa-app restore`` run as it), and the runtime role the app
servers sign in as.

The runtime role may read and write the app's tables, but it owns nothing, so it cannot
alter, drop or disable the triggers of any table; it cannot create tables, functions,
schemas or temporary tables; and on ``audit_log`` it may only read and append.
``grant_runtime`` is run again after every upgrade, so that new tables are covered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from qa_app.store.engine import engine_for

APPEND_ONLY_TABLES = ("audit_log", "database_kind")
READ_ONLY_TABLES = ("alembic_version",)


class GrantRefused(RuntimeError):
    """The runtime role cannot be set up as asked; the message says why."""


@dataclass(frozen=True)
class GrantResult:
    role: str
    tables: int


def grant_runtime(url: str, role: str) -> GrantResult:
    """Give ``role`` exactly the runtime privileges on the database at ``url``, run as
    the database's owner."""
    engine = engine_for(url)
    if engine.dialect.name != "postgresql":
        raise GrantRefused(
            "Roles exist only on PostgreSQL; an SQLite database is protected by its file's permissions."
        )
    with engine.begin() as connection:
        found = connection.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}
        ).first()
        if found is None:
            raise GrantRefused(
                f"There is no PostgreSQL role named {role}: create it first (createuser {role})."
            )
        if found.rolsuper:
            raise GrantRefused(
                f"{role} is a superuser, which no grant can restrict: use an ordinary role."
            )
        database, me = connection.execute(text("SELECT current_database(), current_user")).one()
        if role == me:
            raise GrantRefused(
                f"{role} is the role running this command: run it as the owner, naming the runtime role."
            )
        owned = connection.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = :role"
            ),
            {"role": role},
        ).scalar_one()
        db_owner = connection.execute(
            text(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
            )
        ).scalar_one()
        if owned or db_owner == role:
            raise GrantRefused(
                f"{role} owns the database or its tables, and an owner can change or drop anything: "
                "make another role the owner (see README, Deploying on PostgreSQL)."
            )
        tables = (
            connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
                )
            )
            .scalars()
            .all()
        )
        quote = engine.dialect.identifier_preparer.quote
        who, where = quote(role), quote(database)
        for statement in (
            f"REVOKE CREATE, TEMPORARY ON DATABASE {where} FROM PUBLIC",
            f"REVOKE CREATE, TEMPORARY ON DATABASE {where} FROM {who}",
            f"GRANT CONNECT ON DATABASE {where} TO {who}",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            f"REVOKE CREATE ON SCHEMA public FROM {who}",
            f"GRANT USAGE ON SCHEMA public TO {who}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
        ):
            connection.execute(text(statement))
        for table in tables:
            if table in READ_ONLY_TABLES:
                privileges = "SELECT"
            elif table in APPEND_ONLY_TABLES:
                privileges = "SELECT, INSERT"
            else:
                privileges = "SELECT, INSERT, UPDATE, DELETE"
            connection.execute(text(f"GRANT {privileges} ON TABLE {quote(table)} TO {who}"))
    return GrantResult(role, len(tables))

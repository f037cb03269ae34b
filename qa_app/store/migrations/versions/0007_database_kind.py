"""each database records once whether it is a demo database or a real one

A database that already holds people or plans is classed by what it holds: demo only if
everything in it is synthetic. An empty one is classed by whoever creates it (the app's
start, ``qa-app db upgrade`` or ``qa-app demo``).

Revision ID: 0007_database_kind
Revises: 0006_provision_checks_and_thread
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_database_kind"
down_revision = "0006_provision_checks_and_thread"
branch_labels = None
depends_on = None

REFUSAL = "the database kind (demo or real) is set when the database is created and cannot change"


def upgrade() -> None:
    op.create_table(
        "database_kind",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_database_kind_one_row"),
        sa.CheckConstraint("kind = 'demo' OR kind = 'real'", name="ck_database_kind_kind"),
    )
    _class_existing_data()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION database_kind_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSAL}';
            END;
            $$
        """)
        op.execute("""
            CREATE TRIGGER database_kind_no_change BEFORE UPDATE OR DELETE ON database_kind
            FOR EACH ROW EXECUTE FUNCTION database_kind_refuse_change()
        """)
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER database_kind_no_{event.lower()} BEFORE {event} ON database_kind
            BEGIN
                SELECT RAISE(ABORT, '{REFUSAL}');
            END
        """)


def _class_existing_data() -> None:
    bind = op.get_bind()
    real = bind.scalar(
        sa.text(
            "SELECT (SELECT count(*) FROM users WHERE NOT is_synthetic)"
            " + (SELECT count(*) FROM plans WHERE NOT is_synthetic)"
        )
    )
    synthetic = bind.scalar(
        sa.text(
            "SELECT (SELECT count(*) FROM users WHERE is_synthetic)"
            " + (SELECT count(*) FROM plans WHERE is_synthetic)"
        )
    )
    if real or synthetic:
        bind.execute(
            sa.text(
                "INSERT INTO database_kind (id, kind, created_at) VALUES (1, :kind, CURRENT_TIMESTAMP)"
            ),
            {"kind": "real" if real else "demo"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER database_kind_no_change ON database_kind")
        op.execute("DROP FUNCTION database_kind_refuse_change()")
    else:
        op.execute("DROP TRIGGER database_kind_no_delete")
        op.execute("DROP TRIGGER database_kind_no_update")
    op.drop_table("database_kind")

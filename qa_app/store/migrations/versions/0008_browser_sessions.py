"""browser sessions kept by the hash of their cookie, and failed sign-ins per client
address for the lockout (which replace the per-account counter)

Revision ID: 0008_browser_sessions
Revises: 0007_database_kind
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_browser_sessions"
down_revision = "0007_database_kind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idle_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cookie_set_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_reason", sa.String(40)),
    )
    op.create_index("ix_browser_sessions_user_id", "browser_sessions", ["user_id"])
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("address_hash", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sign_in_failures_user_id", "sign_in_failures", ["user_id"])
    op.create_index("ix_sign_in_failures_failed_at", "sign_in_failures", ["failed_at"])
    op.create_index(
        "ix_sign_in_failures_address_at", "sign_in_failures", ["address_hash", "failed_at"]
    )
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch rebuild of users would
    # cascade deletes into every table that refers to it.
    for column in ("failed_sign_ins", "locked_until"):
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")


def downgrade() -> None:
    op.add_column("users", sa.Column("failed_sign_ins", sa.Integer()))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.drop_table("sign_in_failures")
    op.drop_table("browser_sessions")

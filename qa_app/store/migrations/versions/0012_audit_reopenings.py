"""the reason for reopening an audit kept with the audit (redacted, purged with the
plan's text) instead of in the append-only audit log

Revision ID: 0012_audit_reopenings
Revises: 0011_family_voice
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_audit_reopenings"
down_revision = "0011_family_voice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_reopenings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "audit_id", sa.Integer(), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("reopened_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_reopenings_audit_id", "audit_reopenings", ["audit_id"])


def downgrade() -> None:
    op.drop_table("audit_reopenings")

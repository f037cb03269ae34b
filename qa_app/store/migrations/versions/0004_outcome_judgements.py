"""auditors' judgements on weak-outcome flags

Revision ID: 0004_outcome_judgements
Revises: 0003_audit_log_append_only
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_outcome_judgements"
down_revision = "0003_audit_log_append_only"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcome_judgements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "outcome_id",
            sa.Integer(),
            sa.ForeignKey("outcomes.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "audit_id", sa.Integer(), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("auditor_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("flagged_weak", sa.Boolean(), nullable=False),
        sa.Column("agrees", sa.Boolean(), nullable=False),
        sa.Column("model_version", sa.String(80), nullable=False),
        sa.Column("judged_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("outcome_id", "audit_id"),
    )
    for column in ("outcome_id", "audit_id", "auditor_id"):
        op.create_index(f"ix_outcome_judgements_{column}", "outcome_judgements", [column])


def downgrade() -> None:
    op.drop_table("outcome_judgements")

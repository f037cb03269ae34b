"""provision verdicts, auditors' judgements on them, and each plan's golden thread

Revision ID: 0006_provision_checks_and_thread
Revises: 0005_outcome_steps_and_links
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_provision_checks_and_thread"
down_revision = "0005_outcome_steps_and_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("provision_items") as table:
        table.add_column(sa.Column("area", sa.String(length=30), nullable=True))
        table.add_column(sa.Column("weak", sa.Boolean(), nullable=True))
        table.add_column(sa.Column("p_weak", sa.Float(), nullable=True))
        table.add_column(sa.Column("reasons", sa.String(length=200), nullable=True))
        table.add_column(sa.Column("model_version", sa.String(length=80), nullable=True))
    with op.batch_alter_table("plans") as table:
        table.add_column(sa.Column("thread", sa.Text(), nullable=True))
    op.create_table(
        "provision_judgements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "provision_id",
            sa.Integer(),
            sa.ForeignKey("provision_items.id", ondelete="CASCADE"),
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
        sa.UniqueConstraint("provision_id", "audit_id"),
    )
    for column in ("provision_id", "audit_id", "auditor_id"):
        op.create_index(f"ix_provision_judgements_{column}", "provision_judgements", [column])
    op.create_table(
        "thread_gaps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "plan_id", sa.Integer(), sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("area", sa.String(30), nullable=True),
        sa.Column("detail", sa.String(300), nullable=False),
    )
    op.create_index("ix_thread_gaps_plan_id", "thread_gaps", ["plan_id"])
    op.create_index("ix_thread_gaps_kind", "thread_gaps", ["kind"])


def downgrade() -> None:
    op.drop_table("thread_gaps")
    op.drop_table("provision_judgements")
    with op.batch_alter_table("plans") as table:
        table.drop_column("thread")
    with op.batch_alter_table("provision_items") as table:
        for column in ("model_version", "reasons", "p_weak", "weak", "area"):
            table.drop_column(column)

"""actions that follow an audit or a moderation, and versions of a plan (an amended
plan, or the plan after an annual review) under one pseudonymous case

Revision ID: 0009_actions_and_plan_versions
Revises: 0008_browser_sessions
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_actions_and_plan_versions"
down_revision = "0008_browser_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "audit_id", sa.Integer(), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "moderation_id", sa.Integer(), sa.ForeignKey("moderations.id", ondelete="SET NULL")
        ),
        sa.Column("criterion_id", sa.String(80)),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("owner_team", sa.String(80)),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("completion_note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "(owner_user_id IS NULL) <> (owner_team IS NULL)", name="ck_actions_one_owner"
        ),
        sa.CheckConstraint(
            "status = 'open' OR status = 'done' OR status = 'cancelled'", name="ck_actions_status"
        ),
    )
    for column in ("audit_id", "moderation_id", "owner_user_id", "created_by_id"):
        op.create_index(f"ix_actions_{column}", "actions", [column])
    op.create_index("ix_actions_status_due", "actions", ["status", "due_date"])
    # Plain ALTER TABLE ADD COLUMN (SQLite and PostgreSQL): a batch rebuild of plans
    # would cascade deletes into every table that refers to it.
    op.execute("ALTER TABLE plans ADD COLUMN case_plan_id INTEGER REFERENCES plans (id)")
    op.execute("ALTER TABLE plans ADD COLUMN version_number INTEGER NOT NULL DEFAULT 1")
    op.create_index("ix_plans_case_plan_id", "plans", ["case_plan_id"])


def downgrade() -> None:
    op.drop_index("ix_plans_case_plan_id", table_name="plans")
    for column in ("version_number", "case_plan_id"):
        op.execute(f"ALTER TABLE plans DROP COLUMN {column}")
    op.drop_table("actions")

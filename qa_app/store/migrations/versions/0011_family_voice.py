"""family voice: what parents, carers, children and young people said about a plan

Revision ID: 0011_family_voice
Revises: 0010_dashboard_change_counter
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_family_voice"
down_revision = "0010_dashboard_change_counter"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "family_voice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "audit_id", sa.Integer(), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "plan_id", sa.Integer(), sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("respondent", sa.String(20), nullable=False),
        sa.Column("listened_to", sa.Integer(), nullable=True),
        sa.Column("describes", sa.Integer(), nullable=True),
        sa.Column("what_happens", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("audit_id", "respondent"),
        sa.CheckConstraint(
            "respondent = 'parent_carer' OR respondent = 'child_young_person'",
            name="ck_family_voice_respondent",
        ),
    )
    for column in ("audit_id", "plan_id", "recorded_at"):
        op.create_index(f"ix_family_voice_{column}", "family_voice", [column])


def downgrade() -> None:
    op.drop_table("family_voice")

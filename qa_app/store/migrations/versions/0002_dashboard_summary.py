"""dashboard summary tables

Revision ID: 0002_dashboard
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_dashboard"
down_revision = "0001"
branch_labels = None
depends_on = None

PLAN_DIMENSIONS = ("team", "primary_need", "key_stage", "setting_type", "plan_type")
COUNTS = (
    "audits",
    "graded",
    "good",
    "grade_4",
    "grade_3",
    "grade_2",
    "grade_1",
    "flag_known",
    "flagged",
    "pairs",
    "agreed",
    "new_dated",
    "on_time",
)


def upgrade() -> None:
    op.create_table(
        "dashboard_audit_facts",
        sa.Column("audit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("audit_version", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("team", sa.String(length=80), nullable=True),
        sa.Column("primary_need", sa.String(length=10), nullable=True),
        sa.Column("key_stage", sa.String(length=10), nullable=True),
        sa.Column("setting_type", sa.String(length=30), nullable=True),
        sa.Column("plan_type", sa.String(length=20), nullable=True),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("weak_flag", sa.Integer(), nullable=True),
        sa.Column("pair_agreed", sa.Integer(), nullable=True),
        sa.Column("days_to_issue", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("audit_id"),
    )
    op.create_index(
        "ix_dashboard_audit_facts_month", "dashboard_audit_facts", ["rubric_version_id", "month"]
    )
    for name in PLAN_DIMENSIONS:
        op.create_index(f"ix_dashboard_audit_facts_{name}", "dashboard_audit_facts", [name])
    op.create_table(
        "dashboard_month_totals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_dashboard_month_totals_lookup",
        "dashboard_month_totals",
        ["dimension", "rubric_version_id", "month"],
    )
    op.create_table(
        "dashboard_criterion_totals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        sa.Column("criterion_id", sa.String(length=80), nullable=False),
        sa.Column("score_sum", sa.Integer(), nullable=False),
        sa.Column("score_count", sa.Integer(), nullable=False),
        sa.Column("good_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_dashboard_criterion_totals_lookup",
        "dashboard_criterion_totals",
        ["dimension", "rubric_version_id", "month"],
    )
    op.create_table(
        "dashboard_summary_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO dashboard_summary_state (id, data_version) VALUES (1, '')")
    op.create_index(
        "ix_criterion_scores_audit_score", "criterion_scores", ["audit_id", "criterion_id", "score"]
    )
    # Covering indexes for the data version read on every dashboard request.
    op.create_index("ix_audits_status_version", "audits", ["status", "version", "id"])
    op.create_index("ix_plans_weak_flag", "plans", ["weak_flag", "id"])


def downgrade() -> None:
    op.drop_index("ix_plans_weak_flag", table_name="plans")
    op.drop_index("ix_audits_status_version", table_name="audits")
    op.drop_index("ix_criterion_scores_audit_score", table_name="criterion_scores")
    op.drop_table("dashboard_summary_state")
    op.drop_index("ix_dashboard_criterion_totals_lookup", table_name="dashboard_criterion_totals")
    op.drop_table("dashboard_criterion_totals")
    op.drop_index("ix_dashboard_month_totals_lookup", table_name="dashboard_month_totals")
    op.drop_table("dashboard_month_totals")
    for name in PLAN_DIMENSIONS:
        op.drop_index(f"ix_dashboard_audit_facts_{name}", table_name="dashboard_audit_facts")
    op.drop_index("ix_dashboard_audit_facts_month", table_name="dashboard_audit_facts")
    op.drop_table("dashboard_audit_facts")

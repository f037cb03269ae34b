"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=True),
        sa.Column("field", sa.String(length=80), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("age_at_audit", sa.Integer(), nullable=True),
        sa.Column("key_stage", sa.String(length=10), nullable=True),
        sa.Column("primary_need", sa.String(length=10), nullable=True),
        sa.Column("setting_type", sa.String(length=30), nullable=True),
        sa.Column("team", sa.String(length=80), nullable=True),
        sa.Column("writer_code", sa.String(length=20), nullable=True),
        sa.Column("plan_type", sa.String(length=20), nullable=False),
        sa.Column("request_date", sa.Date(), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("weak_flag", sa.Boolean(), nullable=True),
        sa.Column("weak_flag_reason", sa.Text(), nullable=True),
        sa.Column("weak_flag_model", sa.String(length=80), nullable=True),
        sa.Column("text_purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(
            "ix_plans_filters", ["team", "primary_need", "key_stage"], unique=False
        )

    op.create_table(
        "rubric_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_key", sa.String(length=80), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rubric_key", "content_hash"),
    )
    with op.batch_alter_table("rubric_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rubric_versions_rubric_key"), ["rubric_key"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("agency", sa.String(length=20), nullable=True),
        sa.Column("writer_code", sa.String(length=20), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("oidc_subject", sa.String(length=255), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("oidc_subject"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "audit_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("double_rate_pct", sa.Float(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["rubric_version_id"],
            ["rubric_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("area", sa.String(length=120), nullable=True),
        sa.Column("timescale", sa.String(length=120), nullable=True),
        sa.Column("weak", sa.Boolean(), nullable=True),
        sa.Column("p_weak", sa.Float(), nullable=True),
        sa.Column("reasons", sa.String(length=200), nullable=True),
        sa.Column("model_version", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcomes_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("letter", sa.String(length=3), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "letter"),
    )
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_sections_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "provision_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=3), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provision_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provision_items_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "role"),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=True),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("double_rated", sa.Boolean(), nullable=False),
        sa.Column("rating_order", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("areas_for_development", sa.Text(), nullable=False),
        sa.Column("overall_grade", sa.Integer(), nullable=True),
        sa.Column("section_grades", sa.JSON(), nullable=True),
        sa.Column("grade_reasons", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["auditor_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["rubric_version_id"],
            ["rubric_versions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sample_id"],
            ["audit_samples.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audits_auditor_id"), ["auditor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audits_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audits_rubric_version_id"), ["rubric_version_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audits_sample_id"), ["sample_id"], unique=False)
        batch_op.create_index(
            "ix_audits_status_submitted", ["status", "submitted_at"], unique=False
        )

    op.create_table(
        "criterion_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=80), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audits.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_id", "criterion_id"),
    )
    op.create_table(
        "moderations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("first_audit_id", sa.Integer(), nullable=False),
        sa.Column("second_audit_id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("overall_grade", sa.Integer(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["first_audit_id"], ["audits.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["rubric_version_id"],
            ["rubric_versions.id"],
        ),
        sa.ForeignKeyConstraint(["second_audit_id"], ["audits.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("moderations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderations_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "moderation_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderation_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=80), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["moderation_id"], ["moderations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("moderation_id", "criterion_id"),
    )


def downgrade() -> None:
    op.drop_table("moderation_scores")
    with op.batch_alter_table("moderations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderations_plan_id"))

    op.drop_table("moderations")
    op.drop_table("criterion_scores")
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index("ix_audits_status_submitted")
        batch_op.drop_index(batch_op.f("ix_audits_sample_id"))
        batch_op.drop_index(batch_op.f("ix_audits_rubric_version_id"))
        batch_op.drop_index(batch_op.f("ix_audits_plan_id"))
        batch_op.drop_index(batch_op.f("ix_audits_auditor_id"))

    op.drop_table("audits")
    op.drop_table("user_roles")
    with op.batch_alter_table("provision_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provision_items_plan_id"))

    op.drop_table("provision_items")
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_sections_plan_id"))

    op.drop_table("plan_sections")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcomes_plan_id"))

    op.drop_table("outcomes")
    op.drop_table("audit_samples")
    op.drop_table("users")
    with op.batch_alter_table("rubric_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubric_versions_rubric_key"))

    op.drop_table("rubric_versions")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("ix_plans_filters")

    op.drop_table("plans")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")

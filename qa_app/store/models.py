"""The database tables, as SQLAlchemy 2 ORM classes.

Plans are pseudonymous: no child's name, date of birth or other identifier is stored,
only a generated reference and the metadata that trends need.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    agency: Mapped[str | None] = mapped_column(String(20))
    writer_code: Mapped[str | None] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class BrowserSession(Base):
    """A signed-in browser: only the SHA-256 of its cookie's random token is kept."""

    __tablename__ = "browser_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    idle_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cookie_set_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class SignInFailure(Base):
    """One failed sign-in, kept for the lockout window only. The client address is kept
    as a hash, never as typed."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_address_at", "address_hash", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    address_hash: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    year_group: Mapped[int | None] = mapped_column(Integer)
    age_at_audit: Mapped[int | None] = mapped_column(Integer)
    key_stage: Mapped[str | None] = mapped_column(String(10))
    primary_need: Mapped[str | None] = mapped_column(String(10))
    setting_type: Mapped[str | None] = mapped_column(String(30))
    team: Mapped[str | None] = mapped_column(String(80))
    writer_code: Mapped[str | None] = mapped_column(String(20))
    plan_type: Mapped[str] = mapped_column(String(20), default="annual_review")
    request_date: Mapped[date | None] = mapped_column(Date)
    issue_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="manual")
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    weak_flag: Mapped[bool | None] = mapped_column(Boolean)
    weak_flag_reason: Mapped[str | None] = mapped_column(Text)
    weak_flag_model: Mapped[str | None] = mapped_column(String(80))
    # The golden thread as built at import: {"needs", "links", "gaps"} as JSON text.
    thread: Mapped[str | None] = mapped_column(Text)
    # Versions of one pseudonymous case (an amended plan, the plan after a review): the
    # first version's id, null on the first version itself, and this version's number.
    case_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    text_purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sections: Mapped[list[PlanSection]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanSection.position"
    )
    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Outcome.position"
    )
    provision: Mapped[list[ProvisionItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="ProvisionItem.position"
    )
    thread_gaps: Mapped[list[ThreadGap]] = relationship(
        cascade="all, delete-orphan", order_by="ThreadGap.position"
    )
    audits: Mapped[list[Audit]] = relationship(back_populates="plan")

    def metadata_dict(self) -> dict:
        return {
            "year_group": self.year_group,
            "key_stage": self.key_stage,
            "primary_need": self.primary_need,
            "setting_type": self.setting_type,
            "plan_type": self.plan_type,
            "team": self.team,
        }


Index("ix_plans_filters", Plan.team, Plan.primary_need, Plan.key_stage)


class PlanSection(Base):
    __tablename__ = "plan_sections"
    __table_args__ = (UniqueConstraint("plan_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    letter: Mapped[str] = mapped_column(String(3))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="sections")


class Outcome(Base):
    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(120))
    timescale: Mapped[str | None] = mapped_column(String(120))
    # Interim steps or short-term targets, one a line.
    steps: Mapped[str | None] = mapped_column(Text)
    need_area: Mapped[str | None] = mapped_column(String(30))
    # The plan's own numbering of a need-provision-outcome group (national template).
    link: Mapped[str | None] = mapped_column(String(40))
    weak: Mapped[bool | None] = mapped_column(Boolean)
    p_weak: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[str | None] = mapped_column(String(200))
    model_version: Mapped[str | None] = mapped_column(String(80))

    plan: Mapped[Plan] = relationship(back_populates="outcomes")


class OutcomeJudgement(Base):
    """An auditor's verdict on the classifier's flag for one outcome, made while auditing
    the plan: does the auditor agree that the outcome is weak (or strong)?"""

    __tablename__ = "outcome_judgements"
    __table_args__ = (UniqueConstraint("outcome_id", "audit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes.id", ondelete="CASCADE"), index=True
    )
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    flagged_weak: Mapped[bool] = mapped_column(Boolean)
    agrees: Mapped[bool] = mapped_column(Boolean)
    model_version: Mapped[str] = mapped_column(String(80))
    judged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    outcome: Mapped[Outcome] = relationship()


class ProvisionItem(Base):
    __tablename__ = "provision_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(3), default="F")
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(40))
    # The provision check's verdict (weak = vague) and the area the golden thread gave it.
    area: Mapped[str | None] = mapped_column(String(30))
    weak: Mapped[bool | None] = mapped_column(Boolean)
    p_weak: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[str | None] = mapped_column(String(200))
    model_version: Mapped[str | None] = mapped_column(String(80))

    plan: Mapped[Plan] = relationship(back_populates="provision")


class ProvisionJudgement(Base):
    """An auditor's verdict on the provision check's flag for one provision item."""

    __tablename__ = "provision_judgements"
    __table_args__ = (UniqueConstraint("provision_id", "audit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provision_id: Mapped[int] = mapped_column(
        ForeignKey("provision_items.id", ondelete="CASCADE"), index=True
    )
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    flagged_weak: Mapped[bool] = mapped_column(Boolean)
    agrees: Mapped[bool] = mapped_column(Boolean)
    model_version: Mapped[str] = mapped_column(String(80))
    judged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    provision: Mapped[ProvisionItem] = relationship()


class ThreadGap(Base):
    """One gap in a plan's golden thread, as the linker found it at import."""

    __tablename__ = "thread_gaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    area: Mapped[str | None] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(300))


class RubricVersion(Base):
    """A rubric exactly as it was loaded. Immutable once an audit uses it: an edited
    YAML file gets a new row, and older audits keep the version they were scored on."""

    __tablename__ = "rubric_versions"
    __table_args__ = (UniqueConstraint("rubric_key", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    first_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditSample(Base):
    """A batch of plans drawn for audit by a QA lead."""

    __tablename__ = "audit_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20))
    seed: Mapped[int | None] = mapped_column(Integer)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    double_rate_pct: Mapped[float] = mapped_column(Float, default=0.0)
    due_date: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Audit(Base):
    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"), index=True)
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("audit_samples.id"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    agency: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    double_rated: Mapped[bool] = mapped_column(Boolean, default=False)
    rating_order: Mapped[int] = mapped_column(Integer, default=1)
    due_date: Mapped[date | None] = mapped_column(Date)
    strengths: Mapped[str] = mapped_column(Text, default="")
    areas_for_development: Mapped[str] = mapped_column(Text, default="")
    overall_grade: Mapped[int | None] = mapped_column(Integer)
    section_grades: Mapped[dict | None] = mapped_column(JSON)
    grade_reasons: Mapped[list | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    plan: Mapped[Plan] = relationship(back_populates="audits")
    rubric_version: Mapped[RubricVersion] = relationship()
    auditor: Mapped[User] = relationship()
    scores: Mapped[list[CriterionScore]] = relationship(
        back_populates="audit", cascade="all, delete-orphan"
    )
    reopenings: Mapped[list[AuditReopening]] = relationship(
        cascade="all, delete-orphan", order_by="AuditReopening.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)


Index("ix_audits_status_submitted", Audit.status, Audit.submitted_at)


class AuditReopening(Base):
    """One reopening of a submitted audit. Its reason is user text that can quote the
    plan, so it is kept here, redacted, and purged with the plan's text; the append-only
    event log records only that the reopening happened and its id."""

    __tablename__ = "audit_reopenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")


class CriterionScore(Base):
    __tablename__ = "criterion_scores"
    __table_args__ = (UniqueConstraint("audit_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(80))
    score: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    audit: Mapped[Audit] = relationship(back_populates="scores")


class Moderation(Base):
    """The adjudicated record for a double-rated plan; the audits it compares stay as
    they were."""

    __tablename__ = "moderations"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    first_audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    second_audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    overall_grade: Mapped[int | None] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    agreed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    plan: Mapped[Plan] = relationship()
    first_audit: Mapped[Audit] = relationship(foreign_keys=[first_audit_id])
    second_audit: Mapped[Audit] = relationship(foreign_keys=[second_audit_id])
    scores: Mapped[list[ModerationScore]] = relationship(
        back_populates="moderation", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)


class ModerationScore(Base):
    __tablename__ = "moderation_scores"
    __table_args__ = (UniqueConstraint("moderation_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = mapped_column(ForeignKey("moderations.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(80))
    score: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    rationale: Mapped[str] = mapped_column(Text, default="")

    moderation: Mapped[Moderation] = relationship(back_populates="scores")


class ImprovementAction(Base):
    """Something to be done after an audit or a moderation: amend the plan, give the
    writer feedback, train, improve a service, or audit the plan again. Owned by one
    user or by a team, never both; overdue is worked out from the due date, not stored."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint(
            "(owner_user_id IS NULL) <> (owner_team IS NULL)", name="ck_actions_one_owner"
        ),
        CheckConstraint(
            "status = 'open' OR status = 'done' OR status = 'cancelled'", name="ck_actions_status"
        ),
        Index("ix_actions_status_due", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    moderation_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderations.id", ondelete="SET NULL"), index=True
    )
    criterion_id: Mapped[str | None] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_team: Mapped[str | None] = mapped_column(String(80))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    completion_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    audit: Mapped[Audit] = relationship()
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])


class EventLogEntry(Base):
    """One row per change, view, sign-in, export or download. Written only by
    ``qa_app.services.event_log``; nothing in the app updates or deletes these rows."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)


class DatabaseKind(Base):
    """Whether this database is a demo one (synthetic data, demo accounts) or a real one.
    One row, written when the database is created; the database refuses to change it."""

    __tablename__ = "database_kind"
    __table_args__ = (
        CheckConstraint("id = 1", name="ck_database_kind_one_row"),
        CheckConstraint("kind = 'demo' OR kind = 'real'", name="ck_database_kind_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FamilyVoice(Base):
    """What one person said about an audited plan, after a conversation with the
    auditor: the parent or carer, or the child or young person. Each statement is on a
    4-point scale of agreement (``None``: not asked or did not say); the comment is
    stored redacted."""

    __tablename__ = "family_voice"
    __table_args__ = (
        UniqueConstraint("audit_id", "respondent"),
        CheckConstraint(
            "respondent = 'parent_carer' OR respondent = 'child_young_person'",
            name="ck_family_voice_respondent",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    respondent: Mapped[str] = mapped_column(String(20))
    listened_to: Mapped[int | None] = mapped_column(Integer)
    describes: Mapped[int | None] = mapped_column(Integer)
    what_happens: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The dashboards' summary tables are declared beside the code that fills them; importing
# them here puts them in Base.metadata for every user of the models, Alembic included.
from qa_app.store import summary_tables as _summary_tables  # noqa: E402, F401

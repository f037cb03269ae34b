"""The events the event log records: one class per kind of change, view, export or
sign-in, each registered here and written by ``event_log.record(session, actor, event)``.

An event fixes the ``action`` and ``entity`` stored with it (the values readers and
filters of the log have always seen) and, for most, the ``field``; it carries the
record's id, old and new values and a detail. Values are non-identifying (ids, scores,
statuses, lengths of text), never plan text. To add an event, subclass ``Event`` with the
``@event(action, entity, field)`` decorator; ``record`` refuses any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

EVENTS: dict[str, type[Event]] = {}


@dataclass(frozen=True)
class Event:
    action: ClassVar[str]
    entity: ClassVar[str]
    FIELD: ClassVar[str | None] = None  # the field every event of the class is about

    entity_id: Any = None
    old: Any = None
    new: Any = None
    detail: Any = None
    field: str | None = None

    def __post_init__(self):
        if self.field is None and self.FIELD is not None:
            object.__setattr__(self, "field", self.FIELD)


def event(action: str, entity: str, field: str | None = None):
    """Register the decorated Event subclass, stored as (action, entity[, field])."""

    def register(cls: type[Event]) -> type[Event]:
        if cls.__name__ in EVENTS:
            raise ValueError(f"Two event-log events are named {cls.__name__}.")
        cls.action, cls.entity, cls.FIELD = action, entity, field
        EVENTS[cls.__name__] = cls
        return cls

    return register


# -- accounts and sign-in -------------------------------------------------------------------
@event("create", "user", "roles")
class UserCreated(Event):
    """An account added by an administrator or by single sign-on; ``new`` is its roles."""


@event("create", "user", "roles")
class DemoUserCreated(Event):
    """A synthetic demo account added to a demo database."""


@event("update", "user", "is_active")
class UserDisabled(Event):
    pass


@event("update", "user", "is_active")
class UserEnabled(Event):
    pass


@event("update", "user", "password")
class PasswordReset(Event):
    pass


@event("update", "user", "password")
class DemoPasswordChanged(Event):
    """A demo account given the published demo password, or its password taken away."""


@event("update", "user", "lockout")
class UserUnlocked(Event):
    pass


@event("update", "user", "roles")
class RolesChanged(Event):
    pass


@event("sign_in", "user")
class SignedIn(Event):
    pass


@event("sign_in_failed", "user")
class SignInFailed(Event):
    pass


@event("sign_out", "user")
class SignedOut(Event):
    pass


# -- plans ---------------------------------------------------------------------------------
@event("import", "plan")
class PlanImported(Event):
    pass


@event("view", "plan")
class PlanViewed(Event):
    pass


@event("flag", "plan", "weak_flag")
class PlanFlagged(Event):
    pass


@event("flag_run", "plan")
class FlagRun(Event):
    """A run of the classifier over stored plans."""


@event("purge", "plan", "text")
class PlanTextPurged(Event):
    pass


@event("purge", "retention")
class RetentionRun(Event):
    pass


@event("judge_outcome_flag", "outcome", "agrees")
class OutcomeFlagJudged(Event):
    pass


@event("judge_provision_flag", "provision_item", "agrees")
class ProvisionCheckJudged(Event):
    pass


# -- audits (the QA reviews) ---------------------------------------------------------------
@event("create", "audit_sample")
class SampleDrawn(Event):
    pass


@event("assign", "audit", "auditor_id")
class AuditAssigned(Event):
    pass


@event("view", "audit")
class AuditViewed(Event):
    pass


@event("update", "audit")
class ScoreSaved(Event):
    """``field`` is ``score:<criterion id>``."""


@event("update", "audit")
class NoteSaved(Event):
    """``field`` is ``note:<criterion id>``; old and new are lengths, never the text."""


@event("update", "audit")
class AuditTextSaved(Event):
    """``field`` is ``strengths`` or ``areas_for_development``; lengths, never the text."""


@event("submit", "audit", "status")
class AuditSubmitted(Event):
    pass


@event("reopen", "audit", "status")
class AuditReopened(Event):
    pass


@event("update", "audit", "status")
class AuditModerated(Event):
    pass


# -- moderation ----------------------------------------------------------------------------
@event("create", "moderation")
class ModerationStarted(Event):
    pass


@event("view", "moderation")
class ModerationViewed(Event):
    pass


@event("update", "moderation")
class AgreedLevelSaved(Event):
    """``field`` is ``agreed level of <criterion title>``."""


@event("update", "moderation")
class CriterionRationaleSaved(Event):
    """``field`` is ``rationale for <criterion title>``."""


@event("update", "moderation", "agreed overall grade")
class AgreedGradeSaved(Event):
    pass


@event("update", "moderation", "overall rationale")
class OverallRationaleSaved(Event):
    pass


@event("agree", "moderation", "status")
class ModerationAgreed(Event):
    pass


# -- improvement actions after audits -------------------------------------------------------
@event("create", "action")
class ActionRecorded(Event):
    pass


@event("update", "action", "status")
class ActionStatusChanged(Event):
    pass


@event("update", "action", "completion_note")
class ActionNoteChanged(Event):
    pass


# -- what families said --------------------------------------------------------------------
@event("create", "family_voice")
class FamilyVoiceRecorded(Event):
    """A parent's or carer's, or a child's or young person's, record started for an audit."""


@event("update", "family_voice")
class FamilyVoiceAnswerChanged(Event):
    """One statement's answer; ``field`` names the statement, old and new are levels."""


@event("update", "family_voice", "comment")
class FamilyVoiceCommentChanged(Event):
    """The redacted comment changed; only its length is logged."""


# -- what leaves the audit screen ----------------------------------------------------------
@event("export", "audits")
class AuditsExported(Event):
    pass


@event("export", "actions")
class ActionsExported(Event):
    pass


@event("download", "report")
class ReportDownloaded(Event):
    pass


@event("export", "evidence_pack")
class EvidencePackExported(Event):
    """An inspection evidence pack written, with its period, team and what it holds."""


@event("view", "dashboard_audits")
class ChartAuditsListed(Event):
    """The audits behind a chart listed, with the filters and selection."""


# -- rubrics, demo data and the database ---------------------------------------------------
@event("create", "rubric_version")
class RubricRegistered(Event):
    pass


@event("create", "demo_data")
class DemoDataAdded(Event):
    pass


@event("restore", "database")
class DatabaseRestored(Event):
    pass

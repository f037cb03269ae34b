"""Who is acting, and the one table that says which roles may take each action.

Roles: ``auditor`` (with an agency) sees the audits assigned to them and the plans behind
them; ``qa_lead`` sees all plans and audits and assigns, moderates and reopens;
``training`` sees dashboards and reports only; ``admin`` manages users, rubrics and
settings. A user may hold several roles.

Every permission check in the services is ``require(actor, Action.X)``, and the
navigation shows a page when its action is ``allowed``; both read ``POLICIES``, so a
role's rights are changed in one place. An action whose policy names ``own_roles`` lets
those roles act only on a resource they own (an auditor on their own audit): pass the
resource to ``require`` or ``allowed`` to have that checked too, or narrow a listing to
the actor's own where ``sees_all`` is false.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from qa_app.services.errors import PermissionDenied

ROLES = {
    "auditor": "Auditor",
    "qa_lead": "QA lead",
    "training": "Training",
    "admin": "Admin",
}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    display_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    agency: str | None = None

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_qa_lead(self) -> bool:
        return self.has("qa_lead")

    @property
    def is_auditor(self) -> bool:
        return self.has("auditor")


SYSTEM = Actor(user_id=None, display_name="system", roles=frozenset({"qa_lead", "admin"}))
# Whoever can run ``qa-app`` commands on the server already holds the database's keys, so
# the command line acts as an administrator, and the event log names it as such.
OPERATOR = Actor(
    user_id=None, display_name="command line (server operator)", roles=frozenset({"admin"})
)


def actor_for(user) -> Actor:
    return Actor(
        user_id=user.id,
        display_name=user.display_name,
        roles=frozenset(user.roles),
        agency=user.agency,
    )


class Action(StrEnum):
    SEE_PLANS = "see-plans"
    IMPORT_PLANS = "import-plans"
    FLAG_PLAN = "flag-plan"
    FLAG_ALL_PLANS = "flag-all-plans"
    PURGE_PLAN_TEXT = "purge-plan-text"
    HAVE_AUDITS = "have-audits"
    WORK_ON_AUDIT = "work-on-audit"
    SEE_AUDITS = "see-audits"
    REOPEN_AUDIT = "reopen-audit"
    ASSIGN_AUDITS = "assign-audits"
    DRAW_SAMPLES = "draw-samples"
    MODERATE = "moderate"
    SEE_AGREEMENT = "see-agreement"
    EXPORT_AUDITS = "export-audits"
    JUDGE_OUTCOME_FLAGS = "judge-outcome-flags"
    JUDGE_PROVISION_CHECKS = "judge-provision-checks"
    READ_JUDGEMENTS = "read-judgements"
    SEE_DASHBOARDS = "see-dashboards"
    LIST_AUDITS_BEHIND_CHART = "list-audits-behind-chart"
    DOWNLOAD_REPORTS = "download-reports"
    FILL_DEMO_DATA = "fill-demo-data"
    SEE_RUBRICS = "see-rubrics"
    ADD_RUBRICS = "add-rubrics"
    READ_EVENT_LOG = "read-event-log"
    SEE_USERS = "see-users"
    ADD_USERS = "add-users"
    DISABLE_USERS = "disable-users"
    ENABLE_USERS = "enable-users"
    RESET_PASSWORDS = "reset-passwords"
    UNLOCK_USERS = "unlock-users"
    CHANGE_ROLES = "change-roles"
    RECORD_ACTIONS = "record-actions"
    SEE_ACTIONS = "see-actions"
    CHANGE_ACTIONS = "change-actions"
    EXPORT_ACTIONS = "export-actions"
    RECORD_FAMILY_VOICE = "record-family-voice"
    SEE_FAMILY_VOICE = "see-family-voice"
    MAKE_EVIDENCE_PACK = "make-evidence-pack"


def _audit_is_theirs(actor: Actor, audit: Any) -> bool:
    return audit.auditor_id == actor.user_id


def _action_is_theirs(actor: Actor, action: Any) -> bool:
    """An improvement action is a user's own when they own it or recorded it; every
    training action is the training team's."""
    if actor.user_id is not None and actor.user_id in (action.owner_user_id, action.created_by_id):
        return True
    return actor.has("training") and action.kind == "training"


@dataclass(frozen=True)
class Policy:
    """Who may take an action: ``roles`` on anything, ``own_roles`` only on what ``owns``
    says is theirs. ``doing`` completes the refusal "Your role does not allow you to …"."""

    doing: str
    roles: frozenset[str]
    own_roles: frozenset[str] = frozenset()
    owns: Callable[[Actor, Any], bool] | None = None  # None: the service scopes by query


def _policy(doing: str, *roles: str, own: tuple[str, ...] = (), owns=None) -> Policy:
    unknown = (set(roles) | set(own)) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles in the policy for {doing!r}: {sorted(unknown)}")
    return Policy(doing, frozenset(roles), frozenset(own), owns)


LEAD = ("qa_lead",)
ADMIN = ("admin",)
POLICIES: dict[Action, Policy] = {
    Action.SEE_PLANS: _policy("see plans", *LEAD, own=("auditor",)),
    Action.IMPORT_PLANS: _policy("import plans", *LEAD),
    Action.FLAG_PLAN: _policy("classify plan outcomes", "qa_lead", "auditor"),
    Action.FLAG_ALL_PLANS: _policy("classify all plans", "qa_lead", "admin"),
    Action.PURGE_PLAN_TEXT: _policy("purge plan text", *ADMIN),
    Action.HAVE_AUDITS: _policy("have audits", "auditor", "qa_lead"),
    Action.WORK_ON_AUDIT: _policy(
        "work on audits", "qa_lead", own=("auditor",), owns=_audit_is_theirs
    ),
    Action.SEE_AUDITS: _policy("see audits", *LEAD, own=("auditor",)),
    Action.REOPEN_AUDIT: _policy("reopen a submitted audit", *LEAD),
    Action.ASSIGN_AUDITS: _policy("assign audits", *LEAD),
    Action.DRAW_SAMPLES: _policy("draw audit samples", *LEAD),
    Action.MODERATE: _policy("moderate audits", *LEAD),
    Action.SEE_AGREEMENT: _policy("see agreement statistics", *LEAD),
    Action.EXPORT_AUDITS: _policy("export audits", *LEAD),
    Action.JUDGE_OUTCOME_FLAGS: _policy(
        "judge outcome flags", own=("auditor",), owns=_audit_is_theirs
    ),
    Action.JUDGE_PROVISION_CHECKS: _policy(
        "judge provision checks", own=("auditor",), owns=_audit_is_theirs
    ),
    Action.READ_JUDGEMENTS: _policy("read auditors' judgements for training", "qa_lead", "admin"),
    Action.SEE_DASHBOARDS: _policy("see the dashboards", "qa_lead", "training"),
    Action.LIST_AUDITS_BEHIND_CHART: _policy("list the audits behind a chart", *LEAD),
    Action.DOWNLOAD_REPORTS: _policy("download learning reports", "qa_lead", "training"),
    Action.FILL_DEMO_DATA: _policy("add synthetic demo data", "qa_lead", "admin"),
    Action.SEE_RUBRICS: _policy("see rubrics", *ROLES),
    Action.ADD_RUBRICS: _policy("add rubrics", *ADMIN),
    Action.READ_EVENT_LOG: _policy("read the audit log", "qa_lead", "admin"),
    Action.SEE_USERS: _policy("see user accounts", *ADMIN),
    Action.ADD_USERS: _policy("add user accounts", *ADMIN),
    Action.DISABLE_USERS: _policy("disable accounts", *ADMIN),
    Action.ENABLE_USERS: _policy("enable accounts", *ADMIN),
    Action.RESET_PASSWORDS: _policy("reset passwords", *ADMIN),
    Action.UNLOCK_USERS: _policy("unlock accounts", *ADMIN),
    Action.CHANGE_ROLES: _policy("change roles", *ADMIN),
    Action.RECORD_ACTIONS: _policy(
        "record actions", *LEAD, own=("auditor",), owns=_audit_is_theirs
    ),
    Action.SEE_ACTIONS: _policy("see actions", *LEAD, own=("auditor", "training")),
    Action.CHANGE_ACTIONS: _policy(
        "change actions", *LEAD, own=("auditor", "training"), owns=_action_is_theirs
    ),
    Action.EXPORT_ACTIONS: _policy("export actions", *LEAD),
    Action.RECORD_FAMILY_VOICE: _policy(
        "record what families said", *LEAD, own=("auditor",), owns=_audit_is_theirs
    ),
    Action.SEE_FAMILY_VOICE: _policy("see what families said", "qa_lead", "training"),
    Action.MAKE_EVIDENCE_PACK: _policy("make inspection evidence packs", *LEAD),
}


def roles_for(action: Action) -> frozenset[str]:
    """Every role that may take the action on something (on their own, for own_roles)."""
    policy = POLICIES[action]
    return policy.roles | policy.own_roles


def allowed(actor: Actor, action: Action, resource: Any = None) -> bool:
    """Whether the actor may take the action; on ``resource`` too when one is given."""
    policy = POLICIES[action]
    if actor.roles & policy.roles:
        return True
    if not actor.roles & policy.own_roles:
        return False
    return resource is None or (policy.owns is not None and policy.owns(actor, resource))


def sees_all(actor: Actor, action: Action) -> bool:
    """Whether the actor may take the action on everything, not only on their own: a
    service that lists things narrows its query to the actor's own when this is false."""
    return bool(actor.roles & POLICIES[action].roles)


def require(actor: Actor, action: Action, resource: Any = None) -> None:
    """Raise PermissionDenied unless ``allowed(actor, action, resource)``."""
    if not allowed(actor, action, resource):
        raise PermissionDenied(f"Your role does not allow you to {POLICIES[action].doing}.")

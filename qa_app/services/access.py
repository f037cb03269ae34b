"""Who is acting, and the small policies that say what each role may do.

Roles: ``auditor`` (with an agency) sees the audits assigned to them and the plans behind
them; ``qa_lead`` sees all plans and audits and assigns, moderates and reopens;
``training`` sees dashboards and reports only; ``admin`` manages users, rubrics and
settings. A user may hold several roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
# the command line acts as an administrator, and the audit log names it as such.
OPERATOR = Actor(user_id=None, display_name="command line (server operator)", roles=frozenset({"admin"}))


def actor_for(user) -> Actor:
    return Actor(
        user_id=user.id,
        display_name=user.display_name,
        roles=frozenset(user.roles),
        agency=user.agency,
    )


def require(actor: Actor, *roles: str, doing: str) -> None:
    """Raise PermissionDenied unless the actor holds one of ``roles``."""
    if not any(actor.has(role) for role in roles):
        raise PermissionDenied(f"Your role does not allow you to {doing}.")


def can_read_plan_text(actor: Actor) -> bool:
    return actor.is_qa_lead or actor.is_auditor


def can_see_dashboards(actor: Actor) -> bool:
    return actor.is_qa_lead or actor.has("training")


def can_manage_users(actor: Actor) -> bool:
    return actor.has("admin")


def can_read_audit_log(actor: Actor) -> bool:
    return actor.is_qa_lead or actor.has("admin")


def require_user_manager(actor: Actor, doing: str = "manage user accounts") -> None:
    require(actor, "admin", doing=doing)


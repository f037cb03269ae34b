"""What browser tests put in a fresh database before the app starts: accounts that sign
in with a password, and audits a QA lead assigns by hand."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.access import actor_for
from qa_app.services.accounts import hash_password
from qa_app.services.sampling import DrawnSample, SampleRequest, draw_sample
from qa_app.store.models import Plan, User, UserRole


def account(
    username: str,
    display_name: str,
    role: str,
    *,
    password: str | None = None,
    agency: str | None = None,
) -> User:
    """A user with one role; without ``password`` they cannot sign in with one."""
    return User(
        username=username,
        display_name=display_name,
        agency=agency,
        password_hash=hash_password(password) if password else None,
        role_rows=[UserRole(role=role)],
    )


def assign_by_hand(
    session: Session, lead: User, auditor: User, plans: list[Plan], name: str
) -> DrawnSample:
    """The ``plans`` (already flushed), each an audit on the core rubric assigned to the
    education ``auditor`` by ``lead``."""
    version = next(v for v in rubrics.current_versions(session) if v.rubric_key == "ehcp_core")
    return draw_sample(
        session,
        actor_for(lead),
        SampleRequest(
            name=name,
            method="manual",
            rubric_version_id=version.id,
            assignees={"education": [auditor.id]},
            plan_ids=tuple(plan.id for plan in plans),
        ),
    )

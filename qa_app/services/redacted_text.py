"""Free text people type about a plan (a reason for reopening an audit), redacted before
it is stored outside the plan's own record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.reports.privacy import Scrubber
from qa_app.store.models import User


def redacted_free_text(session: Session, text: str) -> str:
    """``text`` with identifiers, users' names and capitalised words not known to be
    ordinary replaced by tags, as reports redact auditors' notes."""
    if not text:
        return ""
    return Scrubber(
        known_names=session.scalars(select(User.display_name)), corpus=(text,)
    ).clean_free_text(text)

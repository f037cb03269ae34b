"""One save path for a field a person types into: an audit's evidence notes, strengths
and areas for development, and a moderation's rationales.

The page saves each field while it is typed (over the Streamlit connection), and a
closing page sends the last text once more (``POST /api/autosave``). Both arrive here
with the version of the record the text was typed against; both are checked like any
other save (the person's permissions, the record's version). One exception to the
version check: when every save since that version was this same person's own (typically
the page's save of the same text, still on its way back when the page closed), there is
nobody else's work to protect, and the text is saved on the current version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import audits, moderation
from qa_app.services.access import Actor
from qa_app.services.errors import InvalidInput, StaleVersion
from qa_app.store.models import Audit, EventLogEntry, Moderation

KINDS = ("note", "text", "rationale", "overall")


@dataclass(frozen=True)
class TypedField:
    """``kind`` is ``note`` (an audit criterion's evidence note), ``text`` (an audit's
    strengths or areas for development), ``rationale`` (a moderation criterion's) or
    ``overall`` (a moderation's overall rationale); ``record_id`` is the audit's or the
    moderation's id; ``target`` names the criterion or field."""

    kind: str
    record_id: int
    target: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InvalidInput(f"'{self.kind}' is not a typed field.")

    @property
    def entity(self) -> str:
        return "audit" if self.kind in ("note", "text") else "moderation"


def _write(session: Session, actor: Actor, field: TypedField, text: str, version: int) -> int:
    if field.kind == "note":
        new_version, _ = audits.save_score(
            session, actor, field.record_id, field.target, expected_version=version, note=text
        )
        return new_version
    if field.kind == "text":
        return audits.save_text(
            session, actor, field.record_id, field.target, text, expected_version=version
        )
    if field.kind == "rationale":
        return moderation.save_agreed_score(
            session, actor, field.record_id, field.target, expected_version=version, rationale=text
        )
    return moderation.save_overall(
        session, actor, field.record_id, expected_version=version, rationale=text
    )


def _current_version(session: Session, field: TypedField) -> int | None:
    record = (
        session.get(Audit, field.record_id)
        if field.entity == "audit"
        else session.get(Moderation, field.record_id)
    )
    return record.version if record is not None else None


def _only_own_saves_since(
    session: Session, actor: Actor, field: TypedField, since_version: int
) -> bool:
    entries = session.scalars(
        select(EventLogEntry)
        .where(
            EventLogEntry.entity == field.entity, EventLogEntry.entity_id == str(field.record_id)
        )
        .order_by(EventLogEntry.id.desc())
        .limit(50)
    )
    newer = []
    for entry in entries:
        if json.loads(entry.detail or "{}").get("version", 0) <= since_version:
            break
        newer.append(entry)
    return bool(newer) and all(
        entry.actor_id == actor.user_id and entry.action == "update" for entry in newer
    )


def save_typed(
    session: Session, actor: Actor, field: TypedField, text: str, *, expected_version: int
) -> int:
    """Save the text; returns the record's new version. Raises what the record's own
    save raises (PermissionDenied, StaleVersion, InvalidInput, NotFound)."""
    try:
        return _write(session, actor, field, text, expected_version)
    except StaleVersion:
        # Raised by the version check, before the save changed anything.
        current = _current_version(session, field)
        if current is None or not _only_own_saves_since(session, actor, field, expected_version):
            raise
        return _write(session, actor, field, text, current)

"""The event log: one path that records every change, view, export and sign-in, each
as a typed event (``events.py``).

Entries are added in the caller's transaction, so a change and its log entry are
committed together or not at all. Values are stored as text; callers pass redacted or
non-identifying values only (scores, statuses, ids), never plan text.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.access import Action, Actor, require
from qa_app.services.events import EVENTS, Event
from qa_app.services.text_input import FILTER_LIMIT, clean_text
from qa_app.store.models import EventLogEntry


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def record(session: Session, actor: Actor, event: Event) -> None:
    """Add the event to the log in the session's transaction."""
    if EVENTS.get(type(event).__name__) is not type(event):
        raise TypeError(f"{type(event).__name__} is not a registered event-log event.")
    session.add(
        EventLogEntry(
            actor_id=actor.user_id,
            actor_name=actor.display_name,
            action=event.action,
            entity=event.entity,
            entity_id=_text(event.entity_id),
            field=event.field,
            old_value=_text(event.old),
            new_value=_text(event.new),
            detail=_text(event.detail),
        )
    )


def read_log(
    session: Session,
    actor: Actor,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    action: str | None = None,
    actor_name: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 500,
) -> list[EventLogEntry]:
    require(actor, Action.READ_EVENT_LOG)
    query = select(EventLogEntry).order_by(EventLogEntry.at.desc(), EventLogEntry.id.desc())
    if since is not None:
        query = query.where(EventLogEntry.at >= since)
    if until is not None:
        query = query.where(EventLogEntry.at < until)
    if action:
        query = query.where(EventLogEntry.action == action)
    if actor_name:
        query = query.where(EventLogEntry.actor_name == actor_name)
    if entity:
        query = query.where(EventLogEntry.entity == entity)
    if entity_id:
        entity_id = clean_text(entity_id, "The record id filter", FILTER_LIMIT, single_line=True)
        query = query.where(EventLogEntry.entity_id == entity_id.strip())
    return list(session.scalars(query.limit(limit)))


def log_filter_options(session: Session, actor: Actor) -> dict[str, list[str]]:
    """The distinct actions, entities and actor names in the log, for filter widgets."""
    require(actor, Action.READ_EVENT_LOG)
    columns = {
        "action": EventLogEntry.action,
        "entity": EventLogEntry.entity,
        "actor_name": EventLogEntry.actor_name,
    }
    return {
        name: list(session.scalars(select(column).distinct().order_by(column)))
        for name, column in columns.items()
    }

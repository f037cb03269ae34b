"""Actions that close the QA loop: after an audit or a moderation, what is to be done
(amend the plan, give the writer feedback, train, improve a service, audit again), by
whom (a user or a team) and by when.

Who may do what:

- a QA lead records actions on any finished audit or moderation, sees every action,
  changes any, and exports them;
- an auditor records actions on their own finished audits, and sees and changes the
  actions they recorded or own;
- a training user sees and changes the actions they own and every ``training`` action;
- anyone else (an admin who is not a QA lead) sees none.

Overdue is worked out from the due date (an open action past its due date), never
stored. Every change is written to the event log in the same transaction; descriptions
and completion notes are user text, so the log records that they changed, not what they
say, and anything that leaves the app (the command line's JSON, an export) has
identifiers redacted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from openpyxl import Workbook
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from qa_app.domain.redaction import redact
from qa_app.domain.rubric import Rubric
from qa_app.domain.spreadsheet import excel_cell, safe_row
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, allowed, require, sees_all
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.events import (
    ActionNoteChanged,
    ActionRecorded,
    ActionsExported,
    ActionStatusChanged,
)
from qa_app.services.text_input import FILTER_LIMIT, REASON_LIMIT, TEAM_LIMIT, clean_text
from qa_app.store.models import Audit, ImprovementAction, Moderation, Plan, User, utcnow

KINDS = {
    "amend_plan": "Amend the plan",
    "writer_feedback": "Feedback to the plan writer",
    "training": "Training",
    "service_improvement": "Service improvement",
    "re_audit": "Audit the plan again",
}
STATUSES = ("open", "done", "cancelled")
STATUS_FILTERS = ("open", "overdue", "done", "cancelled")
# Levels at or below this (Requires improvement, Inadequate) propose an action.
PROPOSE_AT_OR_BELOW = 2
_FINISHED_AUDIT = ("submitted", "moderated")
EXPORT_FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_COLUMNS = [
    "id",
    "audit_id",
    "plan_reference",
    "team",
    "criterion_id",
    "kind",
    "description",
    "owner_kind",
    "owner",
    "due_date",
    "status",
    "overdue",
    "completion_note",
    "created_at",
    "closed_at",
]


@dataclass(frozen=True)
class Owner:
    """Who an action belongs to: a user (by id) or a team (by name)."""

    kind: str
    user_id: int | None = None
    team: str | None = None

    @classmethod
    def user(cls, user_id: int) -> Owner:
        return cls("user", user_id=user_id)

    @classmethod
    def of_team(cls, name: str) -> Owner:
        return cls("team", team=name)


@dataclass(frozen=True)
class ActionView:
    id: int
    audit_id: int
    plan_id: int
    plan_reference: str
    team: str | None
    moderation_id: int | None
    criterion_id: str | None
    kind: str
    description: str
    owner_kind: str
    owner_name: str
    owner_user_id: int | None
    due_date: date
    status: str
    overdue: bool
    completion_note: str
    created_by_id: int | None
    created_at: datetime
    closed_at: datetime | None

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        """The status in words, overdue named in text (never by colour alone)."""
        return "Overdue" if self.overdue else self.status.capitalize()

    def to_json(self) -> dict:
        """The command line's object: identifiers redacted from the description."""
        return {
            "id": self.id,
            "audit_id": self.audit_id,
            "plan_reference": self.plan_reference,
            "kind": self.kind,
            "description": redact(self.description),
            "owner": {"kind": self.owner_kind, "name": self.owner_name},
            "due_date": self.due_date.isoformat(),
            "status": self.status,
            "overdue": self.overdue,
            "created_at": utc_stamp(self.created_at),
            "closed_at": utc_stamp(self.closed_at),
        }


@dataclass(frozen=True)
class Proposal:
    """An action a weak criterion suggests, for the user to confirm or change."""

    criterion_id: str
    criterion_title: str
    level_label: str
    kind: str
    description: str


def utc_stamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    if moment is None:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _visible(query, actor: Actor):
    """``query`` narrowed to the actions this actor may see."""
    if sees_all(actor, Action.SEE_ACTIONS):
        return query
    mine = [
        ImprovementAction.owner_user_id == actor.user_id,
        ImprovementAction.created_by_id == actor.user_id,
    ]
    if actor.has("training"):
        mine.append(ImprovementAction.kind == "training")
    return query.where(or_(*mine))


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"Unknown kind of action: choose one of {', '.join(KINDS)}.")
    return kind


def _check_description(text: str) -> str:
    text = clean_text(text, "The description", REASON_LIMIT).strip()
    if not text:
        raise InvalidInput("Say what is to be done: the description is empty.")
    return text


def _check_owner(session: Session, owner: Owner) -> tuple[int | None, str | None]:
    if owner.kind == "user":
        user = session.get(User, owner.user_id) if owner.user_id is not None else None
        if user is None or not user.is_active:
            raise InvalidInput("The owner must be an active user account.")
        return user.id, None
    if owner.kind == "team":
        team = clean_text(owner.team, "The owning team", TEAM_LIMIT, single_line=True).strip()
        if not team:
            raise InvalidInput("Name the team that owns the action.")
        return None, team
    raise InvalidInput("An action is owned by a user or by a team.")


def _check_due(due_date: date | None, today: date) -> date:
    if due_date is None:
        raise InvalidInput("Give the action a due date.")
    if due_date < today:
        raise InvalidInput("The due date is in the past: choose today or a later day.")
    return due_date


def create_action(
    session: Session,
    actor: Actor,
    audit_id: int,
    *,
    kind: str,
    description: str,
    owner: Owner,
    due_date: date,
    criterion_id: str | None = None,
    moderation_id: int | None = None,
    today: date | None = None,
) -> int:
    """Record an action on a finished audit, or on the moderation of its pair. Returns
    the new action's id."""
    require(actor, Action.RECORD_ACTIONS)
    audit = session.get(Audit, audit_id)
    if audit is None or not allowed(actor, Action.RECORD_ACTIONS, audit):
        raise NotFound("That audit does not exist, or it is not one of yours.")
    if audit.status not in _FINISHED_AUDIT:
        raise InvalidInput("Actions are recorded once the audit is submitted.")
    if moderation_id is not None:
        moderation = session.get(Moderation, moderation_id)
        if moderation is None or audit_id not in (
            moderation.first_audit_id,
            moderation.second_audit_id,
        ):
            raise NotFound("That moderation does not exist, or it is not of this audit.")
    owner_user_id, owner_team = _check_owner(session, owner)
    action = ImprovementAction(
        audit_id=audit.id,
        moderation_id=moderation_id,
        criterion_id=clean_text(criterion_id, "The criterion", 80, single_line=True) or None,
        kind=_check_kind(kind),
        description=_check_description(description),
        owner_user_id=owner_user_id,
        owner_team=owner_team,
        due_date=_check_due(due_date, today or date.today()),
        status="open",
        completion_note="",
        created_by_id=actor.user_id,
        is_synthetic=audit.is_synthetic,
    )
    session.add(action)
    session.flush()
    event_log.record(
        session,
        actor,
        ActionRecorded(
            action.id,
            detail={
                "audit_id": audit.id,
                "moderation_id": moderation_id,
                "criterion_id": action.criterion_id,
                "kind": kind,
                "owner_kind": owner.kind,
                "owner": owner_user_id or owner_team,
                "due_date": action.due_date.isoformat(),
            },
        ),
    )
    return action.id


def _load_for_change(session: Session, actor: Actor, action_id: int) -> ImprovementAction:
    require(actor, Action.CHANGE_ACTIONS)
    action = session.get(ImprovementAction, action_id)
    if action is None or not allowed(actor, Action.CHANGE_ACTIONS, action):
        raise NotFound("That action does not exist, or it is not one you can change.")
    return action


def _set_status(
    session: Session, actor: Actor, action: ImprovementAction, status: str, note: str | None
) -> None:
    old = action.status
    action.status = status
    action.closed_at = None if status == "open" else utcnow()
    event_log.record(session, actor, ActionStatusChanged(action.id, old=old, new=status))
    if note is not None and note != action.completion_note:
        action.completion_note = note
        event_log.record(
            session, actor, ActionNoteChanged(action.id, detail="completion note changed")
        )


def complete_action(session: Session, actor: Actor, action_id: int, note: str) -> None:
    """Mark an open action done, saying what was done."""
    action = _load_for_change(session, actor, action_id)
    if action.status != "open":
        raise InvalidInput(f"This action is {action.status}; reopen it first.")
    note = clean_text(note, "The completion note", REASON_LIMIT).strip()
    if not note:
        raise InvalidInput("Say what was done: the completion note is empty.")
    _set_status(session, actor, action, "done", note)


def cancel_action(session: Session, actor: Actor, action_id: int, note: str = "") -> None:
    """Cancel an open action, with the reason if one is given."""
    action = _load_for_change(session, actor, action_id)
    if action.status != "open":
        raise InvalidInput(f"This action is {action.status}; reopen it first.")
    note = clean_text(note, "The completion note", REASON_LIMIT).strip()
    _set_status(session, actor, action, "cancelled", note or None)


def reopen_action(session: Session, actor: Actor, action_id: int) -> None:
    """Open a done or cancelled action again; its completion note is kept."""
    action = _load_for_change(session, actor, action_id)
    if action.status == "open":
        raise InvalidInput("This action is already open.")
    _set_status(session, actor, action, "open", None)


def list_actions(
    session: Session,
    actor: Actor,
    *,
    status: str | None = None,
    owner: str | None = None,
    audit_id: int | None = None,
    plan_id: int | None = None,
    kind: str | None = None,
    today: date | None = None,
) -> list[ActionView]:
    """The actions this actor may see, overdue first and then by due date. ``status`` is
    open, overdue (open and past due), done or cancelled; ``owner`` matches a user's name
    or username, or a team, ignoring case."""
    require(actor, Action.SEE_ACTIONS)
    today = today or date.today()
    query = _visible(
        select(ImprovementAction, Plan.id, Plan.reference, Plan.team, User.display_name)
        .join(Audit, Audit.id == ImprovementAction.audit_id)
        .join(Plan, Plan.id == Audit.plan_id)
        .outerjoin(User, User.id == ImprovementAction.owner_user_id),
        actor,
    )
    if status:
        if status not in STATUS_FILTERS:
            raise InvalidInput(f"Unknown status: choose one of {', '.join(STATUS_FILTERS)}.")
        stored = "open" if status == "overdue" else status
        query = query.where(ImprovementAction.status == stored)
        if status == "overdue":
            query = query.where(ImprovementAction.due_date < today)
    if owner:
        name = clean_text(owner, "The owner filter", FILTER_LIMIT, single_line=True).strip().lower()
        query = query.where(
            or_(
                func.lower(User.display_name) == name,
                func.lower(User.username) == name,
                func.lower(ImprovementAction.owner_team) == name,
            )
        )
    if audit_id is not None:
        query = query.where(ImprovementAction.audit_id == audit_id)
    if plan_id is not None:
        query = query.where(Plan.id == plan_id)
    if kind:
        query = query.where(ImprovementAction.kind == _check_kind(kind))
    views = [
        _view(action, plan_id_, reference, team, owner_name, today)
        for action, plan_id_, reference, team, owner_name in session.execute(query)
    ]
    return sorted(views, key=lambda v: (not v.overdue, STATUSES.index(v.status), v.due_date, v.id))


def _view(
    action: ImprovementAction,
    plan_id: int,
    reference: str,
    team: str | None,
    owner_name: str | None,
    today: date,
) -> ActionView:
    owner = owner_name if action.owner_user_id is not None else action.owner_team
    assert owner is not None  # ck_actions_one_owner; an owner who is a user has a name
    return ActionView(
        id=action.id,
        audit_id=action.audit_id,
        plan_id=plan_id,
        plan_reference=reference,
        team=team,
        moderation_id=action.moderation_id,
        criterion_id=action.criterion_id,
        kind=action.kind,
        description=action.description,
        owner_kind="user" if action.owner_user_id is not None else "team",
        owner_name=owner,
        owner_user_id=action.owner_user_id,
        due_date=action.due_date,
        status=action.status,
        overdue=action.status == "open" and action.due_date < today,
        completion_note=action.completion_note,
        created_by_id=action.created_by_id,
        created_at=action.created_at,
        closed_at=action.closed_at,
    )


def owner_choices(session: Session, actor: Actor) -> tuple[list[tuple[int, str]], list[str]]:
    """Active users (id, name) and the teams plans belong to, to choose an owner from."""
    require(actor, Action.RECORD_ACTIONS)
    users = session.execute(
        select(User.id, User.display_name)
        .where(User.is_active.is_(True))
        .order_by(User.display_name)
    ).all()
    teams = session.scalars(
        select(Plan.team).where(Plan.team.is_not(None)).distinct().order_by(Plan.team)
    ).all()
    return [(user_id, name) for user_id, name in users], [
        team for team in teams if team is not None
    ]


def proposals(rubric: Rubric, levels: dict[str, int | str | None]) -> list[Proposal]:
    """One proposed action per criterion at Requires improvement or Inadequate, in rubric
    order, prefilled from the criterion (its training action where the rubric gives one)."""
    proposed = []
    for criterion in rubric.criteria:
        level = levels.get(criterion.id)
        if not isinstance(level, int) or level > PROPOSE_AT_OR_BELOW:
            continue
        label = rubric.label(level)
        advice = criterion.training_action.strip()
        description = f"{criterion.title} was graded {label}. " + (
            advice or "Amend the plan so that it meets the criterion."
        )
        proposed.append(
            Proposal(
                criterion_id=criterion.id,
                criterion_title=criterion.title,
                level_label=label,
                kind="amend_plan",
                description=description,
            )
        )
    return proposed


def export_rows(views: list[ActionView]) -> list[dict]:
    return [
        safe_row(
            {
                "id": view.id,
                "audit_id": view.audit_id,
                "plan_reference": view.plan_reference,
                "team": view.team or "",
                "criterion_id": view.criterion_id or "",
                "kind": view.kind,
                "description": redact(view.description),
                "owner_kind": view.owner_kind,
                "owner": view.owner_name,
                "due_date": view.due_date.isoformat(),
                "status": view.status,
                "overdue": "yes" if view.overdue else "no",
                "completion_note": redact(view.completion_note),
                "created_at": utc_stamp(view.created_at),
                "closed_at": utc_stamp(view.closed_at) or "",
            }
        )
        for view in views
    ]


@dataclass(frozen=True)
class ActionExport:
    filename: str
    media_type: str
    content: bytes
    rows: int


def export_actions(
    session: Session,
    actor: Actor,
    fmt: str,
    *,
    status: str | None = None,
    owner: str | None = None,
    today: date | None = None,
) -> ActionExport:
    """The actions a QA lead filtered, as CSV or Excel with identifiers redacted; the
    export is logged (who, the filters, the format, the row count)."""
    require(actor, Action.EXPORT_ACTIONS)
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(f"Exports come as {' or '.join(EXPORT_FORMATS)}.")
    rows = export_rows(list_actions(session, actor, status=status, owner=owner, today=today))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Actions"
        sheet.append(EXPORT_COLUMNS)
        for row in rows:
            sheet.append([excel_cell(row[column]) for column in EXPORT_COLUMNS])
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    event_log.record(
        session,
        actor,
        ActionsExported(
            None,
            detail={"status": status, "owner": owner, "format": fmt, "rows": len(rows)},
        ),
    )
    stamp = (today or date.today()).isoformat()
    return ActionExport(
        filename=f"actions_{stamp}.{fmt}",
        media_type=EXPORT_FORMATS[fmt],
        content=content,
        rows=len(rows),
    )

"""The event log read as sentences: "Score for 'Outcomes are SMART' changed from Good to
Requires improvement (audit 12 of plan PLN-ABCD2345)", "Plan PLN-ABCD2345 imported".

A stored entry keeps its event's action, entity and field, not the class that wrote it;
``event_class`` finds the class again (where two share those values, by what they store),
and each registered class has one sentence here, built from the entry and the names of
the records it points to (usernames, plan references, criterion titles, level labels).
The sentences hold only what the log holds: ids, levels, statuses, counts and lengths.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from qa_app.domain.plan_facts import AGENCIES
from qa_app.services import events as ev
from qa_app.services.access import ROLES, Action, Actor, require
from qa_app.services.events import EVENTS, Event
from qa_app.services.family_voice import RESPONDENTS
from qa_app.services.rubrics import rubric_of
from qa_app.store.models import (
    Audit,
    EventLogEntry,
    FamilyVoice,
    ImprovementAction,
    Moderation,
    Outcome,
    Plan,
    ProvisionItem,
    RubricVersion,
    User,
)

RECORD_TYPES = {
    "user": "Accounts",
    "plan": "Plans",
    "outcome": "Outcomes",
    "provision_item": "Provision items",
    "retention": "Retention runs",
    "audit_sample": "Samples",
    "audit": "Audits",
    "moderation": "Moderations",
    "action": "Actions",
    "family_voice": "What families said",
    "audits": "Audit exports",
    "actions": "Action exports",
    "report": "Reports",
    "evidence_pack": "Evidence packs",
    "dashboard_audits": "Chart drill-downs",
    "rubric_version": "Rubrics",
    "demo_data": "Demo data",
    "database": "The database",
}
TEXT_FIELDS = {"strengths": "Strengths", "areas_for_development": "Areas for development"}


@dataclass(frozen=True)
class ReadableEntry:
    """One log entry for people: when, who (their username where the log knows the
    account), what happened in a sentence, and the entry as stored, as plain text."""

    at: datetime
    who: str
    what: str
    stored: str


def _parsed(text: str | None) -> Any:
    """A stored value as the event gave it: JSON lists and objects decoded, the rest text."""
    if text is None or text[:1] not in "[{":
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


class Names:
    """The records a set of entries points to, looked up once: usernames, plan
    references, an audit's rubric for criterion titles and level labels."""

    def __init__(self, session: Session, entries: list[EventLogEntry]):
        self.session = session
        ids: dict[str, set[int]] = {}
        for entry in entries:
            if entry.entity_id and entry.entity_id.isdigit():
                ids.setdefault(entry.entity, set()).add(int(entry.entity_id))
        users = {e.actor_id for e in entries if e.actor_id is not None} | ids.get("user", set())
        users |= {
            int(e.new_value)
            for e in entries
            if e.action == "assign" and e.new_value is not None and e.new_value.isdigit()
        }
        self.usernames = dict(
            session.execute(select(User.id, User.username).where(User.id.in_(users))).all()
        )
        audits = select(Audit).where(Audit.id.in_(ids.get("audit", set())))
        self.audits = {audit.id: audit for audit in session.scalars(audits)}
        self.plan_of: dict[tuple[str, int], str] = {}
        # Each kind of record by its id column, and the column of its plan's id.
        records: tuple[tuple[str, InstrumentedAttribute[int], InstrumentedAttribute[int]], ...] = (
            ("plan", Plan.id, Plan.id),
            ("audit", Audit.id, Audit.plan_id),
            ("moderation", Moderation.id, Moderation.plan_id),
            ("family_voice", FamilyVoice.id, FamilyVoice.plan_id),
            ("outcome", Outcome.id, Outcome.plan_id),
            ("provision_item", ProvisionItem.id, ProvisionItem.plan_id),
        )
        for entity, record_id, plan_id in records:
            wanted = ids.get(entity)
            if not wanted:
                continue
            query = select(record_id, Plan.reference)
            if plan_id is not Plan.id:
                query = query.join(Plan, Plan.id == plan_id)
            rows = session.execute(query.where(record_id.in_(wanted)))
            self.plan_of.update({(entity, i): reference for i, reference in rows})
        if wanted := ids.get("action"):
            rows = session.execute(
                select(ImprovementAction.id, Plan.reference)
                .join(Audit, Audit.id == ImprovementAction.audit_id)
                .join(Plan, Plan.id == Audit.plan_id)
                .where(ImprovementAction.id.in_(wanted))
            )
            self.plan_of.update({("action", i): reference for i, reference in rows})
        self._rubrics: dict[int, Any] = {}

    def user(self, user_id) -> str:
        if not _is_id(user_id):
            return "an unknown account"
        return self.usernames.get(int(user_id), f"account {user_id}")

    def who(self, entry: EventLogEntry) -> str:
        """The person who acted: their username, or the name the log gave (the system,
        the command line, an account since removed)."""
        username = self.usernames.get(entry.actor_id) if entry.actor_id is not None else None
        if username is None or username == entry.actor_name:
            return entry.actor_name
        return f"{entry.actor_name} ({username})"

    def record(self, entry: EventLogEntry, noun: str) -> str:
        """``noun`` and the record's id, with the plan it belongs to where there is one:
        "audit 12 of plan PLN-ABCD2345"."""
        if not entry.entity_id:
            return noun
        reference = (
            self.plan_of.get((entry.entity, int(entry.entity_id)))
            if entry.entity_id.isdigit()
            else None
        )
        return f"{noun} {entry.entity_id}" + (f" of plan {reference}" if reference else "")

    def plan(self, entry: EventLogEntry) -> str:
        if entry.entity_id and entry.entity_id.isdigit():
            reference = self.plan_of.get(("plan", int(entry.entity_id)))
            if reference:
                return f"plan {reference}"
        return f"plan {entry.entity_id or '(unknown)'}"

    def _rubric(self, audit_id):
        audit = self.audits.get(int(audit_id)) if _is_id(audit_id) else None
        if audit is None:
            return None
        if audit.rubric_version_id not in self._rubrics:
            version = self.session.get(RubricVersion, audit.rubric_version_id)
            self._rubrics[audit.rubric_version_id] = rubric_of(version) if version else None
        return self._rubrics[audit.rubric_version_id]

    def criterion(self, audit_id, criterion_id: str) -> str:
        rubric = self._rubric(audit_id)
        found = next((c for c in rubric.criteria if c.id == criterion_id), None) if rubric else None
        return f"'{found.title}'" if found else f"criterion {criterion_id}"

    def level(self, audit_id, value) -> str:
        if value in (None, ""):
            return "no level"
        if value == "na":
            return "N/A"
        rubric = self._rubric(audit_id)
        if rubric is not None and _is_id(value):
            return rubric.label(int(value))
        return str(value)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_id(value) -> bool:
    return value is not None and str(value).isdigit()


def _roles(value) -> str:
    roles = _parsed(value)
    if not isinstance(roles, list) or not roles:
        return "no roles"
    return ", ".join(ROLES.get(r, str(r)) for r in roles)


def _agency(code) -> str:
    return AGENCIES.get(code, str(code)) if code else "no agency"


def _count(n, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _yes_no(value) -> str:
    return {"True": "agrees", "False": "disagrees"}.get(str(value), "no answer")


def _period(detail) -> str:
    if isinstance(detail, dict) and detail.get("from") and detail.get("to"):
        return f" for {detail['from']} to {detail['to']}"
    return ""


def _dict(entry: EventLogEntry) -> dict:
    detail = _parsed(entry.detail)
    return detail if isinstance(detail, dict) else {}


def _words(entry: EventLogEntry) -> str:
    """A detail stored as words (a reason, a method), not as a record of values."""
    detail = _parsed(entry.detail)
    return detail if isinstance(detail, str) else ""


Sentence = Callable[[EventLogEntry, Names], str]
SENTENCES: dict[type[Event], Sentence] = {}
# Classes that share an action, entity and field with another, and how to tell theirs.
TELLS: dict[type[Event], Callable[[EventLogEntry], bool]] = {}


def says(cls: type[Event], tell: Callable[[EventLogEntry], bool] | None = None):
    def register(sentence: Sentence) -> Sentence:
        SENTENCES[cls] = sentence
        if tell is not None:
            TELLS[cls] = tell
        return sentence

    return register


def event_class(entry: EventLogEntry) -> type[Event] | None:
    """The registered class that wrote ``entry``, or None for a row no class writes."""
    same = [c for c in EVENTS.values() if (c.action, c.entity) == (entry.action, entry.entity)]
    fixed = [c for c in same if c.FIELD is not None and entry.field == c.FIELD]
    candidates = fixed or [c for c in same if c.FIELD is None]
    told = [c for c in candidates if c in TELLS and TELLS[c](entry)]
    untold = [c for c in candidates if c not in TELLS]
    found = told or untold
    return found[0] if found else None


def sentence(entry: EventLogEntry, names: Names) -> str:
    """What the entry records, in words."""
    cls = event_class(entry)
    if cls is None:
        return f"{entry.action} of {entry.entity} {entry.entity_id or ''}".strip()
    return SENTENCES[cls](entry, names)


def stored_text(entry: EventLogEntry) -> str:
    """The entry as stored, for a reader who wants the raw values: plain lines."""
    parts = [
        ("action", entry.action),
        ("record", f"{entry.entity} {entry.entity_id or ''}".strip()),
        ("field", entry.field),
        ("from", entry.old_value),
        ("to", entry.new_value),
        ("detail", entry.detail),
    ]
    return "\n".join(f"{name}: {value}" for name, value in parts if value)


def readable(session: Session, actor: Actor, entries: list[EventLogEntry]) -> list[ReadableEntry]:
    """The entries, in their order, as people read them."""
    require(actor, Action.READ_EVENT_LOG)
    names = Names(session, entries)
    return [
        ReadableEntry(
            at=entry.at,
            who=names.who(entry),
            what=sentence(entry, names),
            stored=stored_text(entry),
        )
        for entry in entries
    ]


# -- accounts and sign-in -------------------------------------------------------------------
@says(ev.UserCreated, lambda e: not _dict(e).get("synthetic"))
def _user_created(e, names):
    agency = _dict(e).get("agency")
    where = f" in {_agency(agency)}" if agency else ""
    how = " from the single sign-on role claim" if "single sign-on" in _words(e) else ""
    return f"Account {names.user(e.entity_id)} added as {_roles(e.new_value)}{where}{how}"


@says(ev.DemoUserCreated, lambda e: bool(_dict(e).get("synthetic")))
def _demo_user_created(e, names):
    return f"Demo account {names.user(e.entity_id)} added as {_roles(e.new_value)}"


@says(ev.UserDisabled, lambda e: e.new_value == "False")
def _disabled(e, names):
    return f"Account {names.user(e.entity_id)} disabled"


@says(ev.UserEnabled, lambda e: e.new_value == "True")
def _enabled(e, names):
    return f"Account {names.user(e.entity_id)} enabled"


@says(ev.PasswordReset, lambda e: "demo password" not in (e.detail or ""))
def _password_reset(e, names):
    ended = _dict(e).get("sessions_ended")
    also = f"; {_count(ended, 'session')} ended" if ended else ""
    return f"Password of {names.user(e.entity_id)} reset{also}"


@says(ev.DemoPasswordChanged, lambda e: "demo password" in (e.detail or ""))
def _demo_password(e, names):
    removed = "removed" in str(_dict(e).get("change", ""))
    return f"Demo password {'taken from' if removed else 'given to'} {names.user(e.entity_id)}"


@says(ev.UserUnlocked)
def _unlocked(e, names):
    failures = _dict(e).get("failures_forgotten")
    forgotten = f"; {_count(failures, 'failed sign-in')} forgotten" if failures else ""
    return f"Account {names.user(e.entity_id)} unlocked{forgotten}"


@says(ev.RolesChanged)
def _roles_changed(e, names):
    agencies = _dict(e).get("agency")
    agency = ""
    if isinstance(agencies, list) and len(agencies) == 2 and agencies[0] != agencies[1]:
        agency = f"; agency from {_agency(agencies[0])} to {_agency(agencies[1])}"
    how = " (from the single sign-on role claim)" if "single sign-on" in _words(e) else ""
    return (
        f"Roles of {names.user(e.entity_id)} changed from {_roles(e.old_value)} "
        f"to {_roles(e.new_value)}{agency}{how}"
    )


@says(ev.SignedIn)
def _signed_in(e, names):
    how = _words(e)
    return f"Signed in{f' with {how}' if how else ''}"


@says(ev.SignInFailed)
def _sign_in_failed(e, names):
    account = f" as {names.user(e.entity_id)}" if _is_id(e.entity_id) else ""
    reason = _words(e)
    return f"Sign-in{account} refused{f': {reason}' if reason else ''}"


@says(ev.SignedOut)
def _signed_out(e, names):
    reason = _words(e)
    return f"Signed out{f' ({reason})' if reason and reason != 'signed out' else ''}"


# -- plans ---------------------------------------------------------------------------------
@says(ev.PlanImported)
def _imported(e, names):
    detail = _dict(e)
    reference = detail.get("reference")
    plan = f"plan {reference}" if reference else names.plan(e)
    version = (
        f" as version {detail.get('version')} of the case of {detail['version_of']}"
        if detail.get("version_of")
        else ""
    )
    outcomes = f", with {_count(detail['outcomes'], 'outcome')}" if "outcomes" in detail else ""
    return f"{_capital(plan)} imported{version}{outcomes}"


@says(ev.PlanViewed)
def _plan_viewed(e, names):
    return f"{_capital(names.plan(e))} opened"


@says(ev.PlanFlagged)
def _plan_flagged(e, names):
    detail = _dict(e)
    weak = (
        f" ({detail['weak']} of {_count(detail['outcomes'], 'outcome')} weak)"
        if "weak" in detail and "outcomes" in detail
        else ""
    )
    if e.new_value == "True":
        now = "flagged for weak outcomes"
    else:
        now = "no longer flagged" if e.old_value == "True" else "checked and not flagged"
    return f"{_capital(names.plan(e))} {now}{weak}"


@says(ev.FlagRun)
def _flag_run(e, names):
    detail = _dict(e)
    plans = detail.get("plans", 0)
    flagged = detail.get("flagged", 0)
    return f"Weak-outcome check run over {_count(plans, 'plan')}; {flagged} flagged"


@says(ev.PlanTextPurged)
def _purged(e, names):
    return f"Text of {names.plan(e)} removed under the retention rule"


@says(ev.RetentionRun)
def _retention(e, names):
    detail = _dict(e)
    return f"Retention run: text of {_count(detail.get('plans', 0), 'plan')} removed" + (
        f" (older than {detail['cutoff'][:10]})" if detail.get("cutoff") else ""
    )


@says(ev.OutcomeFlagJudged)
def _outcome_judged(e, names):
    return (
        f"Auditor {_yes_no(e.new_value)} with the weak-outcome flag on {names.record(e, 'outcome')}"
    )


@says(ev.ProvisionCheckJudged)
def _provision_judged(e, names):
    return f"Auditor {_yes_no(e.new_value)} with the provision check on {names.record(e, 'provision item')}"


# -- audits (the QA reviews) ---------------------------------------------------------------
@says(ev.SampleDrawn)
def _sample(e, names):
    detail = _dict(e)
    method = {"random": "random", "stratified": "stratified", "manual": "hand-picked"}.get(
        detail.get("method"), "new"
    )
    return (
        f"Sample {e.entity_id} drawn ({method}): {_count(detail.get('plans', 0), 'plan')}, "
        f"{_count(detail.get('audits', 0), 'audit')}"
    )


@says(ev.AuditAssigned)
def _assigned(e, names):
    detail = _dict(e)
    agency = f" ({_agency(detail['agency'])})" if detail.get("agency") else ""
    return f"{names.record(e, 'Audit')} assigned to {names.user(e.new_value)}{agency}"


@says(ev.AuditViewed)
def _audit_viewed(e, names):
    return f"{names.record(e, 'Audit')} opened"


def _criterion_of(e) -> str:
    return (e.field or "").split(":", 1)[-1]


@says(ev.ScoreSaved, lambda e: (e.field or "").startswith("score:"))
def _score(e, names):
    criterion = names.criterion(e.entity_id, _criterion_of(e))
    old, new = names.level(e.entity_id, e.old_value), names.level(e.entity_id, e.new_value)
    return f"Score for {criterion} changed from {old} to {new} ({names.record(e, 'audit')})"


@says(ev.NoteSaved, lambda e: (e.field or "").startswith("note:"))
def _note(e, names):
    criterion = names.criterion(e.entity_id, _criterion_of(e))
    return (
        f"Evidence note for {criterion} changed from {e.old_value or 'empty'} to "
        f"{e.new_value or 'empty'} ({names.record(e, 'audit')})"
    )


@says(
    ev.AuditTextSaved,
    lambda e: not (e.field or "").startswith(("score:", "note:")),
)
def _audit_text(e, names):
    what = TEXT_FIELDS.get(e.field or "", e.field or "Text")
    return (
        f"{what} changed from {e.old_value or 'empty'} to {e.new_value or 'empty'} "
        f"({names.record(e, 'audit')})"
    )


@says(ev.AuditSubmitted)
def _submitted(e, names):
    grade = _dict(e).get("grade")
    graded = f", graded {names.level(e.entity_id, grade)}" if grade else ""
    return f"{names.record(e, 'Audit')} submitted{graded}"


@says(ev.AuditReopened)
def _reopened(e, names):
    return f"{names.record(e, 'Audit')} reopened (it was {e.old_value or 'submitted'})"


@says(ev.AuditModerated)
def _moderated(e, names):
    moderation = _dict(e).get("moderation")
    by = f" by moderation {moderation}" if moderation else ""
    return f"{names.record(e, 'Audit')} settled{by}"


# -- moderation ----------------------------------------------------------------------------
@says(ev.ModerationStarted)
def _moderation_started(e, names):
    detail = _dict(e)
    pair = (
        f" (audits {detail['first_audit']} and {detail['second_audit']})"
        if detail.get("first_audit") and detail.get("second_audit")
        else ""
    )
    return f"{names.record(e, 'Moderation')}{pair} started"


@says(ev.ModerationViewed)
def _moderation_viewed(e, names):
    return f"{names.record(e, 'Moderation')} opened"


@says(ev.AgreedLevelSaved, lambda e: (e.field or "").startswith("agreed level of "))
def _agreed_level(e, names):
    title = (e.field or "")[len("agreed level of ") :]
    return (
        f"Agreed level for '{title}' changed from {_level_word(e.old_value)} to "
        f"{_level_word(e.new_value)} ({names.record(e, 'moderation')})"
    )


def _level_word(value) -> str:
    words = {"4": "Outstanding", "3": "Good", "2": "Requires improvement", "1": "Inadequate"}
    if value in (None, ""):
        return "no level"
    return "N/A" if value == "na" else words.get(str(value), str(value))


@says(ev.CriterionRationaleSaved, lambda e: (e.field or "").startswith("rationale for "))
def _criterion_rationale(e, names):
    title = (e.field or "")[len("rationale for ") :]
    return f"Rationale for '{title}' changed ({names.record(e, 'moderation')})"


@says(ev.AgreedGradeSaved)
def _agreed_grade(e, names):
    return (
        f"Agreed overall grade changed from {_level_word(e.old_value)} to "
        f"{_level_word(e.new_value)} ({names.record(e, 'moderation')})"
    )


@says(ev.OverallRationaleSaved)
def _overall_rationale(e, names):
    return f"Overall rationale changed ({names.record(e, 'moderation')})"


@says(ev.ModerationAgreed)
def _moderation_agreed(e, names):
    grade = _dict(e).get("grade")
    graded = f": overall grade {_level_word(grade)}" if grade else ""
    return f"{names.record(e, 'Moderation')} agreed{graded}"


# -- improvement actions after audits -------------------------------------------------------
@says(ev.ActionRecorded)
def _action_recorded(e, names):
    due = _dict(e).get("due_date")
    return f"{names.record(e, 'Action')} recorded" + (f", due {due}" if due else "")


@says(ev.ActionStatusChanged)
def _action_status(e, names):
    return f"{names.record(e, 'Action')} changed from {e.old_value or 'new'} to {e.new_value}"


@says(ev.ActionNoteChanged)
def _action_note(e, names):
    return f"Completion note of {names.record(e, 'action')} changed"


# -- what families said --------------------------------------------------------------------
@says(ev.FamilyVoiceRecorded)
def _voice_recorded(e, names):
    who = RESPONDENTS.get(_dict(e).get("respondent"), "family").lower()
    audit = _dict(e).get("audit")
    return f"What the {who} said started" + (f" for audit {audit}" if audit else "")


@says(ev.FamilyVoiceAnswerChanged)
def _voice_answer(e, names):
    return (
        f"Answer to '{e.field or 'a statement'}' changed from {e.old_value or 'no answer'} "
        f"to {e.new_value or 'no answer'} ({names.record(e, 'family record')})"
    )


@says(ev.FamilyVoiceCommentChanged)
def _voice_comment(e, names):
    characters = _dict(e).get("characters")
    now = f", now {_count(characters, 'character')}" if characters is not None else ""
    return f"Family comment changed{now} ({names.record(e, 'family record')})"


# -- what leaves the audit screen ----------------------------------------------------------
@says(ev.AuditsExported)
def _audits_exported(e, names):
    detail = _dict(e)
    rows = f": {_count(detail['rows'], 'row')}" if "rows" in detail else ""
    kind = f" as {str(detail['format']).upper()}" if detail.get("format") else ""
    return f"Audits exported{_period(detail)}{kind}{rows}"


@says(ev.ActionsExported)
def _actions_exported(e, names):
    detail = _dict(e)
    rows = f": {_count(detail['rows'], 'row')}" if "rows" in detail else ""
    kind = f" as {str(detail['format']).upper()}" if detail.get("format") else ""
    return f"Actions exported{kind}{rows}"


@says(ev.ReportDownloaded)
def _report(e, names):
    detail = _dict(e)
    what = "Writer feedback" if detail.get("writer") else "Learning report"
    period = (
        f" for {detail['date_from']} to {detail['date_to']}"
        if detail.get("date_from") and detail.get("date_to")
        else ""
    )
    return f"{what} downloaded{period}"


@says(ev.EvidencePackExported)
def _evidence_pack(e, names):
    return f"Evidence pack written{_period(_dict(e))}"


@says(ev.ChartAuditsListed)
def _chart_listed(e, names):
    audits = _dict(e).get("audits")
    return "Audits behind a chart listed" + (
        f": {_count(audits, 'audit')}" if audits is not None else ""
    )


# -- rubrics, demo data and the database ---------------------------------------------------
@says(ev.RubricRegistered)
def _rubric(e, names):
    words = (e.new_value or "").split()
    named = f" {words[0]} version {words[1].lstrip('v')}" if len(words) >= 2 else ""
    return f"Rubric{named} registered"


@says(ev.DemoDataAdded)
def _demo_data(e, names):
    detail = _dict(e)
    return (
        f"Synthetic demo data added: {_count(detail.get('plans', 0), 'plan')}, "
        f"{_count(detail.get('audits', 0), 'audit')}"
    )


@says(ev.DatabaseRestored)
def _restored(e, names):
    rows = _dict(e).get("rows")
    return "Database restored from a backup" + (f" ({_count(rows, 'row')})" if rows else "")

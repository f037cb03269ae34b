"""A period's audits as CSV or Excel: one row per criterion score.

Each row carries the plan's metadata (its pseudonymous reference, never the child), the
auditor, agency, timestamps, the evidence note and the moderation outcome. Free text
written by auditors passes through the identifier patterns of ``domain.redaction`` (an
auditor may have typed an NHS number or a phone number) and every cell is made safe
against spreadsheet formula injection. Each export is written to the event log.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qa_app.domain.grading import NOT_APPLICABLE
from qa_app.domain.redaction import redact
from qa_app.domain.spreadsheet import excel_cell, safe_row
from qa_app.services import event_log
from qa_app.services.access import Action, Actor, require
from qa_app.services.audits import FINISHED
from qa_app.services.errors import InvalidInput
from qa_app.services.events import AuditsExported
from qa_app.services.rubrics import rubric_of
from qa_app.services.score_rows import stored_level
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import Audit, Moderation

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

COLUMNS = [
    "audit_id",
    "plan_reference",
    "plan_type",
    "team",
    "writer_code",
    "year_group",
    "key_stage",
    "primary_need",
    "setting_type",
    "rubric",
    "rubric_version",
    "agency",
    "auditor",
    "audit_status",
    "double_rated",
    "rating_order",
    "assigned_at",
    "submitted_at",
    "section",
    "criterion_id",
    "criterion",
    "criterion_agency",
    "score",
    "score_label",
    "not_applicable",
    "note",
    "score_saved_at",
    "audit_overall_grade",
    "strengths",
    "areas_for_development",
    "moderation_status",
    "moderated_score",
    "moderated_score_label",
    "moderation_rationale",
    "moderated_overall_grade",
    "weak_outcome_flag",
    "weak_outcome_flag_reason",
]


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    content: bytes
    rows: int


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _stamp(moment: datetime | None) -> str:
    if moment is None:
        return ""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def export_rows(
    session: Session, actor: Actor, start: date, end: date, *, settings: Settings = DEFAULTS
) -> list[dict]:
    """Rows for every criterion score of the audits submitted from ``start`` to ``end``
    (both days included). Auditors are named only where ``settings.show_auditor_names``."""
    auditor_names = settings.show_auditor_names
    require(actor, Action.EXPORT_AUDITS)
    if end < start:
        raise InvalidInput("The period ends before it starts.")
    audits = session.scalars(
        select(Audit)
        .where(
            Audit.status.in_(FINISHED),
            Audit.submitted_at >= _day_start(start),
            Audit.submitted_at < _day_start(end) + timedelta(days=1),
        )
        .options(
            selectinload(Audit.scores),
            selectinload(Audit.plan),
            selectinload(Audit.auditor),
            selectinload(Audit.rubric_version),
        )
        .order_by(Audit.submitted_at, Audit.id)
    ).all()
    moderations = {}
    if audits:
        ids = [a.id for a in audits]
        for pair in session.scalars(
            select(Moderation)
            .where(Moderation.first_audit_id.in_(ids) | Moderation.second_audit_id.in_(ids))
            .options(selectinload(Moderation.scores))
        ):
            moderations[pair.first_audit_id] = pair
            moderations[pair.second_audit_id] = pair

    rows = []
    for audit in audits:
        rubric = rubric_of(audit.rubric_version)
        plan = audit.plan
        moderation = moderations.get(audit.id)
        agreed = {s.criterion_id: s for s in moderation.scores} if moderation else {}
        by_id = {s.criterion_id: s for s in audit.scores}
        for criterion in rubric.criteria:
            score = by_id.get(criterion.id)
            if score is None:
                continue
            outcome = agreed.get(criterion.id)
            outcome_level = stored_level(outcome)
            rows.append(
                {
                    "audit_id": audit.id,
                    "plan_reference": plan.reference,
                    "plan_type": plan.plan_type,
                    "team": plan.team or "",
                    "writer_code": plan.writer_code or "",
                    "year_group": plan.year_group,
                    "key_stage": plan.key_stage or "",
                    "primary_need": plan.primary_need or "",
                    "setting_type": plan.setting_type or "",
                    "rubric": rubric.id,
                    "rubric_version": rubric.version,
                    "agency": audit.agency,
                    "auditor": audit.auditor.display_name
                    if auditor_names
                    else f"Auditor {audit.auditor_id}",
                    "audit_status": audit.status,
                    "double_rated": "yes" if audit.double_rated else "no",
                    "rating_order": audit.rating_order,
                    "assigned_at": _stamp(audit.created_at),
                    "submitted_at": _stamp(audit.submitted_at),
                    "section": criterion.section,
                    "criterion_id": criterion.id,
                    "criterion": criterion.title,
                    "criterion_agency": criterion.agency,
                    "score": score.score,
                    "score_label": "N/A" if score.not_applicable else rubric.label(score.score),
                    "not_applicable": "yes" if score.not_applicable else "no",
                    "note": redact(score.note or ""),
                    "score_saved_at": _stamp(score.updated_at),
                    "audit_overall_grade": rubric.label(audit.overall_grade)
                    if audit.overall_grade
                    else "",
                    "strengths": redact(audit.strengths or ""),
                    "areas_for_development": redact(audit.areas_for_development or ""),
                    "moderation_status": moderation.status if moderation else "",
                    "moderated_score": outcome_level if isinstance(outcome_level, int) else None,
                    "moderated_score_label": ""
                    if outcome_level is None
                    else (
                        "N/A" if outcome_level == NOT_APPLICABLE else rubric.label(outcome_level)
                    ),
                    "moderation_rationale": redact(outcome.rationale or "") if outcome else "",
                    "moderated_overall_grade": rubric.label(moderation.overall_grade)
                    if moderation and moderation.overall_grade
                    else "",
                    "weak_outcome_flag": _flag_text(plan.weak_flag),
                    "weak_outcome_flag_reason": plan.weak_flag_reason or "",
                }
            )
    return [safe_row(row) for row in rows]


def _flag_text(flag: bool | None) -> str:
    """yes or no; empty when the plan has never been checked."""
    return "" if flag is None else ("yes" if flag else "no")


def to_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    # A byte-order mark lets Excel read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Criterion scores"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([excel_cell(row[column]) for column in COLUMNS])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_period(
    session: Session,
    actor: Actor,
    start: date,
    end: date,
    fmt: str,
    *,
    settings: Settings = DEFAULTS,
) -> Export:
    """Build the export file and log it (who, the period, the format, the row count)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Exports come as {' or '.join(FORMATS)}.")
    rows = export_rows(session, actor, start, end, settings=settings)
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    event_log.record(
        session,
        actor,
        AuditsExported(
            None,
            detail={
                "from": start.isoformat(),
                "to": end.isoformat(),
                "format": fmt,
                "rows": len(rows),
            },
        ),
    )
    return Export(
        filename=f"audits_{start.isoformat()}_{end.isoformat()}.{fmt}",
        media_type=FORMATS[fmt],
        content=content,
        rows=len(rows),
    )

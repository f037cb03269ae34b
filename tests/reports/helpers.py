"""A year of demo audits with identifiers planted in plan text and notes, and a reader
for generated reports."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from docx import Document
from sqlalchemy import select

from qa_app.services import demo, demo_text
from qa_app.services.access import SYSTEM, actor_for
from qa_app.store.engine import session_scope
from qa_app.store.models import (
    Audit,
    CriterionScore,
    Moderation,
    Outcome,
    Plan,
    RubricVersion,
    User,
)

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))
PLANTED_NAMES = ("Jamie", "Smith", "Priya", "Patel")
PLANTED_STRENGTH = "Jamie Smith's mother (jamie.smith@example.com, 07700 900123) praised the plan."
PLANTED_DEVELOPMENT = "Priya Patel said the family moved to SW1A 1AA; NHS number 943 476 5919."
PLANTED_WEAK = (
    "Jamie Smith (NHS 943 476 5919, SW1A 1AA) will be supported by Priya Patel on 07700 900123."
)
PLANTED_STRONG = (
    "By July 2026, Jamie will read 20 common words aloud; contact jamie.smith@example.com."
)


def seed(url: str) -> None:
    with session_scope(url) as session:
        demo.seed_demo(session, SYSTEM, plans=160, seed=11, months=12, until=PERIOD[1])
        store_verdicts(session)
        plant_identifiers(session)


def store_verdicts(session) -> None:
    """Verdicts as the flags service stores them, taken from the demo phrase bank each
    outcome came from, so report tests do not hang on the shipped model."""
    weak = set(demo_text.WEAK_OUTCOMES)
    for outcome in session.scalars(select(Outcome)):
        is_weak = outcome.text in weak
        outcome.weak, outcome.p_weak = is_weak, 0.9 if is_weak else 0.1
        outcome.reasons = "not_measurable;no_timescale" if is_weak else ""
        outcome.model_version = "phrase-bank"


def plant_identifiers(session) -> None:
    """Identifiers where a careless import or note could leave them: outcome text, notes
    and an auditor's real-looking name."""
    auditor = session.scalar(select(User).where(User.username == "demo_auditor"))
    auditor.display_name = "Priya Patel"
    start = datetime(2026, 1, 1, tzinfo=UTC)
    audits = session.scalars(
        select(Audit)
        .where(
            Audit.status.in_(("submitted", "moderated")),
            Audit.rating_order == 1,
            Audit.submitted_at >= start,
        )
        .order_by(Audit.id)
        .limit(8)
    ).all()
    for audit in audits:
        audit.strengths = f"{audit.strengths} {PLANTED_STRENGTH}"
        audit.areas_for_development = f"{audit.areas_for_development} {PLANTED_DEVELOPMENT}"
        outcomes = session.scalars(
            select(Outcome).where(Outcome.plan_id == audit.plan_id).order_by(Outcome.position)
        ).all()
        outcomes[0].text, outcomes[0].weak, outcomes[0].p_weak, outcomes[0].reasons = (
            PLANTED_WEAK,
            True,
            1.0,
            "not_measurable",
        )
        outcomes[-1].text, outcomes[-1].weak, outcomes[-1].p_weak, outcomes[-1].reasons = (
            PLANTED_STRONG,
            False,
            0.0001,
            "",
        )


def actor_named(session, username: str):
    return actor_for(session.scalar(select(User).where(User.username == username)))


@dataclass
class Docx:
    """A generated report, read back."""

    document: Document

    @classmethod
    def load(cls, content: bytes) -> Docx:
        return cls(Document(io.BytesIO(content)))

    def headings(self, level: int | None = None) -> list[str]:
        styles = {f"Heading {level}"} if level else {f"Heading {n}" for n in range(1, 4)}
        return [p.text for p in self.document.paragraphs if p.style.name in styles]

    def paragraphs(self) -> list[str]:
        return [p.text for p in self.document.paragraphs]

    def tables(self) -> list[list[list[str]]]:
        return [
            [[cell.text for cell in row.cells] for row in table.rows]
            for table in self.document.tables
        ]

    def table_with(self, *headers: str) -> list[list[str]]:
        for table in self.tables():
            if all(header in table[0] for header in headers):
                return table
        raise AssertionError(f"no table with headers {headers}")

    def all_text(self) -> str:
        parts = self.paragraphs()
        parts += [cell for table in self.tables() for row in table for cell in row]
        for section in self.document.sections:
            parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        return "\n".join(parts)

    def images(self) -> list[bytes]:
        return [
            part.blob
            for part in self.document.part.related_parts.values()
            if part.content_type.startswith("image/")
        ]


def counted_audits(
    session, first: date, last: date, *, team=None, writer=None
) -> list[tuple[Audit, int | None]]:
    """The audits a report should count, found directly: finished first ratings on the core
    rubric submitted in the period, each with its final grade (agreed at moderation, or
    the auditor's)."""
    agreed = {}
    for moderation in session.scalars(select(Moderation).where(Moderation.status == "agreed")):
        agreed[moderation.first_audit_id] = agreed[moderation.second_audit_id] = (
            moderation.overall_grade
        )
    rows = []
    for audit in session.scalars(
        select(Audit)
        .join(RubricVersion, RubricVersion.id == Audit.rubric_version_id)
        .where(
            RubricVersion.rubric_key == "ehcp_core",
            Audit.rating_order == 1,
            Audit.status.in_(("submitted", "moderated")),
        )
    ):
        day = audit.submitted_at.date()
        if not first <= day <= last:
            continue
        plan = session.get(Plan, audit.plan_id)
        if (team and plan.team != team) or (writer and plan.writer_code != writer):
            continue
        rows.append((audit, agreed.get(audit.id, audit.overall_grade)))
    return rows


def criterion_means(session, audits: list[Audit]) -> dict[str, tuple[float, int]]:
    scores = defaultdict(list)
    ids = [audit.id for audit in audits]
    for score in session.scalars(select(CriterionScore).where(CriterionScore.audit_id.in_(ids))):
        if score.score is not None:
            scores[score.criterion_id].append(score.score)
    return {cid: (sum(values) / len(values), len(values)) for cid, values in scores.items()}

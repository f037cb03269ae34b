"""Retention: plan text is kept for a configured period, then removed.

A plan is due when neither it nor any audit or moderation of it has changed for longer
than the retention period. Purging blanks the text of its sections, outcomes and
provision, and the free text auditors and moderators wrote about it (notes, strengths,
areas for development, rationales, the descriptions and completion notes of actions,
the comments recorded as what a family said),
which can quote the plan. What trends need stays:
plan metadata, scores, grades, outcome weak flags and their reason codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session, selectinload

from qa_app.services import event_log
from qa_app.services.access import Action, Actor, require
from qa_app.services.events import PlanTextPurged, RetentionRun
from qa_app.store.models import Audit, FamilyVoice, ImprovementAction, Moderation, Plan


@dataclass(frozen=True)
class PurgeSummary:
    plans: int = 0
    sections: int = 0
    outcomes: int = 0
    provision_items: int = 0
    audit_texts: int = 0
    moderation_texts: int = 0

    def __add__(self, other: PurgeSummary) -> PurgeSummary:
        return PurgeSummary(*(a + b for a, b in zip(self._counts(), other._counts())))

    def _counts(self) -> tuple[int, ...]:
        return (
            self.plans,
            self.sections,
            self.outcomes,
            self.provision_items,
            self.audit_texts,
            self.moderation_texts,
        )

    def as_detail(self) -> dict[str, int]:
        return {
            "plans": self.plans,
            "sections": self.sections,
            "outcomes": self.outcomes,
            "provision_items": self.provision_items,
            "audit_texts": self.audit_texts,
            "moderation_texts": self.moderation_texts,
        }


def cutoff_for(retention_days: int, now: datetime | None = None) -> datetime:
    if retention_days < 1:
        raise ValueError("The retention period must be at least one day.")
    return (now or datetime.now(UTC)) - timedelta(days=retention_days)


def plans_due(session: Session, cutoff: datetime) -> list[int]:
    """Ids of unpurged plans with no activity since ``cutoff``."""
    activity = union_all(
        select(Plan.id.label("plan_id"), Plan.created_at.label("at")),
        select(Audit.plan_id, Audit.updated_at),
        select(Moderation.plan_id, Moderation.updated_at),
    ).subquery()
    latest = (
        select(activity.c.plan_id)
        .group_by(activity.c.plan_id)
        .having(func.max(activity.c.at) < cutoff)
    )
    query = (
        select(Plan.id).where(Plan.text_purged_at.is_(None), Plan.id.in_(latest)).order_by(Plan.id)
    )
    return list(session.scalars(query))


def _blank(rows, *attributes: str) -> int:
    changed = 0
    for row in rows:
        touched = False
        for attribute in attributes:
            if getattr(row, attribute):
                setattr(row, attribute, "")
                touched = True
        changed += touched
    return changed


def _purge_plan(session: Session, plan: Plan, dry_run: bool) -> PurgeSummary:
    audits = list(
        session.scalars(
            select(Audit).where(Audit.plan_id == plan.id).options(selectinload(Audit.scores))
        )
    )
    moderations = list(
        session.scalars(
            select(Moderation)
            .where(Moderation.plan_id == plan.id)
            .options(selectinload(Moderation.scores))
        )
    )
    # What is to be done after an audit, and what was done, can quote the plan too.
    followed_up = (
        list(
            session.scalars(
                select(ImprovementAction).where(
                    ImprovementAction.audit_id.in_([a.id for a in audits])
                )
            )
        )
        if audits
        else []
    )
    voices = list(session.scalars(select(FamilyVoice).where(FamilyVoice.plan_id == plan.id)))
    if dry_run:
        return PurgeSummary(
            plans=1,
            sections=sum(bool(s.text) for s in plan.sections),
            outcomes=sum(bool(o.text) for o in plan.outcomes),
            provision_items=sum(bool(p.text) for p in plan.provision),
            audit_texts=sum(bool(a.strengths or a.areas_for_development) for a in audits)
            + sum(bool(s.note) for a in audits for s in a.scores)
            + sum(bool(r.reason) for a in audits for r in a.reopenings)
            + sum(bool(f.description or f.completion_note) for f in followed_up)
            + sum(bool(v.comment) for v in voices),
            moderation_texts=sum(bool(m.rationale) for m in moderations)
            + sum(bool(s.rationale) for m in moderations for s in m.scores),
        )
    return PurgeSummary(
        plans=1,
        sections=_blank(plan.sections, "text"),
        outcomes=_blank(plan.outcomes, "text"),
        provision_items=_blank(plan.provision, "text"),
        audit_texts=_blank(audits, "strengths", "areas_for_development")
        + sum(_blank(a.scores, "note") for a in audits)
        + sum(_blank(a.reopenings, "reason") for a in audits)
        + _blank(followed_up, "description", "completion_note")
        + _blank(voices, "comment"),
        moderation_texts=_blank(moderations, "rationale")
        + sum(_blank(m.scores, "rationale") for m in moderations),
    )


def purge_plan_text(
    session: Session,
    actor: Actor,
    retention_days: int,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> PurgeSummary:
    """Remove the text of every plan due for purging; log each plan and the total.

    Changing audit rows this way bumps their version, so an auditor with the audit open
    is told it changed rather than silently writing the text back.
    """
    require(actor, Action.PURGE_PLAN_TEXT)
    now = now or datetime.now(UTC)
    cutoff = cutoff_for(retention_days, now)
    total = PurgeSummary()
    for plan_id in plans_due(session, cutoff):
        plan = session.scalars(
            select(Plan)
            .where(Plan.id == plan_id)
            .options(
                selectinload(Plan.sections),
                selectinload(Plan.outcomes),
                selectinload(Plan.provision),
            )
        ).one()
        removed = _purge_plan(session, plan, dry_run)
        total += removed
        if not dry_run:
            plan.text_purged_at = now
            event_log.record(session, actor, PlanTextPurged(plan.id, detail=removed.as_detail()))
    if not dry_run:
        event_log.record(
            session,
            actor,
            RetentionRun(
                None,
                detail={
                    "retention_days": retention_days,
                    "cutoff": cutoff.isoformat(),
                    **total.as_detail(),
                },
            ),
        )
    return total

"""Synthetic demo data for the QA loop's actions and re-audits: actions after weak audits (open, overdue, done
and cancelled), and amended plans imported as second versions and audited again, most
better than before and some not. Every record is marked synthetic, and the choices come
from their own seeded random stream, so the rest of the demo data is as it was.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from qa_app.services.plans import new_reference
from qa_app.store.models import Audit, ImprovementAction, Plan

# Of the finished first audits graded Requires improvement or Inadequate, the share given
# actions, and of those the share whose plan was amended and audited again.
SHARE_WITH_ACTIONS = 0.35
SHARE_REAUDITED = 0.6
TRAINING_TEAM = "Learning and development"
DESCRIPTIONS = {
    "amend_plan": [
        "Amend section E so that each outcome says what will change, by when, and how it will be measured.",
        "Amend section F so that each provision item says who delivers it, how often and for how long.",
        "Add the young person's own words to section A, gathered at a conversation with them.",
    ],
    "writer_feedback": [
        "Go through the audit with the plan writer, using two strong outcomes as examples.",
        "Feedback to the writer on linking needs in section B to outcomes and provision.",
    ],
    "training": [
        "Place the writer on the next outcomes workshop.",
        "Add this plan, anonymised, to the casework examples for the provision specificity session.",
    ],
    "service_improvement": [
        "Ask the health team to send advice within six weeks so that section C is current.",
        "Remind schools that annual review paperwork must reach the team before the meeting.",
    ],
    "re_audit": ["Audit the amended plan again once it is issued."],
}
COMPLETION_NOTES = {
    "amend_plan": "Plan amended and issued to the family.",
    "writer_feedback": "Feedback meeting held with the writer.",
    "training": "Writer attended the workshop.",
    "service_improvement": "Raised at the partnership meeting; new deadline agreed.",
    "re_audit": "Re-audit assigned.",
}
CANCEL_NOTE = "No longer needed: the plan ceased."


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60)), tzinfo=UTC)


def add_actions_and_reaudits(generator, seed: int, plans: list[Plan]) -> dict[str, int]:
    """Actions and re-audits for the weak first audits among ``plans``; returns counts.
    ``generator`` is the demo generator that made the plans (its users, rubric and audit
    maker are reused)."""
    rng = random.Random(seed * 7919 + 16)
    until = generator.until
    today = max(until, date.today())
    lead = generator.users["demo_qa_lead"]
    counts = {"actions": 0, "reaudited_plans": 0}
    for plan in plans:
        first = next(
            (
                a
                for a in plan.audits
                if a.agency == "education"
                and a.rating_order == 1
                and a.rubric_version_id == generator.rubric_version_id
                and a.status in ("submitted", "moderated")
                and a.submitted_at is not None
                and (a.overall_grade or 4) <= 2
            ),
            None,
        )
        if first is None or rng.random() >= SHARE_WITH_ACTIONS:
            continue
        assert first.submitted_at is not None  # picked for it above
        submitted = first.submitted_at.date()
        room = (until - submitted).days
        reaudit = room >= 45 and rng.random() < SHARE_REAUDITED
        kinds = ["amend_plan"] + rng.sample(
            ["writer_feedback", "training", "service_improvement"], rng.randint(0, 2)
        )
        if reaudit:
            kinds.append("re_audit")
        closed_by = submitted + timedelta(days=min(room, 30) if room > 0 else 0)
        for kind in kinds:
            if reaudit:
                status = "done"
            else:
                status = rng.choices(["open", "done", "cancelled"], weights=[5, 3, 1])[0]
            due = submitted + timedelta(days=rng.randint(14, 42))
            if status == "open" and rng.random() < 0.4:
                due = today + timedelta(days=rng.randint(7, 60))  # open and not yet due
            owner = {"user": first.auditor_id} if kind in ("amend_plan", "re_audit") else {}
            team = TRAINING_TEAM if kind == "training" else (plan.team or "SEN team")
            generator.session.add(
                ImprovementAction(
                    audit=first,
                    criterion_id=None,
                    kind=kind,
                    description=rng.choice(DESCRIPTIONS[kind]),
                    owner_user_id=owner.get("user"),
                    owner_team=None if owner else team,
                    due_date=due,
                    status=status,
                    completion_note=COMPLETION_NOTES[kind]
                    if status == "done"
                    else (CANCEL_NOTE if status == "cancelled" else ""),
                    created_by_id=lead.id,
                    is_synthetic=True,
                    created_at=first.submitted_at + timedelta(hours=2),
                    closed_at=None if status == "open" else _at(min(closed_by, until), rng),
                )
            )
            counts["actions"] += 1
        if reaudit:
            _reaudit(generator, rng, plan, first, submitted, room)
            counts["reaudited_plans"] += 1
    generator.session.flush()
    return counts


def _reaudit(
    generator, rng: random.Random, plan: Plan, first: Audit, submitted: date, room: int
) -> None:
    """The amended plan as version 2 of the case, audited again: most improve (a grade
    or so), some stay as they were or slip."""
    change = rng.choices([1.2, 0.7, 0.0, -0.5], weights=[5, 3, 2, 1])[0]
    quality = (first.overall_grade or 2) + 0.4 + change + rng.gauss(0, 0.2)
    amended = Plan(
        reference=new_reference("DEMO"),
        source="demo",
        is_synthetic=True,
        case_plan_id=plan.id,
        version_number=2,
        year_group=plan.year_group,
        age_at_audit=plan.age_at_audit,
        key_stage=plan.key_stage,
        primary_need=plan.primary_need,
        setting_type=plan.setting_type,
        team=plan.team,
        writer_code=plan.writer_code,
        plan_type="annual_review",
        created_at=_at(submitted + timedelta(days=min(room - 10, 35)), rng),
    )
    generator.plan_text(amended, quality)
    generator.session.add(amended)
    day = submitted + timedelta(days=rng.randint(min(room - 5, 40), room))
    auditor = generator.session.get(type(first.auditor), first.auditor_id)
    generator.add_audit(
        amended,
        auditor,
        "education",
        quality,
        min(day, generator.until) - timedelta(days=3),
        "submitted",
    )

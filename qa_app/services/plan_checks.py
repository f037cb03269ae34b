"""Provision and golden-thread checks of a plan: each provision item's verdict (weak =
vague, with reasons), the thread need → outcome → provision with its gaps, and what they
add to the plan's flag.

Run at import in the save's transaction and whenever plans are re-flagged, through
``services.flags``; ``thread_of_reading`` gives the same thread for a reading that is not
stored (``qa-app ingest --json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qa_app.classifier.provision import ShippedProvisionModel, load_provision_model
from qa_app.domain.thread import (
    AREA_NAMES,
    Thread,
    ThreadOutcome,
    ThreadProvision,
    build_thread,
    split_needs,
)
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import Plan, ThreadGap

NEED_SECTIONS = ("B", "C", "D")
_DETAIL_LIMIT = 300


@dataclass(frozen=True)
class ChecksFlag:
    """What the provision and thread checks add to a plan's flag."""

    flagged: bool
    reasons: tuple[str, ...]


def _needs(sections: dict[str, str]):
    return [need for letter in NEED_SECTIONS for need in split_needs(sections.get(letter) or "")]


def build_plan_thread(
    sections: dict[str, str], outcomes, provision, year_group: int | None
) -> Thread:
    """The thread from section texts, outcomes (``text``, ``area``, ``link``) and provision
    items (``text``, ``section``, ``area``, ``link``), read or stored alike."""
    return build_thread(
        _needs(sections),
        [ThreadOutcome(o.text or "", o.area or "", o.link or "") for o in outcomes],
        [
            ThreadProvision(
                p.text or "", p.section or "F", getattr(p, "heading", "") or "", p.link or ""
            )
            for p in provision
        ],
        year_group=year_group,
        has_provision_section=bool(provision)
        or any((sections.get(letter) or "").strip() for letter in ("F", "G", "H1", "H2", "H")),
        has_needs_section=bool((sections.get("B") or "").strip()),
    )


def thread_of_reading(parsed) -> Thread:
    """The thread of a plan as read (``ParsedPlan``), stored nowhere."""
    return build_plan_thread(
        parsed.sections, parsed.outcomes, parsed.provision, parsed.metadata.year_group
    )


def add_checks(parsed, document: dict, model: ShippedProvisionModel | None = None) -> dict:
    """A reading's JSON with each provision item's verdict (``weak``, ``p_weak``,
    ``reasons``) and the plan's ``thread``."""
    model = model or load_provision_model()
    verdicts = model.classify([item.text for item in parsed.provision])
    for item, verdict in zip(document["provision"], verdicts):
        item.update(
            weak=verdict.weak, p_weak=round(verdict.p_weak, 4), reasons=list(verdict.reasons)
        )
    document["thread"] = thread_of_reading(parsed).to_json()
    return document


def check_plan(
    session: Session,
    plan: Plan,
    *,
    model: ShippedProvisionModel | None = None,
    settings: Settings = DEFAULTS,
) -> ChecksFlag:
    """Classify the plan's provision, store each verdict, store its thread and gaps, and
    say what they add to the flag. Joins the caller's transaction."""
    model = model or load_provision_model()
    items = list(plan.provision)
    for item, verdict in zip(items, model.classify([item.text for item in items])):
        item.weak = verdict.weak
        item.p_weak = round(verdict.p_weak, 4)
        item.reasons = verdict.reasons_text
        item.model_version = model.version
    sections = {section.letter: section.text for section in plan.sections}
    if not sections:
        # Nothing was read into sections (a plan entered by hand): no thread to check.
        plan.thread, plan.thread_gaps = None, []
        return checks_flag(items, None, settings)
    thread = build_plan_thread(sections, plan.outcomes, items, plan.year_group)
    for item, area in zip(items, thread.provision_areas):
        item.area = area or None
    plan.thread = json.dumps(thread.to_json(), ensure_ascii=False)
    plan.thread_gaps = [
        ThreadGap(
            position=position,
            kind=gap.kind,
            area=gap.area or None,
            detail=gap.detail[:_DETAIL_LIMIT],
        )
        for position, gap in enumerate(thread.gaps)
    ]
    session.flush()
    return checks_flag(items, thread, settings)


def checks_flag(items, thread: Thread | None, settings: Settings) -> ChecksFlag:
    reasons, flagged = [], False
    if items:
        weak = sum(bool(item.weak) for item in items)
        share = weak / len(items)
        reason = f"{weak} of {len(items)} provision items vague ({share:.0%})"
        if share >= settings.provision_weak_share_threshold:
            flagged = True
            reason += f": vague share reaches {settings.provision_weak_share_threshold:.0%}"
        reasons.append(reason)
    if thread is None:
        return ChecksFlag(flagged, tuple(reasons))
    gaps = len(thread.gaps)
    if gaps or items:
        kinds = sorted({gap.kind.replace("_", " ") for gap in thread.gaps})
        reason = f"{gaps} golden-thread gap{'s' if gaps != 1 else ''}" + (
            f" ({', '.join(kinds)})" if kinds else ""
        )
        if gaps >= settings.thread_gap_threshold:
            flagged = True
            reason += f": reaches {settings.thread_gap_threshold}"
        reasons.append(reason)
    return ChecksFlag(flagged, tuple(reasons))


def stored_thread(plan: Plan) -> dict:
    """The stored thread ({"needs", "links", "gaps"}), empty lists when none is stored."""
    if not plan.thread:
        return {"needs": [], "links": [], "gaps": []}
    return json.loads(plan.thread)


def area_label(area: str | None) -> str:
    return AREA_NAMES.get(area or "", "no area")

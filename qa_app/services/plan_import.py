"""Importing plans: reading an upload of Word (.docx) or PDF plans (or one .zip of them)
into redacted readings, then saving each as a pseudonymous Plan with its sections,
outcomes and provision items once the user has confirmed or corrected the metadata.
Every outcome is classified and the plan flagged in the same transaction as the save.

The parsed plan's texts are already redacted by the reader. The original file is never
stored, and neither is the file name: a new reference stands for the plan from here on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from qa_app.classifier import ShippedModel
from qa_app.domain import plan_facts
from qa_app.ingest import ParsedPlan, PlanRefused, display_name, expand_upload, read_plan
from qa_app.ingest.archive import ArchiveMembers
from qa_app.services import database_kind, event_log, reaudits
from qa_app.services.access import Action, Actor, require
from qa_app.services.errors import InvalidInput
from qa_app.services.events import PlanImported
from qa_app.services.flags import flag_new_plan
from qa_app.services.plans import new_reference
from qa_app.services.text_input import (
    OUTCOME_LIMIT,
    PROVISION_LIMIT,
    SECTION_LIMIT,
    TEAM_LIMIT,
    clean_text,
)
from qa_app.settings import DEFAULTS, Settings
from qa_app.store.models import Outcome, Plan, PlanSection, ProvisionItem

_TEXT_LIMIT = 120


@dataclass(frozen=True)
class UploadResult:
    """One uploaded file: its reading, or the one-line reason it was refused."""

    name: str
    plan: ParsedPlan | None = None
    reason: str | None = None


def read_uploads(
    uploads: Iterable[tuple[str, bytes]],
    audit_date: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[UploadResult]:
    """Read uploaded files; a .zip is opened into its .docx and .pdf files, one member at a
    time, each read and its bytes dropped before the next is unpacked. Nothing is stored,
    and each bad file is refused on its own while the rest carry on."""
    files: list[tuple[str, ArchiveMembers | bytes | None, str | None]] = []
    total = 0
    for name, data in uploads:
        if name.lower().endswith(".zip"):
            try:
                members = expand_upload(data)
            except PlanRefused as refusal:
                files.append((name, None, refusal.reason))
                total += 1
                continue
            files.append((name, members, None))
            total += members.count
        else:
            files.append((name, data, _refused_by_name(name)))
            total += 1
    results: list[UploadResult] = []

    def read_one(name: str, data: bytes | None, reason: str | None) -> None:
        if reason is None:
            assert data is not None  # only a refused file comes without its bytes
            try:
                results.append(
                    UploadResult(display_name(name), plan=read_plan(data, name, audit_date))
                )
            except PlanRefused as refusal:
                reason = refusal.reason
        if reason is not None:
            results.append(UploadResult(display_name(name), reason=reason))
        if progress:
            progress(len(results), total)

    for name, content, reason in files:
        if isinstance(content, bytes) or content is None:
            read_one(name, content, reason)
        else:
            for member in content:
                why = member.refusal.reason if member.refusal else None
                read_one(member.name, member.data, why)
    return results


def _refused_by_name(name: str) -> str | None:
    if name.lower().endswith((".docx", ".pdf")):
        return None
    if name.lower().endswith((".docm", ".dotm")):
        return "a macro-enabled Word file (.docm) is never opened: save it as .docx"
    return "not a .docx, .pdf or .zip file"


@dataclass(frozen=True)
class PlanDetails:
    """The metadata saved with an imported plan, as confirmed by the user."""

    year_group: int | None = None
    age_at_audit: int | None = None
    key_stage: str | None = None
    primary_need: str | None = None
    setting_type: str | None = None
    plan_type: str = "annual_review"
    team: str | None = None

    @classmethod
    def from_parsed(cls, parsed: ParsedPlan, **overrides) -> PlanDetails:
        """The metadata the reader found, with any field the user changed."""
        found = parsed.metadata
        details = cls(
            year_group=found.year_group,
            age_at_audit=found.age,
            key_stage=found.key_stage,
            primary_need=found.primary_need,
            setting_type=found.setting_type,
        )
        return replace(details, **overrides)


def check_details(details: PlanDetails) -> PlanDetails:
    """Validated details, the key stage filled in from the year group when left empty."""
    if details.year_group is not None and not -2 <= details.year_group <= 14:
        raise InvalidInput("Year group must be between -2 (nursery) and 14 (post-19).")
    if details.age_at_audit is not None and not 0 <= details.age_at_audit <= 25:
        raise InvalidInput("Age must be between 0 and 25.")
    checks = [
        ("primary need", details.primary_need, plan_facts.PRIMARY_NEEDS),
        ("setting type", details.setting_type, plan_facts.SETTING_TYPES),
        ("key stage", details.key_stage, plan_facts.KEY_STAGES),
        ("plan type", details.plan_type, plan_facts.PLAN_TYPES),
    ]
    for name, value, allowed in checks:
        if value is not None and value not in allowed:
            raise InvalidInput(f"Unknown {name}: choose one of {', '.join(allowed)}.")
    if details.team is not None:
        details = replace(
            details, team=clean_text(details.team, "The team", TEAM_LIMIT, single_line=True).strip()
        )
    if details.key_stage is None:
        details = replace(
            details, key_stage=plan_facts.key_stage_for_year_group(details.year_group)
        )
    return details


def _label(text: str) -> str:
    """An outcome's area or timescale: one line, cut to what the table holds."""
    return clean_text(text, "An outcome's area or timescale", SECTION_LIMIT, single_line=True)[
        :_TEXT_LIMIT
    ]


def import_plan(
    session: Session,
    actor: Actor,
    parsed: ParsedPlan,
    details: PlanDetails,
    *,
    model: ShippedModel | None = None,
    settings: Settings = DEFAULTS,
    version_of: str | None = None,
) -> Plan:
    """Store a parsed plan under a new pseudonymous reference, its outcomes classified and
    the plan flagged; QA leads only, since importing shows the plan's text (an admin reads
    plan text only as a QA lead too). With ``version_of`` (an earlier plan's reference)
    the plan is the next version of that plan's case, keeping its team unless another is
    given; an unknown reference stores nothing."""
    require(actor, Action.IMPORT_PLANS)
    database_kind.refuse_in_demo(session, "importing a plan")
    details = check_details(details)
    earlier = reaudits.earlier_version(session, version_of) if version_of is not None else None
    if earlier is not None and details.team is None:
        details = replace(details, team=earlier.team)
    plan = Plan(
        reference=new_reference(),
        source="import",
        year_group=details.year_group,
        age_at_audit=details.age_at_audit,
        key_stage=details.key_stage,
        primary_need=details.primary_need,
        setting_type=details.setting_type,
        plan_type=details.plan_type,
        team=details.team or None,
    )
    if earlier is not None:
        plan.case_plan_id = reaudits.case_of(earlier)
        plan.version_number = reaudits.next_version_number(session, plan.case_plan_id)
        plan.writer_code = earlier.writer_code
    plan.sections = [
        PlanSection(
            letter=letter,
            position=position,
            text=clean_text(text, f"Section {letter}", SECTION_LIMIT),
        )
        for position, (letter, text) in enumerate(parsed.sections.items())
    ]
    plan.outcomes = [
        Outcome(
            position=position,
            text=clean_text(outcome.text, f"Outcome {position + 1}", OUTCOME_LIMIT),
            area=_label(outcome.area) or None,
            timescale=_label(outcome.timescale) or None,
            steps=clean_text(
                "\n".join(outcome.steps), f"Steps of outcome {position + 1}", SECTION_LIMIT
            )
            or None,
            need_area=outcome.need_area,
            link=outcome.link or None,
        )
        for position, outcome in enumerate(parsed.outcomes)
    ]
    plan.provision = [
        ProvisionItem(
            position=position,
            section=item.section,
            text=clean_text(item.text, f"Provision item {position + 1}", PROVISION_LIMIT),
            link=item.link or None,
        )
        for position, item in enumerate(parsed.provision)
    ]
    session.add(plan)
    session.flush()
    event_log.record(
        session,
        actor,
        PlanImported(
            plan.id,
            detail={
                "reference": plan.reference,
                "sections": list(parsed.sections),
                "outcomes": len(plan.outcomes),
                "provision_items": len(plan.provision),
                "warnings": len(parsed.warnings),
                "version_of": earlier.reference if earlier is not None else None,
                "version": plan.version_number,
            },
        ),
    )
    flag_new_plan(session, actor, plan, model=model, settings=settings)
    return plan

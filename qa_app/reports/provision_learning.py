"""The learning report's provision and golden-thread section: vague provision items from
the audited plans, each beside a specified rewrite and a specified example of the same
area of need, and the commonest gaps in the golden thread."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qa_app.classifier.provision import PROVISION_REASON_HINTS
from qa_app.domain.thread import AREA_NAMES

GAP_TITLES = {
    "need_without_outcome": "A need in B, C or D with no outcome in E",
    "need_without_provision": "A need with no provision in F, G or H",
    "outcome_without_provision": "An outcome that no provision serves",
    "provision_without_need": "Provision that traces back to no described need",
    "no_preparing_for_adulthood_outcome": "No Preparing for Adulthood outcome from Year 9",
}
_HEDGES = re.compile(
    r"\b(access to|as (and when )?(required|needed|appropriate|necessary)|where (possible|appropriate)|"
    r"regular(ly)?|up to|would benefit from|opportunities (for|to)|or equivalent|such as|if (needed|required))\b\s*",
    re.IGNORECASE,
)
_PLACEHOLDERS = {
    "no_deliverer": "delivered by [role, with qualification or training]",
    "no_frequency": "[how often: e.g. three times a week]",
    "no_duration_or_amount": "for [how long: e.g. 30 minutes a session, for 12 weeks]",
    "no_group_size": "[group size: e.g. 1:1, or a group of no more than four]",
}
# Written for this report, used when the selection holds no specified item of an area.
FALLBACK_EXAMPLES = {
    "communication_interaction": "Speech and language therapy from an HCPC-registered therapist, 30 minutes 1:1 each week, "
    "with a trained teaching assistant delivering the programme for 15 minutes daily; reviewed each half term.",
    "cognition_learning": "A structured phonics programme delivered 1:1 by a teaching assistant trained in it, "
    "20 minutes every school day, progress checked by the SENCo each half term.",
    "semh": "A ten-minute check-in with a named key adult (the pastoral lead) on arrival every day, and a calm-down "
    "plan with a quiet room, reviewed with the child and parents each term.",
    "sensory_physical": "A fine motor programme written by the occupational therapist and delivered by a trained "
    "teaching assistant for 15 minutes three times a week; the therapist reviews it every six weeks.",
    "": "Weekly 30-minute sessions with a qualified specialist teacher, 1:1, for a block of 12 weeks, reviewed "
    "at the end of the block by the SENCo.",
}


@dataclass(frozen=True)
class ProvisionRow:
    """One stored provision item with its verdict, as the report reads it."""

    text: str
    area: str | None
    weak: bool
    p_weak: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ProvisionPair:
    vague: str
    missing: tuple[str, ...]
    rewrite: str
    example: str
    area: str


@dataclass(frozen=True)
class GapCount:
    kind: str
    title: str
    plans: int
    share_pct: float


def rewrite_skeleton(text: str, reasons: Iterable[str]) -> str:
    """The vague item with its hedges taken out and a bracketed prompt for each missing
    detail: what a specified version has to say."""
    reasons = set(reasons)
    if "not_provision" in reasons:
        return (
            "[Move this to section B or E.] Provision: [what is provided] "
            + " ".join(
                _PLACEHOLDERS[code]
                for code in ("no_deliverer", "no_frequency", "no_duration_or_amount")
            )
            + "."
        )
    core = re.sub(r"^.*?\bwould benefit from\s+", "", text.strip(), flags=re.IGNORECASE)
    core = re.sub(r"\s+([,.;])", r"\1", _HEDGES.sub("", core)).strip().rstrip(".;,").strip()
    core = core[:1].upper() + core[1:]
    extra = [
        _PLACEHOLDERS[code]
        for code in ("no_deliverer", "no_frequency", "no_duration_or_amount", "no_group_size")
        if code in reasons
    ]
    return ", ".join([core, *extra]) + "."


def provision_pairs(
    rows: list[ProvisionRow], clean: Callable[[str], str], count: int = 5
) -> list[ProvisionPair]:
    """The clearest vague items (highest ``p_weak``, one per distinct text), each beside a
    rewrite and the clearest specified item of its area in the selection."""
    specified: dict[str, str] = {}
    for row in sorted((r for r in rows if not r.weak), key=lambda r: r.p_weak):
        specified.setdefault(row.area or "", row.text)
    pairs, seen = [], set()
    for row in sorted((r for r in rows if r.weak), key=lambda r: -r.p_weak):
        key = row.text.casefold().strip()
        if key in seen:
            continue
        seen.add(key)
        area = row.area or ""
        example = specified.get(area) or FALLBACK_EXAMPLES.get(area, FALLBACK_EXAMPLES[""])
        pairs.append(
            ProvisionPair(
                vague=clean(row.text),
                missing=tuple(
                    PROVISION_REASON_HINTS[code]
                    for code in row.reasons
                    if code in PROVISION_REASON_HINTS
                ),
                rewrite=clean(rewrite_skeleton(row.text, row.reasons)),
                example=clean(example),
                area=AREA_NAMES.get(area, "no area found"),
            )
        )
        if len(pairs) == count:
            break
    return pairs


def gap_counts(plan_gaps: dict[int, set[str]], plans: int) -> list[GapCount]:
    """For each gap kind, how many of the plans have it, commonest first."""
    counts: dict[str, int] = {}
    for kinds in plan_gaps.values():
        for kind in kinds:
            counts[kind] = counts.get(kind, 0) + 1
    return [
        GapCount(kind, GAP_TITLES.get(kind, kind), n, round(100 * n / plans, 1) if plans else 0.0)
        for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def write_provision_and_thread(out, figures) -> None:
    out.heading("Provision: vague and specified")
    out.paragraph(
        "Section F must be specified and quantified: what is provided, by whom, how often, for how "
        "long and in what group. Below are the vaguest items the provision check found in the audited "
        "plans, each with what it lacks, a rewrite that shows what must be added, and a specified item "
        "of the same area of need. Names and identifiers have been removed."
    )
    share = figures.provision_specified_pct
    if share is not None:
        out.paragraph(
            f"{share:.0f}% of the {figures.provision_items} provision items in these plans were judged "
            "specified.",
            lead="Overall:",
        )
    if not figures.provision_pairs:
        out.paragraph("No provision item in this selection was judged vague.")
    else:
        out.table(
            ["Vague, as written", "What is missing", "Specified rewrite", "A specified example"],
            [
                [p.vague, "; ".join(p.missing), p.rewrite, p.example]
                for p in figures.provision_pairs
            ],
            widths_cm=(4.2, 4, 4.4, 4.4),
        )
    out.heading("Golden thread: the commonest gaps")
    if not figures.thread_gaps:
        out.paragraph("No golden-thread gaps were found in the plans behind these audits.")
        return
    out.table(
        ["Gap", "Plans", "Share of plans"],
        [[g.title, str(g.plans), f"{g.share_pct:.0f}%"] for g in figures.thread_gaps],
        widths_cm=(10, 3, 4),
    )

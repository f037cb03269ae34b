"""The golden-thread section of ``docs/model-card.md``, written by ``qa-app train --kind
thread``; the rest of the card is left as it is."""

from __future__ import annotations

from qa_app.classifier.card_sections import write_section
from qa_app.classifier.model_card import MODEL_CARD_PATH

SECTION = "thread"


def render_thread_section(figures: dict) -> str:
    def row(name, part):
        return (
            f"| {name} | {part['precision']:.3f} | {part['recall']:.3f} | {part['f1']:.3f} | "
            f"{part['predicted']} | {part['actual']} |"
        )

    lines = [
        "## Golden-thread linker (need → outcome → provision)",
        "",
        "_Written by `qa-app train --kind thread`; rerun to refresh._",
        "",
        "Rules, not a trained model: each need paragraph in B (and C, D), outcome and provision "
        "item gets an area of need from weighted word lists (a heading's area counts for needs "
        "and outcomes; an outcome that names no area takes the area of the described need it "
        "shares most words with); provision is linked to the outcomes of its area, or by the "
        "plan's own numbers where it numbers them (national template). Gaps: "
        "`need_without_outcome`, `need_without_provision`, `outcome_without_provision`, "
        "`provision_without_need`, `no_preparing_for_adulthood_outcome` (Year 9 and above).",
        "",
        f"Measured on `data/thread/plans.jsonl`: {figures['plans']} labelled plans in "
        f"{len(figures['layouts'])} layouts. A link is one (outcome, provision item) pair; a gap "
        "is its kind, area and the outcome or provision item it names.",
        "",
        "| | precision | recall | F1 | found | labelled |",
        "|---|---|---|---|---|---|",
        row("links", figures["links"]),
        row("gaps", figures["gaps"]),
        row("need areas", figures["needs"]),
        "",
        "| gap kind | precision | recall | found | labelled |",
        "|---|---|---|---|---|",
    ]
    for kind, part in figures["gap_kinds"].items():
        lines.append(
            f"| `{kind}` | {part['precision']:.3f} | {part['recall']:.3f} | {part['predicted']} | {part['actual']} |"
        )
    lines += ["", "| layout | plans | links all right | gaps all right |", "|---|---|---|---|"]
    for layout, part in figures["layouts"].items():
        lines.append(
            f"| {layout} | {part['plans']} | {part['links_exact']} | {part['gaps_exact']} |"
        )
    lines += [
        "",
        "### Limits",
        "- The thread set was composed by the same writer who wrote the word lists, and the "
        "lists were extended with the set in view, so these figures are optimistic: expect "
        "lower on real plans, above all for outcomes and provision that name a skill or a "
        "resource but no area.",
        '- One provision item serves one area; a general item ("25 hours of 1:1 support") '
        "serves none and is reported as `provision_without_need`.",
        "- Whether the provision is enough for the need is not judged, only whether it is there.",
    ]
    return "\n".join(lines) + "\n"


def write_thread_section(figures: dict, path=MODEL_CARD_PATH) -> None:
    write_section(path, SECTION, render_thread_section(figures))

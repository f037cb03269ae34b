"""The provision section of ``docs/model-card.md``, written by ``qa-app train --kind
provision``; the rest of the card is left as it is."""

from __future__ import annotations

from collections import Counter

from qa_app.classifier.card_figures import prf_cell, three_places, weak_row
from qa_app.classifier.card_sections import write_section
from qa_app.classifier.model_card import MODEL_CARD_PATH
from qa_app.classifier.provision.dataset import ProvisionDataset
from qa_app.classifier.provision.reasons import PROVISION_REASON_CODES

SECTION = "provision"


def render_provision_section(metadata: dict, dataset: ProvisionDataset) -> str:
    cv = metadata["metrics"]["grouped_cv"]
    labels = Counter("weak" if row.weak else "specified" for row in dataset.rows)
    styles = Counter(row.style for row in dataset.rows)
    lines = [
        "## Provision check (sections F, G, H1, H2)",
        "",
        "_Written by `qa-app train --kind provision`; retrain to refresh._",
        "",
        "Reads one provision item and says whether it is **weak** (vague, not specified and "
        "quantified) with `p_weak`, and why: "
        + ", ".join(f"`{code}`" for code in PROVISION_REASON_CODES)
        + ". It helps auditors judge `f_provision_quantified` and `f_who_delivers`; it does "
        "not decide whether provision meets the child's needs.",
        "",
        f"- Version `{metadata['version']}`, scikit-learn {metadata['sklearn_version']}, seed {metadata['seed']}.",
        f"- Data: `data/provision/provision.csv`, sha256 `{metadata['data_sha256']}`, "
        f"{metadata['n_items']} items ({labels['weak']} weak, {labels['specified']} specified) in "
        f"{len(styles)} styles; see `data/provision/DATA_CARD.md`.",
        "- Features: word and word-pair TF-IDF over a token stream where every number is `#`, "
        "plus cue flags (frequency, duration or amount, deliverer role, hedge, group named, "
        "group size, outcome or need wording) and length. One balanced logistic regression "
        "for weak/specified, one per reason code; weak when `p_weak` ≥ "
        f"{metadata['params']['threshold']}; reasons with P ≥ {metadata['params']['reason_threshold']}, "
        "or else the likeliest.",
        "- The shipped model is fitted on every item"
        + (
            f" plus {metadata['n_feedback']} auditors' judgements"
            if metadata.get("n_feedback")
            else ""
        )
        + "; the figures below come from grouped cross-validation, where each fold holds out "
        "one whole writing style, so every item is scored by a model that never saw its style.",
        "",
        f"### Grouped cross-validation ({cv['model']['folds']} folds, one style each)",
        "",
        "| | precision | recall | F1 | Brier |",
        "|---|---|---|---|---|",
    ]
    lines += [weak_row(name, cv[name]["pooled"]["weak"]) for name in ("model", "baseline")]
    lines += [
        "",
        "Weak F1 by held-out style:",
        "",
        "| style | items | model | baseline |",
        "|---|---|---|---|",
    ]
    for style, count in sorted(styles.items()):
        lines.append(
            f"| {style} | {count} | {three_places(cv['model']['by_style'][style]['weak']['f1'])} | "
            f"{three_places(cv['baseline']['by_style'][style]['weak']['f1'])} |"
        )
    lines += [
        "",
        "Reason codes (counted only when the item is also judged weak):",
        "",
        "| reason | support | model P / R / F1 | baseline P / R / F1 |",
        "|---|---|---|---|",
    ]
    for code in PROVISION_REASON_CODES:
        model, base = (
            cv["model"]["pooled"]["reasons"][code],
            cv["baseline"]["pooled"]["reasons"][code],
        )
        lines.append(f"| `{code}` | {model['support']} | {prf_cell(model)} | {prf_cell(base)} |")
    lines += [
        "",
        "Baseline: keyword rules on the same cues (no frequency cue → `no_frequency`, and so on; "
        "weak when any fires).",
        "",
        "### Limits",
        "- Every item was written by one writer for this project, most of them composed from "
        "hand-written phrase pools (what, who, how often, how long, group size, hedges); the "
        "labels follow from the parts chosen. Real section F text from many councils will "
        "score lower, and the reason figures, which depend on each cue's wording, most of all.",
        "- Whether provision is *enough* or *right* for the child is not judged: a fully "
        "quantified item that is the wrong provision passes.",
        "- A funding band or a placement alone is marked weak; an item that points to a "
        "separate, detailed programme document is not recognised as specified.",
        "- English only; items longer than a short paragraph, or several items run together, "
        "are scored as one.",
    ]
    return "\n".join(lines) + "\n"


def write_provision_section(
    metadata: dict, dataset: ProvisionDataset, path=MODEL_CARD_PATH
) -> None:
    write_section(path, SECTION, render_provision_section(metadata, dataset))

"""Writing the weak-outcome part of ``docs/model-card.md`` from a training run's metadata,
its dataset and the contrast set.

The card holds one marked section per training run (see ``card_sections``); this module
owns the ``outcome`` section and leaves the others as they are.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from qa_app.classifier.card_figures import prf_cell, three_places, weak_row
from qa_app.classifier.card_sections import marked, replace_section, sections_of
from qa_app.classifier.dataset import KINDS, Dataset
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.structure import FEATURE_NAMES
from qa_app.classifier.surface import render_share_table
from qa_app.settings import PROJECT_ROOT

MODEL_CARD_PATH = PROJECT_ROOT / "docs" / "model-card.md"
SECTION = "outcome"
CARD_TITLE = "# Model cards"


def _weak_table(scores: dict) -> list[str]:
    return [
        "| | precision | recall | F1 | Brier |",
        "|---|---|---|---|---|",
        weak_row("model", scores["model"]["weak"]),
        weak_row("keyword baseline", scores["baseline"]["weak"]),
    ]


def _kind_table(cv: dict) -> list[str]:
    lines = [
        "| kind | statements | model P / R / F1 | baseline P / R / F1 | model Brier | baseline Brier |",
        "|---|---|---|---|---|---|",
    ]

    for kind in KINDS:
        model, baseline = cv["model"]["by_kind"].get(kind), cv["baseline"]["by_kind"].get(kind)
        if model:
            lines.append(
                f"| `{kind}` | {model['n']} | {prf_cell(model['weak'])} | {prf_cell(baseline['weak'])} | "
                f"{three_places(model['weak']['brier'])} | {three_places(baseline['weak']['brier'])} |"
            )
    return lines


def _group_table(cv: dict) -> list[str]:
    lines = [
        "| group held out | statements | model F1 | model precision | baseline F1 |",
        "|---|---|---|---|---|",
    ]
    for group, model in cv["model"]["by_group"].items():
        baseline = cv["baseline"]["by_group"][group]["weak"]
        lines.append(
            f"| `{group}` | {model['n']} | {three_places(model['weak']['f1'])} | "
            f"{three_places(model['weak']['precision'])} | {three_places(baseline['f1'])} |"
        )
    return lines


def _reason_table(cv: dict, holdout: dict) -> list[str]:
    lines = [
        "| reason | support | model P / R / F1 (grouped CV) | baseline P / R / F1 (grouped CV) | model F1 (held out) |",
        "|---|---|---|---|---|",
    ]

    for code in REASON_CODES:
        model, baseline = cv["model"]["reasons"][code], cv["baseline"]["reasons"][code]
        lines.append(
            f"| `{code}` | {model['support']} | {prf_cell(model)} | {prf_cell(baseline)} | "
            f"{three_places(holdout['model']['reasons'][code]['f1'])} |"
        )
    return lines


def _contrast_table(contrast: dict) -> list[str]:
    lines = [
        "| change | pairs | model accuracy | model pairs both right | baseline accuracy |",
        "|---|---|---|---|---|",
    ]
    model, baseline = contrast["model"], contrast["baseline"]
    for change, scores in model["by_change"].items():
        lines.append(
            f"| {change} | {scores['pairs']} | {three_places(scores['accuracy'])} | "
            f"{three_places(scores['pair_accuracy'])} | {three_places(baseline['by_change'][change]['accuracy'])} |"
        )
    lines.append(
        f"| **all** | {model['pairs']} | {three_places(model['accuracy'])} | {three_places(model['pair_accuracy'])} | "
        f"{three_places(baseline['accuracy'])} |"
    )
    return lines


def render_outcome_section(metadata: dict, dataset: Dataset) -> str:
    metrics = metadata["metrics"]
    cv, holdout, contrast = metrics["grouped_cv"], metrics["holdout"], metrics["contrast"]
    labels = Counter("weak" if row.weak else "strong" for row in dataset.rows)
    kinds = Counter(row.kind for row in dataset.rows)
    params = metadata["params"]
    groups = sorted({row.group for row in dataset.rows})
    lines = [
        "## Weak-outcome classifier",
        "",
        "_This section is written by `qa-app train`; retrain to refresh it._",
        "",
        "### What it does",
        "Reads one section E outcome — its text and, where the plan gives one in a column of "
        "its own, its timescale — and says whether it is **weak** (with a calibrated "
        "probability `p_weak`) and, if so, **why**, as reason codes: "
        + ", ".join(f"`{code}`" for code in REASON_CODES)
        + ". It also reads each outcome's SMART parts (who, observable action, condition, "
        "success criterion, timescale) by rule, and shows them to auditors as the "
        "explanation. It supports auditors; it does not grade plans. A plan is flagged when "
        "the share of weak outcomes or their mean `p_weak` reaches a configurable threshold, "
        "or when section E has fewer outcomes than the configured minimum.",
        "",
        "### Model",
        f"- Version `{metadata['version']}`, scikit-learn {metadata['sklearn_version']}, "
        f"seed {metadata['seed']}.",
        f"- Training data: `data/outcomes/outcomes.csv`, sha256 `{metadata['data_sha256']}` "
        f"({metadata['n_statements']} statements: {labels['weak']} weak, {labels['strong']} "
        "strong; "
        + ", ".join(f"{kinds[kind]} `{kind}`" for kind in KINDS)
        + "). See `data/outcomes/DATA_CARD.md`.",
        "- Features: word 1–2-gram TF-IDF of the text, and structural features: "
        + ", ".join(f"`{name}`" for name in FEATURE_NAMES)
        + f" (weighted ×{params['structure_weight']} beside the TF-IDF block). "
        "`timescale_field` is 1 when the outcome's own timescale field is filled, so an "
        'outcome whose timescale sits in a "By when" column is not read as undated.',
        f"- Heads: logistic regression (C={params['C']}, balanced class weights) calibrated "
        f"with sigmoid `CalibratedClassifierCV` ({params['calibration_folds']} folds) for "
        "weak/strong; one such head per reason code, trained on weak statements only "
        f"(C={params['reason_C']}). Weak when `p_weak` ≥ {params['threshold']}; reasons with "
        f"P(reason | weak) ≥ {params['reason_threshold']}, or else the most likely one.",
        f"- The shipped model is fitted on the training split ({metadata['n_train']} "
        f"statements); the {metadata['n_test']} held-out statements and the contrast set "
        "were never seen by it.",
        *(
            [
                f"- {metadata['n_feedback']} of the training statements come from auditors' "
                "judgements on earlier flags (`qa-app train --include-feedback`); they teach "
                "the weak/strong head only, and none repeats a test statement."
            ]
            if metadata.get("n_feedback")
            else []
        ),
        "- Shipped as the fitted scikit-learn estimator (`outcome_model.joblib`) and a "
        "numpy-only copy of its weights (`outcome_model.npz`) that the app and CLI load "
        "without importing scikit-learn; a test holds the two to the same probabilities.",
        "",
        "### Surface cues in the training data",
        "No single cue in the wording decides the label (see the data card):",
        "",
        render_share_table(dataset.rows).rstrip("\n"),
        "",
        "### Baseline",
        "Keyword rules built on the same cue patterns: provision wording → "
        "`provision_not_outcome`; a change word without a success criterion → "
        "`not_measurable`; no timescale in the text or the field → `no_timescale`; a generic "
        "phrase → `vague_or_generic`; a wish → `aspiration_not_outcome`; weak when any rule "
        "fires (probability 1 or 0).",
        "",
        f"### Cross-validation grouped by writer or style ({cv['model']['folds']} folds)",
        "`GroupKFold` on the dataset's `group` column: every statement of a writer or style "
        f"is scored by a model that saw none of that group ({len(groups)} groups). Weak "
        "class, pooled over the out-of-fold predictions:",
        "",
        *_weak_table(cv),
        "",
        "Per kind of statement:",
        "",
        *_kind_table(cv),
        "",
        "Per group held out:",
        "",
        *_group_table(cv),
        "",
        "### Contrast set",
        "Minimal pairs in `data/outcomes/contrast.csv`, used only as a test: the same "
        "statement with and without its success criterion, with and without its timescale "
        "(in the text, or in the field), and an outcome against the provision behind it. "
        "Scored with the shipped model:",
        "",
        *_contrast_table(contrast),
        "",
        f"### Held-out split (stratified, {metadata['n_test']} statements)",
        "",
        *_weak_table(holdout),
        "",
        "### Reason codes",
        "A reason counts as predicted only when the statement is also judged weak.",
        "",
        *_reason_table(cv, holdout),
        "",
        "### What it cannot do",
        "- Every statement was written for this project (by hand, or put together from "
        "hand-written parts in the forms plans use); no real plan text is in the data, and "
        "one team wrote and labelled it, with no second rater. Real plans from many writers "
        "will score lower than these figures; the grouped figures only estimate how a new "
        "writer's style is met. Published agreement between human raters on plan quality "
        "is only moderate.",
        "- Held-out writers of US-style goals are its weakest ground: grouped precision "
        + ", ".join(
            f"`{kind}` {three_places(cv['model']['by_kind'][kind]['weak']['precision'])}"
            for kind in ("iep_goal", "post_school")
            if kind in cv["model"]["by_kind"]
        )
        + " (good goals in an unseen writer's form are flagged).",
        "- It cannot know a plan's type: a US-style annual goal (\"Given …, X will … in 4 of "
        '5 trials") with no timescale is read as timed by the plan year, as IEP goals are, '
        "so a UK outcome written that way without a timescale may pass.",
        "- It reads one outcome at a time: not whether the outcome is ambitious, linked to "
        "an aspiration in section A or traced to a need in section B, and not interim steps "
        "stored apart from their outcome.",
        "- The SMART parts are read by patterns: unusual wording can hide a criterion or a "
        'timescale, and a duration inside a criterion ("for six weeks") is not taken as a '
        "deadline.",
        "- The cue patterns were written, and the structural weight (1, 2) and C (1, 4) "
        "chosen, with these grouped figures in view: they are somewhat optimistic.",
        "- The probability is calibrated on this dataset's mix (about half weak); in a "
        "caseload where most outcomes are strong, more of the flags will be false alarms.",
        "- Reason codes with few examples (`vague_or_generic`, `aspiration_not_outcome`) are "
        "the least reliable; treat them as prompts for the auditor, not findings.",
    ]
    return "\n".join(lines) + "\n"


def compose_card(existing: str | None, section: str) -> str:
    """The card with the outcome section replaced (or added), other sections kept. The
    unmarked outcome card written before the card had sections is dropped."""
    if existing and SECTION in sections_of(existing):
        return replace_section(existing, SECTION, section)
    others = [block.rstrip("\n") for block in sections_of(existing or "").values()]
    return "\n\n".join([CARD_TITLE, marked(SECTION, section).rstrip("\n"), *others]) + "\n"


def write_model_card(metadata: dict, dataset: Dataset, path: Path = MODEL_CARD_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else None
    path.write_text(
        compose_card(existing, render_outcome_section(metadata, dataset)), encoding="utf-8"
    )

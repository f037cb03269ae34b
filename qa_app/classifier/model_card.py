"""Writing ``docs/model-card.md`` from a training run's metadata and its dataset."""

from __future__ import annotations

from collections import Counter

from qa_app.classifier.card_sections import keep_other_sections
from qa_app.classifier.dataset import Dataset
from qa_app.classifier.reasons import REASON_CODES
from qa_app.settings import PROJECT_ROOT

MODEL_CARD_PATH = PROJECT_ROOT / "docs" / "model-card.md"


def _n(value: float) -> str:
    return f"{value:.3f}"


def _holdout_table(holdout: dict) -> list[str]:
    lines = [
        "| | precision | recall | F1 | Brier |",
        "|---|---|---|---|---|",
    ]
    for name in ("model", "baseline"):
        weak = holdout[name]["weak"]
        lines.append(
            f"| {name} | {_n(weak['precision'])} | {_n(weak['recall'])} | "
            f"{_n(weak['f1'])} | {_n(weak['brier'])} |"
        )
    return lines


def _cv_table(cv: dict) -> list[str]:
    lines = ["| | precision | recall | F1 | Brier |", "|---|---|---|---|---|"]
    for name in ("model", "baseline"):
        weak = cv[name]["weak"]
        cells = " | ".join(
            f"{_n(weak[key]['mean'])} ± {_n(weak[key]['sd'])}"
            for key in ("precision", "recall", "f1", "brier")
        )
        lines.append(f"| {name} | {cells} |")
    return lines


def _reason_table(holdout: dict, cv: dict) -> list[str]:
    lines = [
        (
            "| reason | support (test) | model P / R / F1 (test) | baseline P / R / F1 (test) "
            "| model F1 (CV) | baseline F1 (CV) |"
        ),
        "|---|---|---|---|---|---|",
    ]
    for code in REASON_CODES:
        model, baseline = holdout["model"]["reasons"][code], holdout["baseline"]["reasons"][code]

        def prf(scores):
            return f"{_n(scores['precision'])} / {_n(scores['recall'])} / {_n(scores['f1'])}"

        lines.append(
            f"| `{code}` | {model['support']} | {prf(model)} | {prf(baseline)} | "
            f"{_n(cv['model']['reasons'][code]['f1']['mean'])} | "
            f"{_n(cv['baseline']['reasons'][code]['f1']['mean'])} |"
        )
    return lines


def render_model_card(metadata: dict, dataset: Dataset) -> str:
    holdout = metadata["metrics"]["holdout"]
    cv = metadata["metrics"]["cross_validation"]
    labels = Counter("weak" if row.weak else "strong" for row in dataset.rows)
    reasons = Counter(code for row in dataset.rows for code in row.reasons)
    params = metadata["params"]
    lines = [
        "# Model card: weak-outcome classifier",
        "",
        "_Written by `qa-app train`; do not edit by hand: retrain to refresh the figures._",
        "",
        "## What it does",
        "Reads one section E outcome statement and says whether it is **weak** (with a "
        "calibrated probability `p_weak`) and, if so, **why**, as reason codes: "
        + ", ".join(f"`{code}`" for code in REASON_CODES)
        + ". It supports auditors; it does not grade plans. A plan is flagged when the share "
        "of weak outcomes or their mean `p_weak` reaches a configurable threshold, or when "
        "section E has fewer outcomes than the configured minimum.",
        "",
        "## Model",
        (
            f"- Version `{metadata['version']}`, scikit-learn {metadata['sklearn_version']}, "
            f"seed {metadata['seed']}."
        ),
        (
            f"- Training data: `data/outcomes/outcomes.csv`, sha256 `{metadata['data_sha256']}` "
            f"({metadata['n_statements']} statements: {labels['weak']} weak, {labels['strong']} strong). "
            "See `data/outcomes/DATA_CARD.md`."
        ),
        (
            "- Features: word 1–2-gram and character 3–5-gram TF-IDF, plus cue flags for "
            "timescales, success criteria, provision verbs, hedges, vague change words, generic "
            "phrases, wishes and child actions, and statement length."
        ),
        (
            f"- Heads: logistic regression (C={params['C']}, balanced class weights) calibrated "
            f"with sigmoid `CalibratedClassifierCV` ({params['calibration_folds']} folds) for "
            "weak/strong; one such head per reason code, trained on weak statements only "
            f"(C={params['reason_C']}). Weak when `p_weak` ≥ {params['threshold']}; reasons "
            f"with P(reason | weak) ≥ {params['reason_threshold']}, or else the most likely one."
        ),
        (
            f"- The shipped model is fitted on the training split ({metadata['n_train']} "
            f"statements); the {metadata['n_test']} test statements were never seen by it."
        ),
        *(
            [
                (
                    f"- {metadata['n_feedback']} of the training statements come from auditors' "
                    "judgements on earlier flags (`qa-app train --include-feedback`); they teach "
                    "the weak/strong head only, and none repeats a test statement."
                )
            ]
            if metadata.get("n_feedback")
            else []
        ),
        (
            "- Shipped as the fitted scikit-learn estimator (`outcome_model.joblib`) and a "
            "numpy-only copy of its weights (`outcome_model.npz`) that the app and CLI load "
            "without importing scikit-learn; a test holds the two to the same probabilities."
        ),
        "",
        "## Baseline",
        (
            "Keyword rules built on the same cue patterns: provision wording → "
            "`provision_not_outcome`; a change word without a success criterion → "
            "`not_measurable`; no timescale → `no_timescale`; a generic phrase → "
            "`vague_or_generic`; a wish → `aspiration_not_outcome`; weak when any rule fires "
            "(probability 1 or 0). The cue patterns, which the model uses as features too, were "
            "written and once adjusted with the whole dataset in view, test rows included, so "
            "both sets of figures are somewhat optimistic and the baseline is, if anything, "
            "flattered."
        ),
        "",
        f"## Held-out test split (stratified, {metadata['n_test']} statements)",
        "Weak class:",
        "",
        *_holdout_table(holdout),
        "",
        f"## {cv['model']['folds']}-fold stratified cross-validation (all statements)",
        "Weak class, mean ± standard deviation over folds:",
        "",
        *_cv_table(cv),
        "",
        "## Reason codes",
        "A reason counts as predicted only when the statement is also judged weak.",
        "",
        *_reason_table(holdout, cv),
        "",
        "Dataset reason counts: "
        + ", ".join(f"`{code}` {reasons[code]}" for code in REASON_CODES)
        + ".",
        "",
        "## Limits",
        (
            "- One writer wrote and labelled every statement, so the model has learnt one "
            "person's phrasing and one reading of the labels; real plans from many writers "
            "and templates will score lower than these figures. Published agreement between "
            "human raters on plan quality is only moderate."
        ),
        (
            "- Statements are single sentences or short paragraphs in English; tables split "
            "across cells, interim steps listed apart from their outcome and very long "
            "multi-outcome paragraphs were not covered."
        ),
        (
            "- The probability is calibrated on this dataset's mix (about half weak); in a "
            "caseload where most outcomes are strong, more of the flags will be false alarms."
        ),
        (
            "- Reason codes with few examples (`vague_or_generic`, `aspiration_not_outcome`) "
            "are the least reliable; treat them as prompts for the auditor, not findings."
        ),
        "",
    ]
    return "\n".join(lines)


def write_model_card(metadata: dict, dataset: Dataset, path=MODEL_CARD_PATH) -> None:
    """Rewrites the outcome part; sections other runs own (provision, thread) stay."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = keep_other_sections(render_model_card(metadata, dataset), path)
    path.write_text(text, encoding="utf-8")

"""Training run: evaluate the model and the keyword baseline by cross-validation grouped
by writer or style, on a stratified held-out split and on the contrast set, then keep the
model fitted on the training split.

The shipped model is the one fitted on the training split, so the held-out and contrast
figures in the model card describe exactly the model that is shipped, and the test rows
stay unseen. The contrast set is never trained on.
"""

from __future__ import annotations

import re
from pathlib import Path

import joblib
import sklearn

from qa_app.classifier.baseline import KeywordBaseline
from qa_app.classifier.compiled import CompiledOutcomeModel
from qa_app.classifier.dataset import ContrastPair, Dataset, LabelledOutcome, load_contrast_set
from qa_app.classifier.evaluation import (
    evaluate_on,
    grouped_cross_validate,
    holdout_split,
    score_contrast,
)
from qa_app.classifier.model import OutcomeClassifier
from qa_app.classifier.runs import (
    TrainingRun,
    feedback_fingerprint,
    run_version,
    weak_beats,
    write_metadata,
)
from qa_app.classifier.shipped import COMPILED_FILE, METADATA_FILE, MODEL_DIR, MODEL_FILE

DEFAULT_SEED = 20261124
# Raise when the features or the model change, so the version names the change too.
MODEL_FORMAT = 4


def model_version(data_sha256: str, seed: int, feedback_sha256: str | None = None) -> str:
    return run_version("outcomes", MODEL_FORMAT, data_sha256, seed, feedback_sha256)


def _same_statement(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def feedback_rows(feedback, held_out: Dataset) -> tuple[LabelledOutcome, ...]:
    """Auditors' judged statements as extra training rows, leaving out any statement that
    is the same (ignoring case and spacing) as a held-out test statement."""
    unseen = {_same_statement(text) for text in held_out.texts}
    return tuple(
        LabelledOutcome(
            id=f"feedback-{number}",
            text=example.text,
            weak=example.weak,
            reasons=(),
            need_area="",
            phase="",
            pfa_domain="",
            timescale=getattr(example, "timescale", "") or "",
            group="feedback",
        )
        for number, example in enumerate(feedback, start=1)
        if _same_statement(example.text) not in unseen
    )


def train(
    dataset: Dataset,
    seed: int = DEFAULT_SEED,
    folds: int = 5,
    feedback=(),
    contrast: tuple[ContrastPair, ...] | None = None,
) -> TrainingRun:
    """``feedback`` (auditors' judged statements, each with ``text`` and ``weak``) joins
    the training split only: the held-out rows stay the dataset's, and cross-validation
    runs on the dataset alone, so the figures stay comparable between runs. ``contrast``
    defaults to the shipped contrast set."""
    contrast = load_contrast_set() if contrast is None else contrast
    model = OutcomeClassifier(random_state=seed)
    baseline = KeywordBaseline()
    train_rows, test_rows = holdout_split(dataset, seed)
    train_set, test_set = dataset.subset(train_rows), dataset.subset(test_rows)
    extra = feedback_rows(feedback, test_set)
    if extra:
        train_set = Dataset(train_set.rows + extra, dataset.sha256)

    fitted, model_holdout = evaluate_on(model, train_set, test_set)
    fitted_baseline, baseline_holdout = evaluate_on(baseline, train_set, test_set)
    metadata = {
        "version": model_version(
            dataset.sha256, seed, feedback_fingerprint(extra) if extra else None
        ),
        "data_sha256": dataset.sha256,
        "seed": seed,
        "sklearn_version": sklearn.__version__,
        "n_statements": len(dataset.rows),
        "n_train": len(train_rows) + len(extra),
        "n_test": len(test_rows),
        "test_ids": sorted(row.id for row in test_set.rows),
        "params": fitted.get_params(),
        "metrics": {
            "holdout": {"model": model_holdout, "baseline": baseline_holdout},
            "grouped_cv": {
                "model": grouped_cross_validate(model, dataset, folds),
                "baseline": grouped_cross_validate(baseline, dataset, folds),
            },
            "contrast": {
                "model": score_contrast(fitted.verdicts, contrast),
                "baseline": score_contrast(fitted_baseline.verdicts, contrast),
            },
        },
    }
    if extra:
        metadata["n_feedback"] = len(extra)
    return TrainingRun(fitted, metadata)


def beats_baseline(metadata: dict) -> bool:
    """In grouped cross-validation: a higher weak F1 and a lower (better) Brier score."""
    cv = metadata["metrics"]["grouped_cv"]
    return weak_beats(cv["model"]["weak"], cv["baseline"]["weak"])


def save(run: TrainingRun, directory: Path = MODEL_DIR) -> list[Path]:
    """Write the estimator, its numpy-only copy and the metadata; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / name for name in (MODEL_FILE, COMPILED_FILE, METADATA_FILE)]
    joblib.dump(run.model, paths[0], compress=3)
    CompiledOutcomeModel.from_estimator(run.model).save(paths[1])
    write_metadata(paths[2], run.metadata)
    return paths

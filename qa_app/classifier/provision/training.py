"""Training the provision model: grouped cross-validation (each writing style held out in
turn) of the model and the keyword baseline, then the model fitted on every item.

Holding out whole styles asks whether the model reads provision written in a way it has
not seen (a table row after sentences, first person after passive), which is what a new
council's plans look like; a stratified split of rows would flatter it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.metrics import brier_score_loss

from qa_app.classifier.evaluation import grouped_predictions, prf, reason_scores, rounded
from qa_app.classifier.provision.baseline import ProvisionKeywordBaseline
from qa_app.classifier.provision.dataset import ProvisionDataset
from qa_app.classifier.provision.model import CompiledProvisionModel, ProvisionClassifier
from qa_app.classifier.provision.reasons import PROVISION_REASON_CODES
from qa_app.classifier.provision.shipped import (
    PROVISION_COMPILED_FILE,
    PROVISION_METADATA_FILE,
    PROVISION_MODEL_DIR,
)
from qa_app.classifier.runs import (
    TrainingRun,
    feedback_fingerprint,
    run_version,
    weak_beats,
    write_metadata,
)

DEFAULT_SEED = 20261201
MODEL_FORMAT = 1


def score(verdicts, targets: np.ndarray) -> dict:
    """Weak-class P/R/F1 and Brier, and P/R/F1 per reason (counted only on weak verdicts)."""
    return {
        "n": len(verdicts),
        "weak": {
            **prf(targets[:, 0], [int(v.weak) for v in verdicts]),
            "brier": rounded(brier_score_loss(targets[:, 0], [v.p_weak for v in verdicts])),
        },
        "reasons": reason_scores(verdicts, targets, PROVISION_REASON_CODES),
    }


def grouped_cross_validation(estimator, dataset: ProvisionDataset) -> dict:
    """Pooled scores over folds that each hold out whole styles, and each style's own."""
    groups = np.array(dataset.groups)
    styles = sorted({str(group) for group in groups})
    verdicts = grouped_predictions(estimator, dataset, folds=len(styles))
    targets = dataset.targets
    by_style = {}
    for style in styles:
        rows = np.flatnonzero(groups == style)
        by_style[style] = score([verdicts[i] for i in rows], targets[rows])
    return {"folds": len(styles), "pooled": score(verdicts, targets), "by_style": by_style}


def provision_model_version(data_sha256: str, seed: int, feedback_sha256: str | None = None) -> str:
    return run_version("provision", MODEL_FORMAT, data_sha256, seed, feedback_sha256)


def train_provision(
    dataset: ProvisionDataset, seed: int = DEFAULT_SEED, feedback=()
) -> TrainingRun:
    """``feedback`` (auditors' judged items with ``text`` and ``weak``) joins the final
    fit only, training the weak head; the cross-validated figures are the dataset's."""
    import sklearn

    model = ProvisionClassifier(random_state=seed)
    cv_model = grouped_cross_validation(model, dataset)
    cv_baseline = grouped_cross_validation(ProvisionKeywordBaseline(), dataset)
    texts, targets = dataset.texts, dataset.targets
    feedback = list(feedback)
    if feedback:
        texts = texts + [example.text for example in feedback]
        unknown = np.full((len(feedback), targets.shape[1]), -1)
        unknown[:, 0] = [int(example.weak) for example in feedback]
        targets = np.vstack([targets, unknown])
    fitted = clone(model).fit(texts, targets)
    metadata = {
        "version": provision_model_version(
            dataset.sha256, seed, feedback_fingerprint(feedback) if feedback else None
        ),
        "data_sha256": dataset.sha256,
        "seed": seed,
        "sklearn_version": sklearn.__version__,
        "n_items": len(dataset.rows),
        "n_feedback": len(feedback),
        "params": fitted.get_params(),
        "metrics": {"grouped_cv": {"model": cv_model, "baseline": cv_baseline}},
    }
    return TrainingRun(fitted, metadata)


def beats_baseline(metadata: dict) -> bool:
    cv = metadata["metrics"]["grouped_cv"]
    return weak_beats(cv["model"]["pooled"]["weak"], cv["baseline"]["pooled"]["weak"])


def save_provision(run: TrainingRun, directory: Path = PROVISION_MODEL_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / PROVISION_COMPILED_FILE, directory / PROVISION_METADATA_FILE]
    CompiledProvisionModel.from_estimator(run.model).save(paths[0])
    write_metadata(paths[1], run.metadata)
    return paths

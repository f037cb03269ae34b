"""Training the provision model: grouped cross-validation (each writing style held out in
turn) of the model and the keyword baseline, then the model fitted on every item.

Holding out whole styles asks whether the model reads provision written in a way it has
not seen (a table row after sentences, first person after passive), which is what a new
council's plans look like; a stratified split of rows would flatter it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.metrics import brier_score_loss, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from qa_app.classifier.provision.baseline import ProvisionKeywordBaseline
from qa_app.classifier.provision.dataset import ProvisionDataset
from qa_app.classifier.provision.model import CompiledProvisionModel, ProvisionClassifier
from qa_app.classifier.provision.reasons import PROVISION_REASON_CODES
from qa_app.classifier.provision.shipped import (
    PROVISION_COMPILED_FILE,
    PROVISION_METADATA_FILE,
    PROVISION_MODEL_DIR,
)

DEFAULT_SEED = 20261201
MODEL_FORMAT = 1


@dataclass
class ProvisionTrainingRun:
    model: ProvisionClassifier
    metadata: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.metadata["version"]


def _round(value) -> float:
    return round(float(value), 6)


def _prf(truth, predicted) -> dict[str, float]:
    precision, recall, f1, _ = precision_recall_fscore_support(
        truth, predicted, average="binary", zero_division=0
    )
    return {"precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


def score(verdicts, targets: np.ndarray) -> dict:
    """Weak-class P/R/F1 and Brier, and P/R/F1 per reason (counted only on weak verdicts)."""
    scores = {
        "n": len(verdicts),
        "weak": {
            **_prf(targets[:, 0], [int(v.weak) for v in verdicts]),
            "brier": _round(brier_score_loss(targets[:, 0], [v.p_weak for v in verdicts])),
        },
        "reasons": {},
    }
    for column, code in enumerate(PROVISION_REASON_CODES, start=1):
        scores["reasons"][code] = {
            **_prf(targets[:, column], [int(code in v.reasons) for v in verdicts]),
            "support": int(targets[:, column].sum()),
        }
    return scores


def grouped_cross_validation(estimator, dataset: ProvisionDataset) -> dict:
    """Pooled scores over folds that each hold out whole styles, and each style's own."""
    groups = np.array(dataset.groups)
    styles = sorted({str(group) for group in groups})
    splitter = GroupKFold(n_splits=len(styles))
    verdicts = [None] * len(dataset.rows)
    for train, test in splitter.split(np.zeros(len(groups)), groups=groups):
        part = dataset.subset(train)
        fitted = clone(estimator).fit(part.texts, part.targets)
        for index, verdict in zip(test, fitted.verdicts(dataset.subset(test).texts)):
            verdicts[index] = verdict
    targets = dataset.targets
    by_style = {}
    for style in styles:
        rows = np.flatnonzero(groups == style)
        by_style[style] = score([verdicts[i] for i in rows], targets[rows])
    return {"folds": len(styles), "pooled": score(verdicts, targets), "by_style": by_style}


def provision_model_version(data_sha256: str, seed: int, feedback_sha256: str | None = None) -> str:
    feedback = f"-f{feedback_sha256[:8]}" if feedback_sha256 else ""
    return f"provision-v{MODEL_FORMAT}-{data_sha256[:10]}{feedback}-s{seed}"


def train_provision(
    dataset: ProvisionDataset, seed: int = DEFAULT_SEED, feedback=()
) -> ProvisionTrainingRun:
    """``feedback`` (auditors' judged items with ``text`` and ``weak``) joins the final
    fit only, training the weak head; the cross-validated figures are the dataset's."""
    import hashlib

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
    feedback_sha = (
        hashlib.sha256("".join(f"{int(e.weak)}\t{e.text}\n" for e in feedback).encode()).hexdigest()
        if feedback
        else None
    )
    metadata = {
        "version": provision_model_version(dataset.sha256, seed, feedback_sha),
        "data_sha256": dataset.sha256,
        "seed": seed,
        "sklearn_version": sklearn.__version__,
        "n_items": len(dataset.rows),
        "n_feedback": len(feedback),
        "params": fitted.get_params(),
        "metrics": {"grouped_cv": {"model": cv_model, "baseline": cv_baseline}},
    }
    return ProvisionTrainingRun(fitted, metadata)


def beats_baseline(metadata: dict) -> bool:
    cv = metadata["metrics"]["grouped_cv"]
    model, baseline = cv["model"]["pooled"]["weak"], cv["baseline"]["pooled"]["weak"]
    return model["f1"] > baseline["f1"] and model["brier"] < baseline["brier"]


def save_provision(run: ProvisionTrainingRun, directory: Path = PROVISION_MODEL_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / PROVISION_COMPILED_FILE, directory / PROVISION_METADATA_FILE]
    CompiledProvisionModel.from_estimator(run.model).save(paths[0])
    paths[1].write_text(json.dumps(run.metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return paths

"""Scoring verdicts against labels: precision, recall and F1 for weak and for each reason
code, and the Brier score of the weak probability; on a stratified held-out split and by
k-fold cross-validation."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.metrics import brier_score_loss, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, train_test_split

from qa_app.classifier.dataset import Dataset
from qa_app.classifier.reasons import REASON_CODES


# Scores are kept to six places: enough to compare, and stable across runs that differ
# only in floating-point summation order.
def _round(value) -> float:
    return round(float(value), 6)


def _prf(truth, predicted) -> dict[str, float]:
    precision, recall, f1, _ = precision_recall_fscore_support(
        truth, predicted, average="binary", zero_division=0
    )
    return {"precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


def score_verdicts(verdicts, targets: np.ndarray) -> dict:
    """Scores of verdicts against a target matrix (weak column, then one per reason).

    A reason counts as predicted only when the statement is also judged weak, so reason
    scores measure what an auditor would actually see.
    """
    weak_predicted = [int(verdict.weak) for verdict in verdicts]
    p_weak = [verdict.p_weak for verdict in verdicts]
    scores = {
        "n": len(verdicts),
        "weak": {
            **_prf(targets[:, 0], weak_predicted),
            "brier": _round(brier_score_loss(targets[:, 0], p_weak)),
        },
        "reasons": {},
    }
    for column, code in enumerate(REASON_CODES, start=1):
        predicted = [int(code in verdict.reasons) for verdict in verdicts]
        scores["reasons"][code] = {
            **_prf(targets[:, column], predicted),
            "support": int(targets[:, column].sum()),
        }
    return scores


def holdout_split(
    dataset: Dataset, seed: int, test_size: float = 0.2
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the training and test rows, stratified on the weak label."""
    indices = np.arange(len(dataset.rows))
    return train_test_split(
        indices, test_size=test_size, random_state=seed, stratify=dataset.targets[:, 0]
    )


def evaluate_on(estimator, train: Dataset, test: Dataset) -> tuple[object, dict]:
    """Fit a fresh copy on ``train`` and score it on ``test``."""
    fitted = clone(estimator).fit(train.texts, train.targets)
    return fitted, score_verdicts(fitted.verdicts(test.texts), test.targets)


def cross_validate(estimator, dataset: Dataset, seed: int, folds: int = 5) -> dict:
    """Mean and standard deviation over stratified folds of every score."""
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    fold_scores = [
        evaluate_on(estimator, dataset.subset(train), dataset.subset(test))[1]
        for train, test in splitter.split(np.zeros(len(dataset.rows)), dataset.targets[:, 0])
    ]
    return {"folds": folds, **_summarise(fold_scores)}


def _summarise(fold_scores: list[dict]) -> dict:
    def mean_sd(values) -> dict[str, float]:
        return {"mean": _round(np.mean(values)), "sd": _round(np.std(values))}

    weak_keys = fold_scores[0]["weak"].keys()
    summary = {"weak": {key: mean_sd([s["weak"][key] for s in fold_scores]) for key in weak_keys}}
    summary["reasons"] = {
        code: {
            key: mean_sd([s["reasons"][code][key] for s in fold_scores])
            for key in ("precision", "recall", "f1")
        }
        for code in REASON_CODES
    }
    return summary

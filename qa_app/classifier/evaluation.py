"""Scoring verdicts against labels: precision, recall and F1 for weak and for each reason
code, and the Brier score of the weak probability; on a held-out split, by
cross-validation grouped by writer or style (no group on both sides of a split), per kind
of statement, and on the contrast set of minimal pairs."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.metrics import brier_score_loss, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold, train_test_split

from qa_app.classifier.dataset import KINDS, ContrastPair, Dataset
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.verdicts import Verdict


# Scores are kept to six places: enough to compare, and stable across runs that differ
# only in floating-point summation order.
def rounded(value) -> float:
    return round(float(value), 6)


def prf(truth, predicted) -> dict[str, float]:
    """Precision, recall and F1 of the positive class."""
    precision, recall, f1, _ = precision_recall_fscore_support(
        truth, predicted, average="binary", zero_division=0
    )
    return {"precision": rounded(precision), "recall": rounded(recall), "f1": rounded(f1)}


def reason_scores(verdicts, targets: np.ndarray, codes: tuple[str, ...]) -> dict:
    """P/R/F1 and support per reason code; target column 1 onwards, one per code."""
    return {
        code: {
            **prf(targets[:, column], [int(code in verdict.reasons) for verdict in verdicts]),
            "support": int(targets[:, column].sum()),
        }
        for column, code in enumerate(codes, start=1)
    }


def score_verdicts(verdicts, targets: np.ndarray) -> dict:
    """Scores of verdicts against a target matrix (weak column, then one per reason).

    A reason counts as predicted only when the statement is also judged weak, so reason
    scores measure what an auditor would actually see.
    """
    weak_predicted = [int(verdict.weak) for verdict in verdicts]
    p_weak = [verdict.p_weak for verdict in verdicts]
    truth = targets[:, 0]
    return {
        "n": len(verdicts),
        "weak": {
            **prf(truth, weak_predicted),
            "brier": rounded(brier_score_loss(truth, p_weak, labels=[0, 1])),
            "accuracy": rounded(np.mean(np.asarray(weak_predicted) == truth)),
        },
        "reasons": reason_scores(verdicts, targets, REASON_CODES),
    }


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
    fitted = clone(estimator).fit(train.inputs, train.targets)
    return fitted, score_verdicts(fitted.verdicts(test.inputs), test.targets)


def grouped_predictions(estimator, dataset, folds: int = 5) -> list[Verdict]:
    """Out-of-fold verdicts for every row of ``dataset`` (outcomes or provision items),
    each from a copy fitted without its group."""
    verdicts: list[Verdict | None] = [None] * len(dataset.rows)
    splitter = GroupKFold(n_splits=folds)
    for train, test in splitter.split(np.zeros(len(dataset.rows)), groups=dataset.groups):
        fitted = clone(estimator).fit(dataset.subset(train).inputs, dataset.subset(train).targets)
        for index, verdict in zip(test, fitted.verdicts(dataset.subset(test).inputs)):
            verdicts[index] = verdict
    return verdicts


def grouped_cross_validate(estimator, dataset: Dataset, folds: int = 5) -> dict:
    """Scores of out-of-fold verdicts, GroupKFold by ``group``: on all rows, per kind of
    statement and per group held out."""
    verdicts = grouped_predictions(estimator, dataset, folds)
    targets = dataset.targets
    by = {}
    for field, values in (("kind", KINDS), ("group", sorted(set(dataset.groups)))):
        by[field] = {}
        for value in values:
            rows = [i for i, row in enumerate(dataset.rows) if getattr(row, field) == value]
            if rows:
                by[field][value] = score_verdicts([verdicts[i] for i in rows], targets[rows])
    return {
        "folds": folds,
        **score_verdicts(verdicts, targets),
        "by_kind": by["kind"],
        "by_group": by["group"],
    }


def score_contrast(verdicts_of, pairs: tuple[ContrastPair, ...]) -> dict:
    """Accuracy on the contrast set: per statement, per pair (both members right), and per
    kind of change. ``verdicts_of`` maps a list of (text, timescale) to verdicts."""
    inputs = [
        (member.text, member.timescale) for pair in pairs for member in (pair.strong, pair.weak)
    ]
    verdicts = verdicts_of(inputs)
    right = [(not verdicts[2 * i].weak, verdicts[2 * i + 1].weak) for i in range(len(pairs))]

    def summary(indices) -> dict:
        statements = [flag for i in indices for flag in right[i]]
        return {
            "pairs": len(indices),
            "accuracy": rounded(np.mean(statements)) if statements else 0.0,
            "pair_accuracy": rounded(np.mean([all(right[i]) for i in indices])) if indices else 0.0,
            "strong_right": rounded(np.mean([right[i][0] for i in indices])) if indices else 0.0,
            "weak_right": rounded(np.mean([right[i][1] for i in indices])) if indices else 0.0,
        }

    changes = sorted({pair.change for pair in pairs})
    return {
        **summary(list(range(len(pairs)))),
        "by_change": {
            change: summary([i for i, pair in enumerate(pairs) if pair.change == change])
            for change in changes
        },
    }

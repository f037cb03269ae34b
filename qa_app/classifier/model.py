"""The outcome classifier: a scikit-learn Pipeline (features, then a calibrated logistic
regression) for weak/strong, and one calibrated head per reason code reading the same
fitted features. Each outcome is its text and its timescale field, ``(text, timescale)``
(a bare text means no field).

The reason heads are trained on weak statements only, so each gives the probability of its
reason given that the statement is weak. A statement judged weak always gets at least one
reason: those above ``reason_threshold``, or else the single most likely one.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from qa_app.classifier.features import outcome_features
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.verdicts import OutcomeVerdict, chosen_reasons


class OutcomeClassifier(ClassifierMixin, BaseEstimator):
    """Fit on texts and a target matrix: column 0 is weak (1) or strong (0), then one
    0/1 column per code in ``REASON_CODES`` (all 0 for a weak row whose reasons are not
    known)."""

    def __init__(
        self,
        C: float = 4.0,
        reason_C: float = 4.0,
        structure_weight: float = 2.0,
        calibration_folds: int = 5,
        threshold: float = 0.5,
        reason_threshold: float = 0.5,
        random_state: int = 0,
    ):
        self.C = C
        self.reason_C = reason_C
        self.structure_weight = structure_weight
        self.calibration_folds = calibration_folds
        self.threshold = threshold
        self.reason_threshold = reason_threshold
        self.random_state = random_state

    def fit(self, X, y):
        texts = [item if isinstance(item, str) else tuple(item) for item in X]
        targets = np.asarray(y, dtype=int)
        if targets.shape != (len(texts), 1 + len(REASON_CODES)):
            raise ValueError("y needs one column for weak and one per reason code")
        self.weak_pipeline_ = Pipeline(
            [("features", outcome_features(self.structure_weight)), ("weak", self._head(self.C))]
        ).fit(texts, targets[:, 0])
        features = self.features_.transform(texts)
        # Weak examples from auditors' feedback carry no reason codes; only weak rows that
        # name their reasons can teach the reason heads.
        weak_rows = (targets[:, 0] == 1) & targets[:, 1:].any(axis=1)
        self.reason_heads_ = [
            self._head(self.reason_C).fit(features[weak_rows], targets[weak_rows, column])
            for column in range(1, targets.shape[1])
        ]
        self.classes_ = np.array([0, 1])
        return self

    @property
    def features_(self):
        return self.weak_pipeline_.named_steps["features"]

    @property
    def weak_head_(self):
        return self.weak_pipeline_.named_steps["weak"]

    def _head(self, C: float) -> CalibratedClassifierCV:
        folds = StratifiedKFold(
            self.calibration_folds, shuffle=True, random_state=self.random_state
        )
        return CalibratedClassifierCV(
            LogisticRegression(C=C, max_iter=5000, class_weight="balanced"),
            method="sigmoid",
            cv=folds,
            ensemble=False,
        )

    def predict_proba(self, X) -> np.ndarray:
        p_weak = self.weak_pipeline_.predict_proba(list(X))[:, 1]
        return np.column_stack([1.0 - p_weak, p_weak])

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= self.threshold).astype(int)

    def reason_proba(self, X) -> np.ndarray:
        """P(reason | weak) for each statement, one column per code in ``REASON_CODES``."""
        return self._reason_proba(self.features_.transform(list(X)))

    def _reason_proba(self, features) -> np.ndarray:
        return np.column_stack([head.predict_proba(features)[:, 1] for head in self.reason_heads_])

    def verdicts(self, X) -> list[OutcomeVerdict]:
        features = self.features_.transform(list(X))
        p_weak = self.weak_head_.predict_proba(features)[:, 1]
        reason_p = self._reason_proba(features)
        return [
            OutcomeVerdict(
                weak=bool(p >= self.threshold),
                p_weak=float(p),
                reasons=chosen_reasons(REASON_CODES, row, self.reason_threshold)
                if p >= self.threshold
                else (),
            )
            for p, row in zip(p_weak, reason_p)
        ]

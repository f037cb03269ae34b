"""A keyword-rule baseline the model has to beat: each reason code fires on its cue words,
and a statement is weak when any reason fires. Its probabilities are simply 1 or 0. Like
the model it reads the outcome's timescale field: a field answers "no timescale"."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from qa_app.classifier.cues import cue_flags
from qa_app.classifier.features import split_inputs
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.verdicts import OutcomeVerdict


def keyword_reasons(text: str, timescale: str = "") -> tuple[str, ...]:
    cues = cue_flags(text)
    fired = {
        "provision_not_outcome": cues["provision"],
        "not_measurable": cues["vague_change"] and not cues["success_criterion"],
        "no_timescale": not (cues["timescale"] or timescale.strip()),
        "vague_or_generic": cues["generic"],
        "aspiration_not_outcome": cues["aspiration"],
    }
    return tuple(code for code in REASON_CODES if fired[code])


class KeywordBaseline(ClassifierMixin, BaseEstimator):
    """Has nothing to learn; ``fit`` exists so it can be evaluated like the model."""

    def fit(self, X, y=None):
        self.classes_ = np.array([0, 1])
        return self

    def verdicts(self, X) -> list[OutcomeVerdict]:
        verdicts = []
        for text, field in zip(*split_inputs(X)):
            reasons = keyword_reasons(text, field)
            verdicts.append(
                OutcomeVerdict(weak=bool(reasons), p_weak=float(bool(reasons)), reasons=reasons)
            )
        return verdicts

    def predict_proba(self, X) -> np.ndarray:
        p_weak = np.array([verdict.p_weak for verdict in self.verdicts(X)])
        return np.column_stack([1.0 - p_weak, p_weak])

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

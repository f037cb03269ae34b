"""Turning outcome statements into numbers: word and character n-gram TF-IDF plus a few
hand-made linguistic features (does it name a timescale, a success criterion, a service
being provided, a hedge, a vague change, a generic phrase, a wish)."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from qa_app.classifier.cues import CUES, cue_vector


class LinguisticFeatures(TransformerMixin, BaseEstimator):
    """One column per cue (1 if the statement contains it), plus the statement's length.

    ``weight`` scales the columns so they carry weight next to L2-normalised TF-IDF rows.
    """

    def __init__(self, weight: float = 1.0):
        self.weight = weight

    def fit(self, X, y=None):
        self.n_features_in_ = 1
        self.feature_names_ = np.array([*CUES, "log_words"], dtype=object)
        return self

    def transform(self, X):
        rows = [cue_vector(text) for text in X]
        return sparse.csr_matrix(np.asarray(rows, dtype=float) * self.weight)

    def get_feature_names_out(self, input_features=None):
        return self.feature_names_


def outcome_features(cue_weight: float = 1.0) -> FeatureUnion:
    """The featurizer the model is built on."""
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    min_df=3,
                    sublinear_tf=True,
                    max_features=20000,
                ),
            ),
            ("cues", LinguisticFeatures(weight=cue_weight)),
        ]
    )

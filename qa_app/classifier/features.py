"""Turning outcomes into numbers: word 1–2-gram TF-IDF of the text, plus the structural
features of ``structure`` (SMART parts, where the timescale is, the wording auditors look
for). An outcome is its text and its timescale field: ``(text, timescale)``, or a bare
text when the plan gives no field."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from qa_app.classifier.structure import FEATURE_NAMES, structure_matrix


def split_inputs(X) -> tuple[list[str], list[str]]:
    """Texts and timescale fields of a batch of outcomes."""
    texts, fields = [], []
    for item in X:
        if isinstance(item, str) or item is None:
            text, field = item, ""
        else:
            text, field = item
        texts.append("" if text is None else str(text))
        fields.append("" if field is None else str(field).strip())
    return texts, fields


def texts_of(X) -> list[str]:
    return split_inputs(X)[0]


class StructureFeatures(TransformerMixin, BaseEstimator):
    """One column per structural feature; ``weight`` scales them so they carry weight
    next to L2-normalised TF-IDF rows."""

    def __init__(self, weight: float = 1.0):
        self.weight = weight

    def fit(self, X, y=None):
        self.feature_names_ = np.array(FEATURE_NAMES, dtype=object)
        return self

    def transform(self, X):
        texts, fields = split_inputs(X)
        lowered = [text.lower() for text in texts]
        return sparse.csr_matrix(structure_matrix(lowered, fields) * self.weight)

    def get_feature_names_out(self, input_features=None):
        return self.feature_names_


def outcome_features(structure_weight: float = 1.0) -> FeatureUnion:
    """The featurizer the model is built on."""
    words = Pipeline(
        [
            ("text", FunctionTransformer(texts_of)),
            (
                "tfidf",
                TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True),
            ),
        ]
    )
    return FeatureUnion([("words", words), ("structure", StructureFeatures(structure_weight))])

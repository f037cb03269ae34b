"""The provision model: word 1-2-gram TF-IDF plus the provision cues, one logistic
regression for weak/specified and one per reason code.

``ProvisionClassifier`` is the scikit-learn estimator that ``qa-app train --kind
provision`` fits; ``CompiledProvisionModel`` is its numpy-only copy (vocabulary, IDF
weights, coefficients) that the app and the CLI load without importing scikit-learn,
giving the same probabilities (a test holds the two together).
"""

from __future__ import annotations

import numpy as np

from qa_app.classifier.arrays import StoredArrays
from qa_app.classifier.provision.cues import cue_mask, cue_matrix, cue_rows, word_grams, words_of
from qa_app.classifier.provision.reasons import PROVISION_REASON_CODES
from qa_app.classifier.provision.verdicts import ProvisionVerdict
from qa_app.classifier.verdicts import verdicts_from


def analyse(lowered: str) -> list[str]:
    """The terms of one lowercased item, as the TF-IDF block counts them."""
    return word_grams(words_of(lowered))


def _verdicts(probabilities: np.ndarray, threshold: float, reason_threshold: float):
    return verdicts_from(
        probabilities, PROVISION_REASON_CODES, threshold, reason_threshold, ProvisionVerdict
    )


class ProvisionClassifier:
    """A scikit-learn style estimator: ``__init__`` stores parameters, ``fit`` returns
    self, learned attributes end in ``_``. ``targets`` has the weak label, then one column
    per reason code; a reason cell of -1 means "not known" (auditors' feedback) and the
    row then trains the weak head only."""

    def __init__(
        self,
        C: float = 4.0,
        reason_C: float = 4.0,
        cue_weight: float = 1.0,
        min_df: int = 2,
        threshold: float = 0.5,
        reason_threshold: float = 0.5,
        random_state: int | None = None,
    ):
        self.C = C
        self.reason_C = reason_C
        self.cue_weight = cue_weight
        self.min_df = min_df
        self.threshold = threshold
        self.reason_threshold = reason_threshold
        self.random_state = random_state

    def get_params(self, deep: bool = True) -> dict:
        return {
            name: getattr(self, name)
            for name in (
                "C",
                "reason_C",
                "cue_weight",
                "min_df",
                "threshold",
                "reason_threshold",
                "random_state",
            )
        }

    def set_params(self, **params):
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def _features(self, texts):
        from scipy import sparse

        lowered = [text.lower() for text in texts]
        words = self.vectorizer_.transform(lowered)
        return sparse.hstack([words, self.cue_weight * cue_matrix(lowered)]).tocsr()

    def fit(self, texts, targets):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        targets = np.asarray(targets)
        self.vectorizer_ = TfidfVectorizer(
            analyzer=analyse, sublinear_tf=True, min_df=self.min_df
        ).fit([text.lower() for text in texts])
        features = self._features(texts)

        def head(C, X, y):
            return LogisticRegression(
                C=C, class_weight="balanced", max_iter=5000, random_state=self.random_state
            ).fit(X, y)

        self.weak_head_ = head(self.C, features, targets[:, 0])
        self.reason_heads_ = []
        for column in range(1, targets.shape[1]):
            known = targets[:, column] >= 0
            y = targets[known, column]
            if len(set(y.tolist())) < 2:
                raise ValueError(f"reason {PROVISION_REASON_CODES[column - 1]} has one class only")
            self.reason_heads_.append(head(self.reason_C, features[known], y))
        return self

    def probabilities(self, texts) -> np.ndarray:
        features = self._features(list(texts))
        heads = [self.weak_head_, *self.reason_heads_]
        return np.column_stack([h.predict_proba(features)[:, 1] for h in heads])

    def verdicts(self, texts) -> list[ProvisionVerdict]:
        texts = list(texts)
        if not texts:
            return []
        return _verdicts(self.probabilities(texts), self.threshold, self.reason_threshold)


class CompiledProvisionModel(StoredArrays):
    """The fitted estimator's numbers, scored with numpy alone."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        super().__init__(arrays)
        terms = arrays["terms"].tolist()
        self.index = {term: i for i, term in enumerate(terms)}
        self.idf = arrays["idf"]
        self.weights = arrays["weights"]  # (terms + cues, heads)
        self.intercepts = arrays["intercepts"]
        self.cue_weight, self.threshold, self.reason_threshold = arrays["settings"].tolist()
        self.size = len(terms)

    @classmethod
    def from_estimator(cls, estimator: ProvisionClassifier) -> CompiledProvisionModel:
        vocabulary = estimator.vectorizer_.vocabulary_
        heads = [estimator.weak_head_, *estimator.reason_heads_]
        return cls(
            {
                "terms": np.array(sorted(vocabulary, key=vocabulary.get), dtype=str),
                "idf": estimator.vectorizer_.idf_,
                "weights": np.column_stack([h.coef_[0] for h in heads]),
                "intercepts": np.array([h.intercept_[0] for h in heads]),
                "settings": np.array(
                    [estimator.cue_weight, estimator.threshold, estimator.reason_threshold]
                ),
            }
        )

    def probabilities(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.weights.shape[1]))
        first_of: dict[str, int] = {}
        copies = [first_of.setdefault(text, len(first_of)) for text in texts]
        return self._distinct(list(first_of))[copies]

    def _distinct(self, texts: list[str]) -> np.ndarray:
        lookup = self.index.get
        rows, columns, masks, lengths = [], [], [], []
        for row, text in enumerate(texts):
            words = words_of(text.lower())
            grams = word_grams(words)
            masks.append(cue_mask(words, grams))
            lengths.append(len(words))
            found = [c for c in map(lookup, grams) if c is not None]
            columns.extend(found)
            rows.extend([row] * len(found))
        cues = cue_rows(masks, lengths)
        decisions = self.cue_weight * cues @ self.weights[self.size :]
        decisions += self.intercepts
        if columns:
            rows_a = np.array(rows, dtype=np.int64)
            cols_a = np.array(columns, dtype=np.int64)
            cells, counts = np.unique(rows_a * self.size + cols_a, return_counts=True)
            rows_a, cols_a = cells // self.size, cells % self.size
            values = (np.log(counts) + 1.0) * self.idf[cols_a]
            norms = np.sqrt(np.bincount(rows_a, weights=values * values, minlength=len(texts)))
            values = values / norms[rows_a]
            firsts = np.flatnonzero(np.diff(rows_a, prepend=-1))
            sums = np.add.reduceat(self.weights[cols_a] * values[:, None], firsts, axis=0)
            decisions[rows_a[firsts]] += sums
        return 1.0 / (1.0 + np.exp(-decisions))

    def verdicts(self, texts) -> list[ProvisionVerdict]:
        return _verdicts(self.probabilities(list(texts)), self.threshold, self.reason_threshold)

"""A numpy-only copy of a fitted ``OutcomeClassifier``, for the app and the CLI.

Importing scikit-learn and unpickling its estimators takes several seconds on a small
server; this copy holds only the vocabularies, IDF weights, coefficients and sigmoid
calibration of each head, so it loads in a fraction of a second and gives the same
probabilities (a test holds it to the fitted estimator). It mirrors scikit-learn's
TfidfVectorizer for the settings the model uses (lowercase, sublinear TF, L2 norm, word
1–2-grams from the default token pattern) and computes the structural features with the
same function as the estimator.
"""

from __future__ import annotations

import re

import numpy as np

from qa_app.classifier.arrays import StoredArrays
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.structure import structure_matrix
from qa_app.classifier.verdicts import OutcomeVerdict, verdicts_from

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _tfidf(rows, columns, idf, width: int, n_texts: int):
    """Sublinear TF-IDF cells, L2-normalised per row, from one (row, column) pair per
    occurrence of a known term; rows come back sorted."""
    cells, counts = np.unique(rows * width + columns, return_counts=True)
    rows, columns = cells // width, cells % width
    values = (np.log(counts) + 1.0) * idf[columns]
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n_texts))
    return rows, columns, values / norms[rows]


class _WordBlock:
    """Word unigrams and bigrams (``ngram_range=(1, 2)``, default token pattern).

    Every bigram in the vocabulary is made of two vocabulary unigrams (a bigram seen in
    ``min_df`` statements means both its words were too), so statements become arrays of
    unigram numbers once and bigrams are looked up as number pairs, without joining
    strings."""

    def __init__(self, terms: np.ndarray, idf: np.ndarray, ngram_range):
        if tuple(int(n) for n in ngram_range) != (1, 2):
            raise ValueError("the compiled model reads word 1-2-grams only")
        self.size, self.idf = len(terms), idf
        terms = terms.tolist()
        unigrams = [(term, column) for column, term in enumerate(terms) if " " not in term]
        self.unigram_id = {term: i for i, (term, _) in enumerate(unigrams)}
        self.unigram_column = np.array([column for _, column in unigrams], dtype=np.int64)
        width = len(unigrams)
        pairs = [
            (self.unigram_id[first] * width + self.unigram_id[second], column)
            for column, term in enumerate(terms)
            if " " in term
            for first, second in [term.split(" ")]
        ]
        pairs.sort()
        self.pair_keys = np.array([key for key, _ in pairs], dtype=np.int64)
        self.pair_columns = np.array([column for _, column in pairs], dtype=np.int64)

    def entries(self, lowered_texts: list[str]):
        lookup, unknown = self.unigram_id.get, -1
        ids, lengths = [], []
        for text in lowered_texts:
            tokens = _TOKEN.findall(text)
            ids.extend([lookup(token, unknown) for token in tokens])
            lengths.append(len(tokens))
        ids = np.array(ids, dtype=np.int64)
        rows = np.repeat(np.arange(len(lowered_texts)), lengths)
        known = ids >= 0
        found_rows = [rows[known]]
        found_columns = [self.unigram_column[ids[known]]]
        if len(self.pair_keys) and len(ids) > 1:
            first, second = ids[:-1], ids[1:]
            same_text = (rows[:-1] == rows[1:]) & (first >= 0) & (second >= 0)
            keys = first[same_text] * len(self.unigram_column) + second[same_text]
            slots = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
            hit = self.pair_keys[slots] == keys
            found_rows.append(rows[:-1][same_text][hit])
            found_columns.append(self.pair_columns[slots[hit]])
        return _tfidf(
            np.concatenate(found_rows),
            np.concatenate(found_columns),
            self.idf,
            self.size,
            len(lowered_texts),
        )


class CompiledOutcomeModel(StoredArrays):
    """Same verdicts as the estimator it was made from; see ``from_estimator``."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        super().__init__(arrays)
        self.words = _WordBlock(arrays["word_terms"], arrays["word_idf"], arrays["word_range"])
        self.structure_weight, self.threshold, self.reason_threshold = arrays["settings"].tolist()
        self.weights = arrays["weights"]
        # One contiguous row of weights per head: gathering from it is several times
        # faster than gathering rows of the feature-by-head matrix.
        self.head_weights = np.ascontiguousarray(self.weights.T)
        self.intercepts = arrays["intercepts"]
        self.slopes, self.offsets = arrays["slopes"], arrays["offsets"]

    @classmethod
    def from_estimator(cls, estimator) -> CompiledOutcomeModel:
        blocks = dict(estimator.features_.transformer_list)
        words = blocks["words"].named_steps["tfidf"]
        heads = [estimator.weak_head_, *estimator.reason_heads_]
        fitted = [head.calibrated_classifiers_[0] for head in heads]

        def ordered_terms(vectorizer) -> np.ndarray:
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            return np.array(terms, dtype=str)

        return cls(
            {
                "word_terms": ordered_terms(words),
                "word_idf": words.idf_,
                "word_range": np.array(words.ngram_range),
                "settings": np.array(
                    [blocks["structure"].weight, estimator.threshold, estimator.reason_threshold]
                ),
                "weights": np.column_stack([c.estimator.coef_[0] for c in fitted]),
                "intercepts": np.array([c.estimator.intercept_[0] for c in fitted]),
                "slopes": np.array([c.calibrators[0].a_ for c in fitted]),
                "offsets": np.array([c.calibrators[0].b_ for c in fitted]),
            }
        )

    def probabilities(self, texts: list[str], fields: list[str] | None = None) -> np.ndarray:
        """One row per outcome: P(weak), then P(reason | weak) for each reason code.
        ``fields`` holds each outcome's timescale field ("" or None where it has none)."""
        if not texts:
            return np.zeros((0, self.weights.shape[1]))
        fields = [""] * len(texts) if fields is None else ["" if f is None else f for f in fields]
        # Plans repeat stock outcomes, so each distinct outcome is scored once.
        first_of: dict[tuple[str, str], int] = {}
        copies = [first_of.setdefault(key, len(first_of)) for key in zip(texts, fields)]
        distinct = list(first_of)
        return self._distinct_probabilities(
            [text for text, _ in distinct], [field for _, field in distinct]
        )[copies]

    def _distinct_probabilities(self, texts: list[str], fields: list[str]) -> np.ndarray:
        lowered = [text.lower() for text in texts]
        structure = structure_matrix(lowered, fields)
        decisions = self.structure_weight * structure @ self.weights[self.words.size :]
        decisions += self.intercepts
        rows, columns, values = self.words.entries(lowered)
        if len(rows):
            # Rows are sorted, so each statement's cells are one run to sum.
            firsts = np.flatnonzero(np.diff(rows, prepend=-1))
            for head, weights in enumerate(self.head_weights):
                cells = weights[: self.words.size].take(columns) * values
                decisions[rows[firsts], head] += np.add.reduceat(cells, firsts)
        return 1.0 / (1.0 + np.exp(self.slopes * decisions + self.offsets))

    def verdicts(self, texts, timescales=None) -> list[OutcomeVerdict]:
        return verdicts_from(
            self.probabilities(list(texts), timescales),
            REASON_CODES,
            self.threshold,
            self.reason_threshold,
            OutcomeVerdict,
        )

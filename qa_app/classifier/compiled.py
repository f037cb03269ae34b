"""A numpy-only copy of a fitted ``OutcomeClassifier``, for the app and the CLI.

Importing scikit-learn and unpickling its estimators takes several seconds on a small
server; this copy holds only the vocabularies, IDF weights, coefficients and sigmoid
calibration of each head, so it loads in a fraction of a second and gives the same
probabilities (a test holds it to the fitted estimator). It mirrors scikit-learn's
TfidfVectorizer for the settings the model uses: lowercase, sublinear TF, L2 norm per
block, word n-grams from the default token pattern, ``char_wb`` n-grams.
"""

from __future__ import annotations

import re
from itertools import repeat
from pathlib import Path

import numpy as np

from qa_app.classifier.cues import cue_vector
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.verdicts import OutcomeVerdict

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _word_terms(text: str, low: int, high: int) -> list[str]:
    tokens = _TOKEN.findall(text)
    terms = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        terms.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return terms


def _char_wb_terms(text: str, low: int, high: int) -> list[str]:
    # scikit-learn first collapses runs of whitespace; split() already ignores them.
    terms = []
    for word in text.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if n >= size:
                terms.append(padded)
                break
            terms += [padded[i : i + n] for i in range(size - n + 1)]
    return terms


class _TfidfBlock:
    def __init__(self, terms: np.ndarray, idf: np.ndarray, analyse, ngram_range):
        self.size, self.idf = len(terms), idf
        self.index = {term: i for i, term in enumerate(terms.tolist())}
        self.analyse, self.low, self.high = analyse, int(ngram_range[0]), int(ngram_range[1])

    def entries(self, lowered_texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row numbers, columns and TF-IDF values of the non-zero cells."""
        found, lengths = [], []
        lookup = self.index.get
        for text in lowered_texts:
            before = len(found)
            found.extend(map(lookup, self.analyse(text, self.low, self.high), repeat(-1)))
            lengths.append(len(found) - before)
        columns = np.array(found, dtype=np.int64)
        rows = np.repeat(np.arange(len(lowered_texts)), lengths)
        known = columns >= 0
        cells, counts = np.unique(rows[known] * self.size + columns[known], return_counts=True)
        rows, columns = cells // self.size, cells % self.size
        values = (np.log(counts) + 1.0) * self.idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(lowered_texts)))
        return rows, columns, values / norms[rows]


class CompiledOutcomeModel:
    """Same verdicts as the estimator it was made from; see ``from_estimator``."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.arrays = arrays
        self.words = _TfidfBlock(
            arrays["word_terms"], arrays["word_idf"], _word_terms, arrays["word_range"]
        )
        self.chars = _TfidfBlock(
            arrays["char_terms"], arrays["char_idf"], _char_wb_terms, arrays["char_range"]
        )
        self.cue_weight, self.threshold, self.reason_threshold = arrays["settings"].tolist()
        self.weights = arrays["weights"]
        self.intercepts = arrays["intercepts"]
        self.slopes, self.offsets = arrays["slopes"], arrays["offsets"]

    @classmethod
    def from_estimator(cls, estimator) -> CompiledOutcomeModel:
        blocks = dict(estimator.features_.transformer_list)
        heads = [estimator.weak_head_, *estimator.reason_heads_]
        fitted = [head.calibrated_classifiers_[0] for head in heads]

        def ordered_terms(vectorizer) -> np.ndarray:
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            return np.array(terms, dtype=str)

        return cls(
            {
                "word_terms": ordered_terms(blocks["words"]),
                "word_idf": blocks["words"].idf_,
                "word_range": np.array(blocks["words"].ngram_range),
                "char_terms": ordered_terms(blocks["chars"]),
                "char_idf": blocks["chars"].idf_,
                "char_range": np.array(blocks["chars"].ngram_range),
                "settings": np.array(
                    [blocks["cues"].weight, estimator.threshold, estimator.reason_threshold]
                ),
                "weights": np.column_stack([c.estimator.coef_[0] for c in fitted]),
                "intercepts": np.array([c.estimator.intercept_[0] for c in fitted]),
                "slopes": np.array([c.calibrators[0].a_ for c in fitted]),
                "offsets": np.array([c.calibrators[0].b_ for c in fitted]),
            }
        )

    def save(self, path: Path) -> None:
        with open(path, "wb") as handle:
            np.savez_compressed(handle, **self.arrays)

    @classmethod
    def load(cls, path: Path) -> CompiledOutcomeModel:
        with np.load(path, allow_pickle=False) as stored:
            return cls({name: stored[name] for name in stored.files})

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text: P(weak), then P(reason | weak) for each reason code."""
        if not texts:
            return np.zeros((0, self.weights.shape[1]))
        lowered = [text.lower() for text in texts]
        word_rows, word_columns, word_values = self.words.entries(lowered)
        char_rows, char_columns, char_values = self.chars.entries(lowered)
        cues = np.array([cue_vector(text) for text in texts], dtype=float)
        cue_weights = self.weights[self.words.size + self.chars.size :]
        decisions = self.cue_weight * cues @ cue_weights + self.intercepts
        for head in range(self.weights.shape[1]):
            for rows, columns, values, offset in (
                (word_rows, word_columns, word_values, 0),
                (char_rows, char_columns, char_values, self.words.size),
            ):
                decisions[:, head] += np.bincount(
                    rows,
                    weights=self.weights[columns + offset, head] * values,
                    minlength=len(texts),
                )
        return 1.0 / (1.0 + np.exp(self.slopes * decisions + self.offsets))

    def verdicts(self, texts) -> list[OutcomeVerdict]:
        verdicts = []
        for row in self.probabilities(list(texts)):
            p_weak = float(row[0])
            if p_weak < self.threshold:
                verdicts.append(OutcomeVerdict(False, p_weak, ()))
                continue
            reasons = tuple(
                code for code, p in zip(REASON_CODES, row[1:]) if p >= self.reason_threshold
            )
            verdicts.append(
                OutcomeVerdict(True, p_weak, reasons or (REASON_CODES[int(np.argmax(row[1:]))],))
            )
        return verdicts

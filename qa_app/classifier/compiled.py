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
from itertools import chain
from pathlib import Path

import numpy as np

from qa_app.classifier.cues import cue_matrix
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.verdicts import OutcomeVerdict

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _char_wb_terms(word: str, low: int, high: int) -> list[str]:
    """The ``char_wb`` n-grams of one whitespace-free word, as scikit-learn makes them."""
    padded = f" {word} "
    size = len(padded)
    terms = []
    for n in range(low, high + 1):
        if n >= size:
            terms.append(padded)
            break
        terms += [padded[i : i + n] for i in range(size - n + 1)]
    return terms


def _tfidf(rows, columns, idf, width: int, n_texts: int):
    """Sublinear TF-IDF cells, L2-normalised per row, from one (row, column) pair per
    occurrence of a known term; rows come back sorted."""
    cells, counts = np.unique(rows * width + columns, return_counts=True)
    rows, columns = cells // width, cells % width
    values = (np.log(counts) + 1.0) * idf[columns]
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n_texts))
    return rows, columns, values / norms[rows]


def _spans(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For consecutive runs of the given lengths: which run each position belongs to, and
    each position's index inside its run."""
    owner = np.repeat(np.arange(len(lengths)), lengths)
    firsts = np.cumsum(lengths) - lengths
    return owner, np.arange(int(lengths.sum())) - firsts[owner]


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


class _CharBlock:
    """``char_wb`` n-grams. They never cross a word, so each distinct word in a batch is
    cut into n-grams and looked up once, however often it occurs."""

    def __init__(self, terms: np.ndarray, idf: np.ndarray, ngram_range):
        self.size, self.idf = len(terms), idf
        self.index = {term: i for i, term in enumerate(terms.tolist())}
        self.low, self.high = int(ngram_range[0]), int(ngram_range[1])

    def entries(self, lowered_texts: list[str]):
        word_id: dict[str, int] = {}
        occurrences, lengths = [], []
        for text in lowered_texts:
            words = text.split()
            occurrences.extend([word_id.setdefault(word, len(word_id)) for word in words])
            lengths.append(len(words))
        lookup = self.index.get
        per_word = [
            [
                column
                for column in map(lookup, _char_wb_terms(word, self.low, self.high))
                if column is not None
            ]
            for word in word_id
        ]
        word_lengths = np.array([len(columns) for columns in per_word], dtype=np.int64)
        word_columns = np.fromiter(chain.from_iterable(per_word), dtype=np.int64)
        occurrences = np.array(occurrences, dtype=np.int64)
        occurrence_rows = np.repeat(np.arange(len(lowered_texts)), lengths)
        counts = word_lengths[occurrences] if len(occurrences) else occurrences
        owner, position = _spans(counts)
        firsts = np.cumsum(word_lengths) - word_lengths
        columns = word_columns[firsts[occurrences[owner]] + position] if len(owner) else owner
        return _tfidf(occurrence_rows[owner], columns, self.idf, self.size, len(lowered_texts))


class CompiledOutcomeModel:
    """Same verdicts as the estimator it was made from; see ``from_estimator``."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.arrays = arrays
        self.words = _WordBlock(arrays["word_terms"], arrays["word_idf"], arrays["word_range"])
        self.chars = _CharBlock(arrays["char_terms"], arrays["char_idf"], arrays["char_range"])
        self.cue_weight, self.threshold, self.reason_threshold = arrays["settings"].tolist()
        self.weights = arrays["weights"]
        # One contiguous row of weights per head: gathering from it is several times
        # faster than gathering rows of the feature-by-head matrix.
        self.head_weights = np.ascontiguousarray(self.weights.T)
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
        # Plans repeat stock outcomes, so each distinct statement is scored once.
        first_of: dict[str, int] = {}
        copies = [first_of.setdefault(text, len(first_of)) for text in texts]
        return self._distinct_probabilities(list(first_of))[copies]

    def _distinct_probabilities(self, texts: list[str]) -> np.ndarray:
        lowered = [text.lower() for text in texts]
        cues = cue_matrix(lowered)
        decisions = self.cue_weight * cues @ self.weights[self.words.size + self.chars.size :]
        decisions += self.intercepts
        for block, offset in ((self.words, 0), (self.chars, self.words.size)):
            rows, columns, values = block.entries(lowered)
            if not len(rows):
                continue
            # Rows are sorted, so each statement's cells are one run to sum.
            firsts = np.flatnonzero(np.diff(rows, prepend=-1))
            for head, weights in enumerate(self.head_weights):
                cells = weights[offset : offset + block.size].take(columns) * values
                decisions[rows[firsts], head] += np.add.reduceat(cells, firsts)
        return 1.0 / (1.0 + np.exp(self.slopes * decisions + self.offsets))

    def verdicts(self, texts, timescales=None) -> list[OutcomeVerdict]:
        texts = list(texts)
        fields = timescales if timescales is not None else [""] * len(texts)
        verdicts = []
        for row, field in zip(self.probabilities(texts), fields):
            p_weak = float(row[0])
            if p_weak < self.threshold:
                verdicts.append(OutcomeVerdict(False, p_weak, ()))
                continue
            reasons = tuple(
                code for code, p in zip(REASON_CODES, row[1:]) if p >= self.reason_threshold
            )
            reasons = reasons or (REASON_CODES[int(np.argmax(row[1:]))],)
            if field:
                # Interim rule until the model reads the field itself: a timescale given
                # in its own column answers "no timescale".
                reasons = tuple(code for code in reasons if code != "no_timescale")
                if not reasons:
                    verdicts.append(OutcomeVerdict(False, min(p_weak, 1.0 - p_weak), ()))
                    continue
            verdicts.append(OutcomeVerdict(True, p_weak, reasons))
        return verdicts

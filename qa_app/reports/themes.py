"""Themes in auditors' notes: sentences grouped by shared key phrases, with how many
audits mention each.

Each note is split into sentences; identical sentences are pooled. Sentences become
TF-IDF vectors of words and word pairs, and agglomerative clustering on cosine distance
groups those that share their key phrases. A theme is named by the phrases that weigh
most in its group and illustrated by its most frequent sentence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

# Sentences closer than this (1 - cosine similarity) end up in the same theme.
DISTANCE_THRESHOLD = 0.85
KEY_PHRASES_PER_THEME = 3

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Tags left by redaction ("[name]", "[email]") are no theme.
_TAG = re.compile(r"\[[a-z_]+\]")


@dataclass(frozen=True)
class Theme:
    key_phrases: tuple[str, ...]
    example: str
    audits: int
    share: float


def sentences_of(note: str) -> list[str]:
    return [
        part.strip() for part in _SENTENCE_END.split(note or "") if len(part.strip().split()) >= 3
    ]


def find_themes(
    notes: Iterable[tuple[int, str]],
    *,
    clean: Callable[[str], str],
    min_audits: int,
    limit: int = 8,
) -> list[Theme]:
    """Themes in ``notes`` (audit id, note text) that at least ``min_audits`` audits share,
    most frequent first. ``clean`` scrubs each sentence before it is analysed or shown."""
    audits_by_raw: dict[str, set[int]] = defaultdict(set)
    for audit_id, note in notes:
        for sentence in sentences_of(note):
            audits_by_raw[sentence].add(audit_id)
    audits_by_sentence: dict[str, set[int]] = defaultdict(set)
    for sentence, audits in audits_by_raw.items():
        audits_by_sentence[clean(sentence)].update(audits)
    noted_audits = set().union(*audits_by_raw.values())
    sentences = list(audits_by_sentence)
    vectorizer = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
    )
    try:
        vectors = vectorizer.fit_transform(_TAG.sub(" ", sentence) for sentence in sentences)
    except ValueError:  # no sentences, or nothing but stop words
        return []
    # A sentence of nothing but stop words and tags has no direction to cluster by.
    keep = np.flatnonzero(vectors.getnnz(axis=1))
    sentences, vectors = [sentences[i] for i in keep], vectors[keep]
    if len(sentences) < 2:
        labels = np.zeros(len(sentences), dtype=int)
    else:
        labels = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage="average",
            distance_threshold=DISTANCE_THRESHOLD,
        ).fit_predict(vectors.toarray())
    terms = vectorizer.get_feature_names_out()
    themes = []
    for label in set(labels):
        members = [i for i, value in enumerate(labels) if value == label]
        audits = set().union(*(audits_by_sentence[sentences[i]] for i in members))
        if len(audits) < min_audits:
            continue
        example = max(members, key=lambda i: (len(audits_by_sentence[sentences[i]]), -i))
        themes.append(
            Theme(
                key_phrases=_key_phrases(terms, vectors[members], [sentences[i] for i in members]),
                example=sentences[example],
                audits=len(audits),
                share=len(audits) / len(noted_audits),
            )
        )
    themes.sort(key=lambda theme: (-theme.audits, theme.key_phrases))
    return themes[:limit]


def _key_phrases(terms, vectors, sentences: list[str]) -> tuple[str, ...]:
    """The terms most members share, heaviest first, written as they appear in the notes
    (a word pair bridging a dropped stop word is skipped) and not repeating one another."""
    present = (vectors > 0).sum(axis=0).A1
    weights = vectors.mean(axis=0).A1
    written = " ".join(sentence.lower() for sentence in sentences)
    chosen: list[str] = []
    for index in np.lexsort((-weights, -present)):
        if present[index] == 0 or len(chosen) == KEY_PHRASES_PER_THEME:
            break
        term = terms[index]
        if re.search(rf"\b{re.escape(term)}\b", written) is None:
            continue
        if any(term in phrase or phrase in term for phrase in chosen):
            continue
        chosen.append(term)
    return tuple(chosen)

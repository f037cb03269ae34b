"""Weak-outcome classifier figures: batch classification speed with the shipped model,
and how long one fit of the model on the labelled dataset takes."""

from __future__ import annotations

import time

from qa_app.benchmarks import figure
from qa_app.classifier import load_model
from qa_app.classifier.dataset import load_dataset


@figure("classify_per_s")
def classify_per_s() -> dict[str, float]:
    """Whole batches of the dataset's distinct outcomes (text and timescale field), for at
    least two seconds."""
    model = load_model()
    rows = load_dataset().rows
    texts, timescales = [row.text for row in rows], [row.timescale for row in rows]
    model.classify(texts[:50], timescales[:50])
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < 2.0:
        model.classify(texts, timescales)
        count += len(texts)
    return {"classify_per_s": round(count / (time.perf_counter() - started))}


@figure("train_s")
def train_s() -> dict[str, float]:
    """One fit of the outcome classifier (all heads, with calibration) on every statement;
    ``qa-app train`` does this once per cross-validation fold and for the held-out split."""
    from qa_app.classifier.model import OutcomeClassifier
    from qa_app.classifier.training import DEFAULT_SEED

    dataset = load_dataset()
    started = time.perf_counter()
    OutcomeClassifier(random_state=DEFAULT_SEED).fit(dataset.inputs, dataset.targets)
    return {"train_s": round(time.perf_counter() - started, 2)}

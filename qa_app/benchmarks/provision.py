"""Provision check and golden-thread figures: provision items classified per second in
batch with the shipped model, and milliseconds to build one plan's thread."""

from __future__ import annotations

import time

from qa_app.benchmarks import figure


@figure("provision_per_s")
def provision_per_s() -> dict[str, float]:
    """Whole batches of the labelled set's distinct items, for at least two seconds."""
    from qa_app.classifier.provision import load_provision_model
    from qa_app.classifier.provision.dataset import load_provision_dataset

    model = load_provision_model()
    texts = load_provision_dataset().texts
    model.classify(texts[:50])
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < 2.0:
        model.classify(texts)
        count += len(texts)
    return {"provision_per_s": round(count / (time.perf_counter() - started))}


@figure("thread_ms_per_plan")
def thread_ms_per_plan() -> dict[str, float]:
    """Each plan of the labelled thread set, from its section texts to links and gaps."""
    from qa_app.classifier.thread_set import load_thread_set, thread_of

    plans = load_thread_set()
    thread_of(plans[0])
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < 2.0:
        for plan in plans:
            thread_of(plan)
        count += len(plans)
    return {"thread_ms_per_plan": round((time.perf_counter() - started) * 1000 / count, 3)}

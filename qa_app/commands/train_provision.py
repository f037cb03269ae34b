"""``qa-app train --kind provision`` and ``--kind thread``: the provision classifier
(grouped cross-validation, then the shipped fit) and the golden-thread linker's figures
on the labelled thread set; each writes its own section of the model card."""

from __future__ import annotations

import sys
import time


def train_other_kind(args) -> int:
    return _train_provision(args) if args.kind == "provision" else _measure_thread(args)


def _train_provision(args) -> int:
    from qa_app.classifier.model_card import MODEL_CARD_PATH
    from qa_app.classifier.provision.card import write_provision_section
    from qa_app.classifier.provision.dataset import PROVISION_DATASET_PATH, load_provision_dataset
    from qa_app.classifier.provision.training import (
        DEFAULT_SEED,
        beats_baseline,
        save_provision,
        train_provision,
    )
    from qa_app.commands.train import cross_validated, judged_in_database, read_labelled
    from qa_app.services.provision_feedback import provision_feedback_examples

    dataset = read_labelled(
        load_provision_dataset,
        args.data or PROVISION_DATASET_PATH,
        "provision file",
        "provision set",
    )
    if dataset is None:
        return 2
    feedback = (
        judged_in_database(args.settings, provision_feedback_examples)
        if args.include_feedback
        else ()
    )
    started = time.perf_counter()
    run = train_provision(
        dataset, seed=DEFAULT_SEED if args.seed is None else args.seed, feedback=feedback
    )
    cv = run.metadata["metrics"]["grouped_cv"]
    for name in ("model", "baseline"):
        print(cross_validated(name, cv[name]["pooled"]["weak"]))
    if not beats_baseline(run.metadata):
        print(
            "qa-app train: error: the model does not beat the keyword baseline; nothing written",
            file=sys.stderr,
        )
        return 1
    paths = save_provision(run)
    write_provision_section(run.metadata, dataset)
    if args.include_feedback:
        print(f"auditors' judgements: {len(feedback)} provision items used")
    print(
        f"trained {run.version} on {len(dataset.rows) + len(feedback)} items in "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(
        f"wrote {', '.join(path.name for path in paths)} and the provision section of {MODEL_CARD_PATH.name}"
    )
    return 0


def _measure_thread(args) -> int:
    from qa_app.classifier.model_card import MODEL_CARD_PATH
    from qa_app.classifier.thread_card import write_thread_section
    from qa_app.classifier.thread_set import THREAD_SET_DIR, ThreadSetError, evaluate_thread_set

    try:
        figures = evaluate_thread_set(args.data or THREAD_SET_DIR)
    except (OSError, ThreadSetError) as exc:
        print(f"qa-app train: error: labelled thread set is invalid: {exc}", file=sys.stderr)
        return 2
    for name in ("links", "gaps"):
        part = figures[name]
        print(
            f"{name:>5}: precision {part['precision']:.3f} recall {part['recall']:.3f} F1 {part['f1']:.3f}"
        )
    write_thread_section(figures)
    print(f"measured {figures['plans']} plans; wrote the thread section of {MODEL_CARD_PATH.name}")
    return 0

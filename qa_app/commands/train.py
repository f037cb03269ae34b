"""``qa-app train``: train the weak-outcome classifier on the labelled dataset, compare it
with the keyword baseline, and ship it into the package with its model card."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "train", help="train the weak-outcome classifier and write its model card"
    )
    parser.add_argument(
        "--kind",
        choices=["outcome", "provision", "thread"],
        default="outcome",
        help="outcome classifier (default), provision classifier, or golden-thread linker "
        "(measured on the labelled thread set; nothing to fit)",
    )
    parser.add_argument("--seed", type=int, help="random seed (default: the project's fixed seed)")
    parser.add_argument(
        "--data", type=Path, default=None, help="labelled CSV (default: the shipped dataset)"
    )
    parser.add_argument(
        "--folds", type=int, default=5, help="cross-validation folds (default %(default)s)"
    )
    parser.add_argument(
        "--include-feedback",
        action="store_true",
        help="also train on auditors' judgements of earlier flags, read from the database",
    )
    parser.set_defaults(func=train_model)


def train_model(args) -> int:
    if args.kind != "outcome":
        from qa_app.commands.train_provision import train_other_kind

        return train_other_kind(args)
    from qa_app.classifier.dataset import DATASET_PATH, load_dataset
    from qa_app.classifier.model_card import MODEL_CARD_PATH, write_model_card
    from qa_app.classifier.training import DEFAULT_SEED, beats_baseline, save, train
    from qa_app.services.outcome_feedback import feedback_examples

    dataset = read_labelled(load_dataset, args.data or DATASET_PATH, "dataset file", "dataset")
    if dataset is None:
        return 2

    feedback = judged_in_database(args.settings, feedback_examples) if args.include_feedback else ()
    started = time.perf_counter()
    seed = DEFAULT_SEED if args.seed is None else args.seed
    run = train(dataset, seed=seed, folds=args.folds, feedback=feedback)
    elapsed = time.perf_counter() - started
    metrics = run.metadata["metrics"]
    for name in ("model", "baseline"):
        print(
            cross_validated(name, metrics["grouped_cv"][name]["weak"])
            + f"; contrast accuracy {metrics['contrast'][name]['accuracy']:.3f}"
        )
    if not beats_baseline(run.metadata):
        print(
            "qa-app train: error: the model does not beat the keyword baseline in grouped "
            "cross-validation; nothing written",
            file=sys.stderr,
        )
        return 1
    paths = save(run)
    write_model_card(run.metadata, dataset)
    if args.include_feedback:
        print(
            f"auditors' judgements: {len(feedback)} statements, "
            f"{run.metadata.get('n_feedback', 0)} used (the rest repeat test statements)"
        )
    print(f"trained {run.version} on {run.metadata['n_train']} statements in {elapsed:.1f} s")
    print(f"wrote {', '.join(path.name for path in paths)} and {MODEL_CARD_PATH.name}")
    return 0


def read_labelled(load, path: Path, file_name: str, set_name: str):
    """The labelled set ``load`` reads from ``path``, or None once the reason it cannot be
    read is printed."""
    from qa_app.classifier.dataset import DatasetError

    try:
        return load(path)
    except OSError:
        print(f"qa-app train: error: cannot read the labelled {file_name}", file=sys.stderr)
    except DatasetError as exc:
        print(f"qa-app train: error: labelled {set_name} is invalid: {exc}", file=sys.stderr)
    return None


def cross_validated(name: str, weak: dict) -> str:
    """One line of a model's (or the baseline's) grouped cross-validation weak scores."""
    return (
        f"{name:>8}: grouped-CV weak P {weak['precision']:.3f} R {weak['recall']:.3f} "
        f"F1 {weak['f1']:.3f} Brier {weak['brier']:.3f}"
    )


def judged_in_database(settings, examples):
    """Auditors' judgements, as ``examples(session, actor)`` reads them from the database."""
    from qa_app.services.access import OPERATOR
    from qa_app.store.engine import open_session

    with open_session(settings.database_url, migrate=False) as session:
        return examples(session, OPERATOR)

"""The labelled golden-thread set (``data/thread/plans.jsonl``) and the linker's scores on
it: precision and recall of outcome–provision links, of gaps, and of need areas."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from qa_app.domain.thread import (
    GAP_KINDS,
    ThreadOutcome,
    ThreadProvision,
    build_thread,
    split_needs,
)
from qa_app.settings import PROJECT_ROOT

THREAD_SET_DIR = PROJECT_ROOT / "data" / "thread"


class ThreadSetError(ValueError):
    """The labelled thread set breaks one of its rules."""


def load_thread_set(directory: Path = THREAD_SET_DIR) -> list[dict]:
    path = Path(directory)
    path = path / "plans.jsonl" if path.is_dir() else path
    plans = []
    with open(path, encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                plan = json.loads(line)
            except json.JSONDecodeError:
                raise ThreadSetError(f"line {line_number}: not JSON") from None
            for key in ("id", "source", "layout", "sections", "outcomes", "provision", "gold"):
                if key not in plan:
                    raise ThreadSetError(f"line {line_number}: no {key!r}")
            for gap in plan["gold"]["gaps"]:
                if gap["kind"] not in GAP_KINDS:
                    raise ThreadSetError(f"line {line_number}: unknown gap kind {gap['kind']!r}")
            plans.append(plan)
    return plans


def thread_of(plan: dict):
    """The linker's thread for one labelled plan, read as an import would give it."""
    needs = [
        need for letter in ("B", "C", "D") for need in split_needs(plan["sections"].get(letter, ""))
    ]
    return build_thread(
        needs,
        [
            ThreadOutcome(o["text"], o.get("heading", ""), o.get("link", ""))
            for o in plan["outcomes"]
        ],
        [
            ThreadProvision(
                p["text"], p.get("section", "F"), p.get("heading", ""), p.get("link", "")
            )
            for p in plan["provision"]
        ],
        year_group=plan.get("year_group"),
        has_provision_section=plan.get("has_provision_section", True),
        has_needs_section=bool(plan["sections"].get("B", "").strip()),
    )


def _gap_keys(gaps) -> Counter:
    keys = Counter()
    for gap in gaps:
        get = gap.get if isinstance(gap, dict) else lambda name, g=gap: getattr(g, name)
        keys[(get("kind"), get("area"), get("outcome"), get("provision"))] += 1
    return keys


def _prf(true_positive: int, predicted: int, actual: int) -> dict[str, float]:
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted": predicted,
        "actual": actual,
    }


def evaluate_thread_set(directory: Path = THREAD_SET_DIR) -> dict:
    plans = load_thread_set(directory)
    totals = {name: [0, 0, 0] for name in ("links", "gaps", "needs")}
    by_kind = {kind: [0, 0, 0] for kind in GAP_KINDS}
    by_layout: dict[str, list[int]] = {}
    for plan in plans:
        thread = thread_of(plan)
        gold = plan["gold"]
        predicted_links = {(link.outcome, j) for link in thread.links for j in link.provision}
        gold_links = {(link["outcome"], j) for link in gold["links"] for j in link["provision"]}
        predicted_gaps, gold_gaps = _gap_keys(thread.gaps), _gap_keys(gold["gaps"])
        matched_gaps = predicted_gaps & gold_gaps
        for name, (predicted, actual, hit) in {
            "links": (len(predicted_links), len(gold_links), len(predicted_links & gold_links)),
            "gaps": (
                sum(predicted_gaps.values()),
                sum(gold_gaps.values()),
                sum(matched_gaps.values()),
            ),
            "needs": (
                len(thread.needs),
                len(gold["needs"]),
                len(set(thread.needs) & set(gold["needs"])),
            ),
        }.items():
            totals[name][0] += hit
            totals[name][1] += predicted
            totals[name][2] += actual
        layout = by_layout.setdefault(plan["layout"], [0, 0, 0, 0])
        layout[0] += 1
        layout[1] += len(predicted_links & gold_links) == len(gold_links) == len(predicted_links)
        layout[2] += predicted_gaps == gold_gaps
        for kind in GAP_KINDS:
            p = Counter({k: v for k, v in predicted_gaps.items() if k[0] == kind})
            g = Counter({k: v for k, v in gold_gaps.items() if k[0] == kind})
            by_kind[kind][0] += sum((p & g).values())
            by_kind[kind][1] += sum(p.values())
            by_kind[kind][2] += sum(g.values())
    return {
        "plans": len(plans),
        "layouts": {
            name: {"plans": v[0], "links_exact": v[1], "gaps_exact": v[2]}
            for name, v in sorted(by_layout.items())
        },
        **{name: _prf(*values) for name, values in totals.items()},
        "gap_kinds": {kind: _prf(*values) for kind, values in by_kind.items()},
    }

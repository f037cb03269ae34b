"""The figures of ``data/outcomes/DATA_CARD.md``, computed from the dataset: the surface-cue
shares, and the statements per kind, group, need area and reason. ``build_outcomes.py``
writes them between the markers; a test holds the card to the data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from qa_app.classifier.dataset import KINDS, NEED_AREAS, Dataset
from qa_app.classifier.reasons import REASON_CODES
from qa_app.classifier.surface import render_share_table
from qa_app.settings import PROJECT_ROOT

DATA_CARD_PATH = PROJECT_ROOT / "data" / "outcomes" / "DATA_CARD.md"
FIGURES_START = "<!-- figures:start (written by build_outcomes.py) -->"
FIGURES_END = "<!-- figures:end -->"


def _label_counts(rows) -> str:
    weak = sum(row.weak for row in rows)
    return f"{weak} / {len(rows) - weak}"


def render_figures(dataset: Dataset, contrast_pairs: int) -> str:
    rows = dataset.rows
    weak = [row for row in rows if row.weak]
    reasons = Counter(code for row in weak for code in row.reasons)
    with_field = [row for row in rows if row.timescale]
    lines = [
        FIGURES_START,
        "### Surface cues",
        "Among statements with each cue, the share that are weak; among those without it, "
        "the share that are strong (a timescale is looked for in the text only, with the "
        "classifier's own timescale pattern; a number is a digit, a percentage or a number "
        "word):",
        "",
        render_share_table(rows).rstrip("\n"),
        "",
        "### Size and spread",
        f"- {len(rows)} statements: {len(weak)} weak ({len(weak) / len(rows):.1%}), "
        f"{len(rows) - len(weak)} strong; {contrast_pairs} contrast pairs apart from them.",
        f"- {len(with_field)} statements give their timescale in the `timescale` column "
        f"({_label_counts(with_field)} weak / strong).",
        "- By kind (weak / strong): "
        + "; ".join(
            f"`{kind}` {_label_counts([r for r in rows if r.kind == kind])}" for kind in KINDS
        )
        + ".",
        "- By need area (weak / strong): "
        + "; ".join(
            f"`{area}` {_label_counts([r for r in rows if r.need_area == area])}"
            for area in NEED_AREAS
        )
        + ".",
        "- By group (weak / strong): "
        + "; ".join(
            f"`{group}` {_label_counts([r for r in rows if r.group == group])}"
            for group in sorted({row.group for row in rows})
        )
        + ".",
        "- Reason codes among the weak statements: "
        + ", ".join(f"`{code}` {reasons[code]}" for code in REASON_CODES)
        + ".",
        "- Sources: "
        + ", ".join(
            f"`{source}` {count}" for source, count in Counter(r.source for r in rows).items()
        )
        + ".",
        FIGURES_END,
    ]
    return "\n".join(lines) + "\n"


def update_data_card(dataset: Dataset, contrast_pairs: int, path: Path = DATA_CARD_PATH) -> None:
    card = path.read_text(encoding="utf-8")
    before, rest = card.split(FIGURES_START, 1)
    after = rest.split(FIGURES_END, 1)[1]
    path.write_text(
        before + render_figures(dataset, contrast_pairs).rstrip("\n") + after, encoding="utf-8"
    )

"""Surface cues that must not decide the label on their own: a timescale in the text, a
number, an opening "By". For each cue the data card shows the share of weak statements
among those that have it and of strong statements among those that do not."""

from __future__ import annotations

import re

from qa_app.classifier.cues import TIMESCALE

_NUMBER = re.compile(
    r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundred|twice|half|dozen)\b"
)
_BY = re.compile(r"\s*by\b")

SURFACE_CUES = {
    "states a timescale": lambda lowered: TIMESCALE.search(lowered) is not None,
    "contains a number or percentage": lambda lowered: _NUMBER.search(lowered) is not None,
    "starts with By": lambda lowered: _BY.match(lowered) is not None,
}
# Among statements with the cue at least this share are weak; among those without it at
# least this share are strong.
MIN_SHARE = 0.35


def cue_shares(rows) -> dict[str, dict[str, float]]:
    """For each cue: how many statements have it, the weak share among them, how many do
    not, and the strong share among those."""
    shares = {}
    for name, has_cue in SURFACE_CUES.items():
        marks = [(has_cue(row.text.lower()), row.weak) for row in rows]
        with_cue = [weak for cue, weak in marks if cue]
        without = [weak for cue, weak in marks if not cue]
        shares[name] = {
            "n_with": len(with_cue),
            "weak_share_with": sum(with_cue) / len(with_cue) if with_cue else 0.0,
            "n_without": len(without),
            "strong_share_without": (len(without) - sum(without)) / len(without)
            if without
            else 0.0,
        }
    return shares


def render_share_table(rows) -> str:
    lines = [
        "| surface cue | statements with it | weak among them | statements without it | strong among them |",
        "|---|---|---|---|---|",
    ]
    for name, share in cue_shares(rows).items():
        lines.append(
            f"| {name} | {share['n_with']} | {share['weak_share_with']:.1%} | "
            f"{share['n_without']} | {share['strong_share_without']:.1%} |"
        )
    return "\n".join(lines) + "\n"

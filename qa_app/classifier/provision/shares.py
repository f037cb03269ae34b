"""How far single surface cues go towards the provision labels: for each cue, the share
of weak items among those that show it and of specified items among those that do not.
The data card prints these, and a test holds the dataset to them."""

from __future__ import annotations

import re

from qa_app.classifier.provision.cues import cue_flags
from qa_app.classifier.provision.dataset import ProvisionDataset

SURFACE_CUES = {
    "contains a digit": lambda text: bool(re.search(r"\d", text)),
    "names a frequency": lambda text: cue_flags(text)["frequency"],
    "names a duration or amount": lambda text: cue_flags(text)["duration_or_amount"],
    "names a deliverer role": lambda text: cue_flags(text)["deliverer"],
    "starts with a name and 'will'": lambda text: bool(re.match(r"^[A-Z][a-z]+ will\b", text)),
    "is a table row (field: value)": lambda text: bool(re.search(r"; [A-Z][\w ]+: ", text)),
    "over 25 words": lambda text: len(text.split()) > 25,
}


def cue_shares(dataset: ProvisionDataset) -> dict[str, dict[str, float]]:
    shares = {}
    for name, test in SURFACE_CUES.items():
        with_cue = [row for row in dataset.rows if test(row.text)]
        without = [row for row in dataset.rows if not test(row.text)]
        shares[name] = {
            "with": len(with_cue),
            "weak_among_with": sum(r.weak for r in with_cue) / len(with_cue) if with_cue else 0.0,
            "without": len(without),
            "specified_among_without": (
                sum(not r.weak for r in without) / len(without) if without else 0.0
            ),
        }
    return shares

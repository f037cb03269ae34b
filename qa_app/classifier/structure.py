"""The structural features of an outcome: which SMART parts it has (read by the same
patterns as ``smart.smart_parts``), whether its timescale is in the text or in a field of
its own, and the wording auditors look for (provision, hedges, vague change, generic
phrases, wishes).

``structure_matrix`` makes them for a batch, one row per outcome."""

from __future__ import annotations

import re

import numpy as np

from qa_app.classifier.cues import CUES, cue_hits

WHO = re.compile(
    r"(?:^|[,;:.]\s*)(?:i|we|he|she|they|the\s+\w+|[a-z][a-z'’-]+)\s+(?:will|can|is\s+able\s+to)\b"
    r"|\bgoal\s+is\s+to\b|^\s*to\s+\w"
)

CUE_NAMES = tuple(CUES)
FEATURE_NAMES = (
    *CUE_NAMES,
    "who",
    "condition",
    "timescale_field",
    "timescale_anywhere",
    "measured_but_undated",
    "smart_complete",
    "several_sentences",
    "log_words",
)


def structure_matrix(lowered_texts: list[str], fields: list[str]) -> np.ndarray:
    """One row per outcome, one column per name in ``FEATURE_NAMES``. ``fields`` holds
    each outcome's own timescale field ("" when it has none)."""
    count = len(lowered_texts)
    matrix = np.zeros((count, len(FEATURE_NAMES)))
    column = {name: index for index, name in enumerate(FEATURE_NAMES)}
    if count:
        hits = np.array([cue_hits(text) for text in lowered_texts], dtype=float)
        matrix[:, : len(CUE_NAMES)] = hits[:, :-1]
        matrix[:, column["condition"]] = hits[:, -1]
    search = WHO.search
    matrix[:, column["who"]] = [search(text) is not None for text in lowered_texts]
    matrix[:, column["several_sentences"]] = [
        ". " in text.rstrip() or "; " in text for text in lowered_texts
    ]
    field = np.fromiter((bool(value) for value in fields), float, count)
    in_text = matrix[:, column["timescale"]]
    anywhere = np.maximum(field, in_text)
    criterion = matrix[:, column["success_criterion"]]
    matrix[:, column["timescale_field"]] = field
    matrix[:, column["timescale_anywhere"]] = anywhere
    matrix[:, column["measured_but_undated"]] = criterion * (1.0 - anywhere)
    matrix[:, column["smart_complete"]] = (
        criterion
        * anywhere
        * matrix[:, column["child_action"]]
        * (1.0 - matrix[:, column["provision"]])
        * (1.0 - matrix[:, column["vague_change"]])
    )
    words = np.fromiter((len(text.split()) for text in lowered_texts), float, count)
    matrix[:, column["log_words"]] = np.log1p(words) / 4.0
    return matrix

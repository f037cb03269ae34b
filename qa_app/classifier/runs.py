"""What a training run of either classifier holds and how it is named, kept and judged:
the fitted model with its metadata, a version that names the data, seed and feedback,
the metadata file, and the test that it beats the keyword baseline."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class TrainingRun:
    model: Any
    metadata: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.metadata["version"]


def run_version(
    name: str, model_format: int, data_sha256: str, seed: int, feedback_sha256: str | None
) -> str:
    """Same data and seed give the same version; new data or feedback gives a new one."""
    feedback = f"-f{feedback_sha256[:8]}" if feedback_sha256 else ""
    return f"{name}-v{model_format}-{data_sha256[:10]}{feedback}-s{seed}"


def feedback_fingerprint(examples) -> str:
    """A fingerprint of auditors' judged examples (each with ``text`` and ``weak``)."""
    lines = "".join(f"{int(example.weak)}\t{example.text}\n" for example in examples)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def weak_beats(model: dict, baseline: dict) -> bool:
    """A higher weak F1 and a lower (better) Brier score."""
    return model["f1"] > baseline["f1"] and model["brier"] < baseline["brier"]


def write_metadata(path: Path, metadata: dict) -> None:
    path.write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")

"""The model shipped inside the package: loaded once per process and used to classify.

Three files sit in ``model/``: the fitted scikit-learn estimator (joblib), its numpy-only
copy that the app and CLI load (npz, no scikit-learn import), and the metadata (JSON:
version, training-data hash, metrics).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa_app.classifier.compiled import CompiledOutcomeModel
from qa_app.classifier.smart import SmartParts, smart_parts
from qa_app.classifier.verdicts import OutcomeVerdict

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_FILE = "outcome_model.joblib"
COMPILED_FILE = "outcome_model.npz"
METADATA_FILE = "outcome_model.json"


class ModelUnavailable(RuntimeError):
    """No trained model where one was expected."""


@dataclass(frozen=True)
class Shipped:
    """A model read from the package: its numpy copy and its metadata."""

    model: Any
    metadata: dict

    @property
    def version(self) -> str:
        return self.metadata["version"]


def as_texts(texts) -> list[str]:
    return ["" if text is None else str(text) for text in texts]


def read_files(directory: Path, compiled_file: str, metadata_file: str, missing: str):
    """The compiled model's path and the metadata read from ``directory``;
    ``ModelUnavailable`` saying ``missing`` when either file is not there."""
    model_path, metadata_path = directory / compiled_file, directory / metadata_file
    if not model_path.exists() or not metadata_path.exists():
        raise ModelUnavailable(missing)
    return model_path, json.loads(metadata_path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ShippedModel(Shipped):
    model: CompiledOutcomeModel

    def classify(self, texts, timescales=None) -> list[OutcomeVerdict]:
        """One verdict per outcome. ``timescales`` (optional, one per text, ``None`` or ""
        where the plan gives none) holds each outcome's own "by when" field."""
        texts = as_texts(texts)
        fields = _timescales(timescales, len(texts))
        return self.model.verdicts(texts, fields) if texts else []

    def explain(self, texts, timescales=None) -> list[SmartParts]:
        """The SMART parts of each outcome, as auditors are shown them."""
        fields = _timescales(timescales, len(texts))
        return [smart_parts(text, field) for text, field in zip(texts, fields)]


def _timescales(timescales, count: int) -> list[str]:
    if timescales is None:
        return [""] * count
    fields = ["" if field is None else str(field).strip() for field in timescales]
    if len(fields) != count:
        raise ValueError("give one timescale (or None) per outcome text")
    return fields


def read_model(directory: Path = MODEL_DIR) -> ShippedModel:
    model_path, metadata = read_files(
        directory,
        COMPILED_FILE,
        METADATA_FILE,
        "No trained outcome model found; run `qa-app train` first.",
    )
    return ShippedModel(CompiledOutcomeModel.load(model_path), metadata)


@lru_cache(maxsize=1)
def load_model() -> ShippedModel:
    """The shipped model, read from disk on first use and kept for the process."""
    return read_model(MODEL_DIR)


def classify_outcomes(texts, timescales=None) -> list[OutcomeVerdict]:
    return load_model().classify(texts, timescales)


def explain_outcomes(texts, timescales=None) -> list[SmartParts]:
    return load_model().explain(texts, timescales)

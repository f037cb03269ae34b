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
class ShippedModel:
    model: CompiledOutcomeModel
    metadata: dict

    @property
    def version(self) -> str:
        return self.metadata["version"]

    def classify(self, texts, timescales=None) -> list[OutcomeVerdict]:
        """One verdict per outcome. ``timescales`` (optional, one per text, ``None`` or ""
        where the plan gives none) holds each outcome's own "by when" field."""
        texts = ["" if text is None else str(text) for text in texts]
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
    model_path, metadata_path = directory / COMPILED_FILE, directory / METADATA_FILE
    if not model_path.exists() or not metadata_path.exists():
        raise ModelUnavailable("No trained outcome model found; run `qa-app train` first.")
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    return ShippedModel(CompiledOutcomeModel.load(model_path), metadata)


@lru_cache(maxsize=1)
def load_model() -> ShippedModel:
    """The shipped model, read from disk on first use and kept for the process."""
    return read_model(MODEL_DIR)


def classify_outcomes(texts, timescales=None) -> list[OutcomeVerdict]:
    return load_model().classify(texts, timescales)


def explain_outcomes(texts, timescales=None) -> list[SmartParts]:
    return load_model().explain(texts, timescales)

"""The provision model shipped in the package: numpy weights and their metadata, loaded
once per process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa_app.classifier.provision.model import CompiledProvisionModel
from qa_app.classifier.provision.verdicts import ProvisionVerdict
from qa_app.classifier.shipped import ModelUnavailable

PROVISION_MODEL_DIR = Path(__file__).resolve().parent.parent / "model"
PROVISION_COMPILED_FILE = "provision_model.npz"
PROVISION_METADATA_FILE = "provision_model.json"


@dataclass(frozen=True)
class ShippedProvisionModel:
    model: CompiledProvisionModel
    metadata: dict

    @property
    def version(self) -> str:
        return self.metadata["version"]

    def classify(self, texts) -> list[ProvisionVerdict]:
        texts = ["" if text is None else str(text) for text in texts]
        return self.model.verdicts(texts) if texts else []


def read_provision_model(directory: Path = PROVISION_MODEL_DIR) -> ShippedProvisionModel:
    model_path, metadata_path = (
        directory / PROVISION_COMPILED_FILE,
        directory / PROVISION_METADATA_FILE,
    )
    if not model_path.exists() or not metadata_path.exists():
        raise ModelUnavailable(
            "No trained provision model found; run `qa-app train --kind provision` first."
        )
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    return ShippedProvisionModel(CompiledProvisionModel.load(model_path), metadata)


@lru_cache(maxsize=1)
def load_provision_model() -> ShippedProvisionModel:
    return read_provision_model()


def classify_provision(texts) -> list[ProvisionVerdict]:
    return load_provision_model().classify(texts)

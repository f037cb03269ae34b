"""The provision model shipped in the package: numpy weights and their metadata, loaded
once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa_app.classifier.provision.model import CompiledProvisionModel
from qa_app.classifier.provision.verdicts import ProvisionVerdict
from qa_app.classifier.shipped import Shipped, as_texts, read_files

PROVISION_MODEL_DIR = Path(__file__).resolve().parent.parent / "model"
PROVISION_COMPILED_FILE = "provision_model.npz"
PROVISION_METADATA_FILE = "provision_model.json"


@dataclass(frozen=True)
class ShippedProvisionModel(Shipped):
    model: CompiledProvisionModel

    def classify(self, texts) -> list[ProvisionVerdict]:
        texts = as_texts(texts)
        return self.model.verdicts(texts) if texts else []


def read_provision_model(directory: Path = PROVISION_MODEL_DIR) -> ShippedProvisionModel:
    model_path, metadata = read_files(
        directory,
        PROVISION_COMPILED_FILE,
        PROVISION_METADATA_FILE,
        "No trained provision model found; run `qa-app train --kind provision` first.",
    )
    return ShippedProvisionModel(CompiledProvisionModel.load(model_path), metadata)


@lru_cache(maxsize=1)
def load_provision_model() -> ShippedProvisionModel:
    return read_provision_model()


def classify_provision(texts) -> list[ProvisionVerdict]:
    return load_provision_model().classify(texts)

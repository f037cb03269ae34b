"""The labelled provision items: reading and checking ``data/provision/provision.csv``.

Each row has ``id, text, label, reasons, section, need_area, style, source``; ``label``
is ``weak`` or ``specified``; a weak item has at least one reason code and a specified
one none; ``source`` is ``written`` or the address of a published example.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa_app.classifier.dataset import (
    NEED_AREAS,
    DatasetError,
    file_sha256,
    read_records,
    weak_and_reasons,
)
from qa_app.classifier.provision.reasons import PROVISION_REASON_CODES, parse_provision_reasons
from qa_app.settings import PROJECT_ROOT

PROVISION_DATASET_PATH = PROJECT_ROOT / "data" / "provision" / "provision.csv"
PROVISION_COLUMNS = ("id", "text", "label", "reasons", "section", "need_area", "style", "source")
PROVISION_SECTIONS = ("F", "G", "H1", "H2")


@dataclass(frozen=True)
class LabelledProvision:
    id: str
    text: str
    weak: bool
    reasons: tuple[str, ...]
    section: str
    need_area: str
    style: str
    source: str


@dataclass(frozen=True)
class ProvisionDataset:
    rows: tuple[LabelledProvision, ...]
    sha256: str

    @property
    def texts(self) -> list[str]:
        return [row.text for row in self.rows]

    @property
    def inputs(self) -> list[str]:
        """What the classifier reads of each item: its text."""
        return self.texts

    @property
    def targets(self) -> np.ndarray:
        """The weak label, then one column per reason code."""
        return np.array(
            [
                [row.weak, *(code in row.reasons for code in PROVISION_REASON_CODES)]
                for row in self.rows
            ],
            dtype=int,
        )

    @property
    def groups(self) -> list[str]:
        """The writing style of each row: what grouped cross-validation holds out."""
        return [row.style for row in self.rows]

    def subset(self, indices) -> ProvisionDataset:
        return ProvisionDataset(tuple(self.rows[i] for i in indices), self.sha256)


def load_provision_dataset(path: Path = PROVISION_DATASET_PATH) -> ProvisionDataset:
    records = read_records(path, PROVISION_COLUMNS)
    rows = tuple(_parse_row(line, record) for line, record in records)
    return ProvisionDataset(rows, file_sha256(path))


def _parse_row(line: int, record: dict[str, str]) -> LabelledProvision:
    def fail(message: str) -> DatasetError:
        return DatasetError(f"line {line}: {message}")

    weak, reasons = weak_and_reasons(line, record, parse_provision_reasons, "specified", "items")
    if record["section"] not in PROVISION_SECTIONS:
        raise fail(f"unknown section {record['section']!r}")
    if record["need_area"] not in NEED_AREAS:
        raise fail(f"unknown need_area {record['need_area']!r}")
    source = record["source"].strip()
    if source != "written" and not source.startswith(("https://", "http://")):
        raise fail("source must be 'written' or the address of a published example")
    if not record["style"].strip():
        raise fail("empty style")
    return LabelledProvision(
        id=record["id"],
        text=record["text"],
        weak=weak,
        reasons=reasons,
        section=record["section"],
        need_area=record["need_area"],
        style=record["style"],
        source=source,
    )

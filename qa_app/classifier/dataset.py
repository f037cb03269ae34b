"""The hand-labelled outcome statements: reading, checking and fingerprinting them.

Each row has ``id, text, label, reasons, need_area, phase, pfa_domain``; ``label`` is
``weak`` or ``strong`` and ``reasons`` holds semicolon-separated reason codes (at least one
for a weak statement, none for a strong one).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa_app.classifier.reasons import REASON_CODES, parse_reasons
from qa_app.settings import PROJECT_ROOT

DATASET_PATH = PROJECT_ROOT / "data" / "outcomes" / "outcomes.csv"
COLUMNS = ("id", "text", "label", "reasons", "need_area", "phase", "pfa_domain")
NEED_AREAS = ("communication_interaction", "cognition_learning", "semh", "sensory_physical")
PHASES = ("early_years", "primary", "secondary", "post16", "post19")
PFA_DOMAINS = ("employment", "independent_living", "community_inclusion", "health")


class DatasetError(ValueError):
    """The labelled dataset breaks one of its rules."""


@dataclass(frozen=True)
class LabelledOutcome:
    id: str
    text: str
    weak: bool
    reasons: tuple[str, ...]
    need_area: str
    phase: str
    pfa_domain: str


@dataclass(frozen=True)
class Dataset:
    rows: tuple[LabelledOutcome, ...]
    sha256: str

    @property
    def texts(self) -> list[str]:
        return [row.text for row in self.rows]

    @property
    def targets(self) -> np.ndarray:
        """One row per statement: the weak label, then one column per reason code."""
        return np.array(
            [[row.weak, *(code in row.reasons for code in REASON_CODES)] for row in self.rows],
            dtype=int,
        )

    def subset(self, indices) -> Dataset:
        return Dataset(tuple(self.rows[i] for i in indices), self.sha256)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_dataset(path: Path = DATASET_PATH) -> Dataset:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DatasetError(f"expected columns {', '.join(COLUMNS)}")
        rows = tuple(_parse_row(line, record) for line, record in enumerate(reader, start=2))
    return Dataset(rows, file_sha256(path))


def _parse_row(line: int, record: dict[str, str]) -> LabelledOutcome:
    def fail(message: str) -> DatasetError:
        return DatasetError(f"line {line}: {message}")

    if record["label"] not in ("weak", "strong"):
        raise fail(f"label must be weak or strong, not {record['label']!r}")
    try:
        reasons = parse_reasons(record["reasons"])
    except ValueError as exc:
        raise fail(str(exc)) from None
    weak = record["label"] == "weak"
    if weak != bool(reasons):
        raise fail("weak statements need reason codes and strong ones must have none")
    if not record["text"].strip():
        raise fail("empty text")
    for column, allowed in (("need_area", NEED_AREAS), ("phase", PHASES)):
        if record[column] not in allowed:
            raise fail(f"unknown {column} {record[column]!r}")
    if record["pfa_domain"] and record["pfa_domain"] not in PFA_DOMAINS:
        raise fail(f"unknown pfa_domain {record['pfa_domain']!r}")
    return LabelledOutcome(
        id=record["id"],
        text=record["text"],
        weak=weak,
        reasons=reasons,
        need_area=record["need_area"],
        phase=record["phase"],
        pfa_domain=record["pfa_domain"],
    )

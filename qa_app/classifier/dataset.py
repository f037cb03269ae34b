"""The labelled outcome statements: reading, checking and fingerprinting them.

Each row has ``id, text, timescale, label, reasons, kind, need_area, phase, pfa_domain,
group, source``. ``timescale`` is the outcome's own "by when" field (empty when the plan
gives none apart from the text); ``label`` is ``weak`` or ``strong`` and ``reasons`` holds
semicolon-separated reason codes (at least one for a weak statement, none for a strong
one). ``kind`` is the sort of plan statement (``KINDS``), ``group`` the writer or style it
comes from (cross-validation keeps each group on one side), and ``source`` is ``written``
for statements written for this project or the address of a published example.

The contrast set (``contrast.csv``) holds minimal pairs used only as a test.
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
CONTRAST_PATH = PROJECT_ROOT / "data" / "outcomes" / "contrast.csv"
COLUMNS = (
    "id",
    "text",
    "timescale",
    "label",
    "reasons",
    "kind",
    "need_area",
    "phase",
    "pfa_domain",
    "group",
    "source",
)
CONTRAST_COLUMNS = ("pair", "change", "text", "timescale", "label", "reasons", "phase")
KINDS = ("ehcp", "pfa", "iep_goal", "post_school")
CONTRAST_CHANGES = ("criterion", "timescale", "timescale_field", "provision")
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
    timescale: str = ""
    kind: str = ""
    group: str = ""
    source: str = "written"


@dataclass(frozen=True)
class Dataset:
    rows: tuple[LabelledOutcome, ...]
    sha256: str

    @property
    def texts(self) -> list[str]:
        return [row.text for row in self.rows]

    @property
    def inputs(self) -> list[tuple[str, str]]:
        """What the classifier reads of each outcome: its text and its timescale field."""
        return [(row.text, row.timescale) for row in self.rows]

    @property
    def groups(self) -> list[str]:
        return [row.group for row in self.rows]

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


def read_records(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a labelled CSV file with its line numbers, once its header is checked."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise DatasetError(f"expected columns {', '.join(columns)}")
        return list(enumerate(reader, start=2))


def weak_and_reasons(
    line: int, record: dict[str, str], parse, strong: str, things: str
) -> tuple[bool, tuple[str, ...]]:
    """A row's label (``weak`` or ``strong``) and reason codes, which a weak row must
    have and a ``strong`` one must not; its text must not be empty."""

    def fail(message: str) -> DatasetError:
        return DatasetError(f"line {line}: {message}")

    if record["label"] not in ("weak", strong):
        raise fail(f"label must be weak or {strong}, not {record['label']!r}")
    try:
        reasons = parse(record["reasons"])
    except ValueError as exc:
        raise fail(str(exc)) from None
    weak = record["label"] == "weak"
    if weak != bool(reasons):
        raise fail(f"weak {things} need reason codes and {strong} ones must have none")
    if not record["text"].strip():
        raise fail("empty text")
    return weak, reasons


def load_dataset(path: Path = DATASET_PATH) -> Dataset:
    rows = tuple(_parse_row(line, record) for line, record in read_records(path, COLUMNS))
    return Dataset(rows, file_sha256(path))


@dataclass(frozen=True)
class ContrastPair:
    pair: str
    change: str
    strong: LabelledOutcome
    weak: LabelledOutcome


def load_contrast_set(path: Path = CONTRAST_PATH) -> tuple[ContrastPair, ...]:
    """Minimal pairs: the same statement strong, and weak in one respect (``change``)."""
    by_pair: dict[str, dict[str, LabelledOutcome]] = {}
    changes: dict[str, str] = {}
    for line, record in read_records(path, CONTRAST_COLUMNS):
        if record["change"] not in CONTRAST_CHANGES:
            raise DatasetError(f"line {line}: unknown change {record['change']!r}")
        row = _parse_row(
            line,
            {
                **record,
                "id": f"{record['pair']}-{record['label']}",
                "need_area": "",
                "pfa_domain": "",
                "kind": "ehcp",
                "group": "contrast",
                "source": "written",
            },
            check_area=False,
        )
        by_pair.setdefault(record["pair"], {})[record["label"]] = row
        changes[record["pair"]] = record["change"]
    pairs = []
    for name, members in by_pair.items():
        if set(members) != {"weak", "strong"}:
            raise DatasetError(f"pair {name} needs one weak and one strong statement")
        pairs.append(ContrastPair(name, changes[name], members["strong"], members["weak"]))
    return tuple(pairs)


def _parse_row(line: int, record: dict[str, str], check_area: bool = True) -> LabelledOutcome:
    def fail(message: str) -> DatasetError:
        return DatasetError(f"line {line}: {message}")

    weak, reasons = weak_and_reasons(line, record, parse_reasons, "strong", "statements")
    checks = (("need_area", NEED_AREAS), ("phase", PHASES), ("kind", KINDS))
    for column, allowed in checks if check_area else checks[1:2]:
        if record[column] not in allowed:
            raise fail(f"unknown {column} {record[column]!r}")
    if record["pfa_domain"] and record["pfa_domain"] not in PFA_DOMAINS:
        raise fail(f"unknown pfa_domain {record['pfa_domain']!r}")
    source = record["source"].strip()
    if source != "written" and not source.startswith("https://"):
        raise fail("source must be 'written' or the https:// address of a published example")
    if not record["group"].strip():
        raise fail("empty group")
    return LabelledOutcome(
        id=record["id"],
        text=record["text"],
        weak=weak,
        reasons=reasons,
        need_area=record["need_area"],
        phase=record["phase"],
        pfa_domain=record["pfa_domain"],
        timescale=record["timescale"].strip(),
        kind=record["kind"],
        group=record["group"].strip(),
        source=source,
    )

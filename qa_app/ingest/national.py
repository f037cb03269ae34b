"""The national EHCP template (tested in the DfE Change Programme areas), read into the
same sections A-K as every other layout.

That template is not lettered. Personal details come first; then history and the views,
interests and aspirations of the child and family; then, area of need by area of need,
numbered needs, provision and outcomes ("Communication and interaction need 1",
"... provision 1", "... outcome 1"), with health care and social care written in the same
pattern; then placement, personal budget, and advice and information.

It is read as: history, views, interests and aspirations into A; education needs into B,
health needs into C and social care needs into D; outcomes into E with their area;
education provision into F, health provision into G and social care provision into H1 or
H2 (H2 unless the label says H1); placement into I; personal budget into J; advice into K.
Each numbered need, provision item and outcome keeps its link (``"communication_interaction:1"``)
so the golden thread can pair them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_app.ingest.blocks import Block, Cell, Paragraph, Table, block_text
from qa_app.ingest.outcomes import (
    NEED_AREA_CODES,
    Outcome,
    Provision,
    canonical_area,
    read_outcomes,
    read_provision,
)
from qa_app.ingest.sections import SectionSplit


@dataclass(frozen=True)
class Need:
    """A need as the plan numbers it: its section (B, C or D), area and link."""

    text: str
    section: str
    area: str
    link: str


@dataclass(frozen=True)
class _Label:
    kind: str  # need, provision or outcome
    area: str
    code: str
    number: int
    h_part: str | None  # H1 or H2, for social care provision
    rest: str

    @property
    def link(self) -> str:
        return f"{self.code}:{self.number}"

    @property
    def section(self) -> str:
        if self.kind == "outcome":
            return "E"
        if self.code == "health":
            return "C" if self.kind == "need" else "G"
        if self.code == "social_care":
            return "D" if self.kind == "need" else (self.h_part or "H2")
        return "B" if self.kind == "need" else "F"


@dataclass
class NationalReading:
    split: SectionSplit
    needs: list[Need]
    outcomes: list[Outcome]
    provision: list[Provision]


_LINK_LABEL = re.compile(
    r"^(?P<area>[A-Za-z][A-Za-z ,&/'’-]{2,60}?)\s+(?:\(?(?P<h1>H\s?[12])\)?\s+)?"
    r"(?P<kind>needs?|provision|outcomes?)\s*(?:\(?(?P<h2>H\s?[12])\)?\s*)?(?:no\.?\s*)?(?P<number>\d{1,2})\b"
    r"\s*[:.)\-–—]?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_HEALTH = re.compile(
    r"^(?:health(?:\s+care)?|physical\s+health|health\s+and\s+wellbeing)$", re.IGNORECASE
)
_SOCIAL_CARE = re.compile(r"^social\s+care$", re.IGNORECASE)
_TITLES: list[tuple[str | None, re.Pattern[str]]] = [
    (
        None,
        re.compile(
            r"^(?:personal|my)\s+details\b|^about\s+the\s+plan\b|^contact\s+details\b",
            re.IGNORECASE,
        ),
    ),
    (
        "A",
        re.compile(
            r"^(?:(?:my|our|the\s+child['’]s|young\s+person['’]s)\s+)?(?:history|story|background)\b"
            r"|^(?:my\s+|our\s+)?views|interests|aspirations|^(?:all\s+)?about\s+me\b|^what\s+(?:people|others)\s+like",
            re.IGNORECASE,
        ),
    ),
    (
        "I",
        re.compile(r"^(?:educational\s+)?placement\b|^name\s+(?:and|&)\s+type\s+of", re.IGNORECASE),
    ),
    ("J", re.compile(r"^personal\s+budget|^direct\s+payments?", re.IGNORECASE)),
    (
        "K",
        re.compile(
            r"^advice\s+(?:and|&)\s+information|^information\s+(?:and|&)\s+advice", re.IGNORECASE
        ),
    ),
]
_MAX_TITLE_WORDS = 12


def read_label(text: str) -> _Label | None:
    """The numbered need, provision or outcome a label names, or None."""
    match = _LINK_LABEL.match(" ".join(text.split()))
    if match is None:
        return None
    area_text = match["area"].strip()
    named = canonical_area(area_text)
    if named in NEED_AREA_CODES:
        area, code = named, NEED_AREA_CODES[named]
    elif _HEALTH.match(area_text):
        area, code = "Health", "health"
    elif _SOCIAL_CARE.match(area_text):
        area, code = "Social care", "social_care"
    else:
        return None
    h_part = match["h1"] or match["h2"]
    kind = (
        match["kind"].lower().rstrip("s") if match["kind"].lower() != "provision" else "provision"
    )
    return _Label(
        kind,
        area,
        code,
        int(match["number"]),
        h_part and h_part.replace(" ", "").upper(),
        match["rest"].strip(),
    )


def is_national_template(blocks: list[Block]) -> bool:
    """Two or more numbered need, provision or outcome labels mark the national template."""
    found = 0
    for text in _first_texts(blocks):
        if read_label(text) is not None:
            found += 1
            if found >= 2:
                return True
    return False


def _first_texts(blocks: list[Block]):
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            for row in block.rows:
                if row and row[0].paragraphs:
                    yield row[0].paragraphs[0].text
                for cell in row:
                    for inner in cell.blocks:
                        if isinstance(inner, Table):
                            yield from _first_texts([inner])


def _title(text: str) -> tuple[bool, str | None]:
    """(is a title, the section it opens: None for personal details)."""
    if len(text.split()) > _MAX_TITLE_WORDS:
        return False, None
    cleaned = re.sub(r"^\d+(?:\.\d+)*[.)]?\s*", "", text.strip()).rstrip(":").strip()
    for section, pattern in _TITLES:
        if pattern.search(cleaned):
            return True, section
    return False, None


class _Reader:
    def __init__(self) -> None:
        self.split = SectionSplit()
        self.target: str | _Label | None = None  # a section key, a label, or the preamble
        self.content: dict[int, list[Block]] = {}
        self.labels: list[_Label] = []

    def read(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self._paragraph(block)
            elif self._is_label_table(block):
                for row in block.rows:
                    self._row(row)
            else:
                self._add(block)

    def _is_label_table(self, table: Table) -> bool:
        return any(
            row and row[0].paragraphs and read_label(row[0].paragraphs[0].text)
            for row in table.rows
        )

    def _row(self, row: tuple[Cell, ...]) -> None:
        first = row[0].paragraphs[0].text if row and row[0].paragraphs else ""
        label = read_label(first)
        if label is None:
            self._add(Table((row,)))
            return
        self._open_label(label)
        for cell in row[1:]:
            for block in cell.blocks:
                self._add(block)

    def _paragraph(self, paragraph: Paragraph) -> None:
        label = read_label(paragraph.text) if not paragraph.is_list_item else None
        if label is not None and (
            paragraph.bold
            or paragraph.heading_level is not None
            or paragraph.bold_prefix
            or label.rest == ""
            or len(paragraph.text) < 120
        ):
            self._open_label(label)
            return
        is_title, section = (
            _title(paragraph.text)
            if (paragraph.heading_level is not None or paragraph.bold)
            else (False, None)
        )
        if is_title:
            self._open_section(section)
            return
        if (
            (paragraph.heading_level is not None or paragraph.bold)
            and canonical_area(paragraph.text)
            and len(paragraph.text.split()) <= 8
        ):
            return  # an area-of-need heading: its labels carry the area
        self._add(paragraph)

    def _open_section(self, section: str | None) -> None:
        self.target = section
        if section is not None:
            self.split.sections.setdefault(section, [])

    def _open_label(self, label: _Label) -> None:
        self.target = label
        self.labels.append(label)
        self.content[id(label)] = []
        self.split.sections.setdefault(label.section, []).append(
            Paragraph(f"{label.area} {label.kind} {label.number}", bold=True)
        )
        if label.rest:
            self._add(Paragraph(label.rest))

    def _add(self, block: Block) -> None:
        if self.target is None:
            self.split.preamble.append(block)
        elif isinstance(self.target, str):
            self.split.sections[self.target].append(block)
        else:
            self.content[id(self.target)].append(block)
            self.split.sections[self.target.section].append(block)


def read_national(blocks: list[Block]) -> NationalReading:
    reader = _Reader()
    reader.read(blocks)
    needs, outcomes, provision = [], [], []
    for label in reader.labels:
        content = reader.content[id(label)]
        text = "\n".join(t for t in (block_text(b) for b in content) if t).strip()
        if not text:
            continue
        if label.kind == "need":
            needs.append(Need(" ".join(text.split()), label.section, label.area, label.link))
        elif label.kind == "outcome":
            found = read_outcomes(content) or [Outcome(" ".join(text.split()))]
            outcomes.extend(
                Outcome(o.text, label.area, o.timescale, o.steps, label.link) for o in found
            )
        else:
            items = read_provision(content) or [" ".join(text.split())]
            provision.extend(
                Provision(item, label.section, label.area, label.link) for item in items
            )
    ordered = {key: reader.split.sections[key] for key in _ORDER if key in reader.split.sections}
    reader.split.sections = ordered
    return NationalReading(reader.split, needs, outcomes, provision)


_ORDER = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]

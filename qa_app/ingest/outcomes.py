"""Outcome statements from section E and provision items from sections F, G and H.

Section E is written as paragraphs, bullet or numbered lists, lists under need-area or
Preparing-for-Adulthood sub-headings, or tables. In a table the outcome column is found by
its header ("Outcome", "Long-term outcome", "What we want to achieve"), with the area,
timescale and steps columns when there are any. Interim steps and short-term targets
(a steps column, a "Steps towards this outcome" list, sub-items under a listed outcome)
are kept as the steps of the outcome they follow, never as outcomes of their own. An
outcome written in one cell as "Area: outcome (Timescale: ...)" gives its area and
timescale as fields and keeps the outcome alone as its text.

Provision is read the same way; the other columns of a provision table (who, how often,
group size) are kept with the item, since they are what makes provision specific.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa_app.ingest.blocks import Block, Cell, Paragraph, Table


@dataclass(frozen=True)
class Outcome:
    """One outcome as read. ``area`` is the plan's own wording; ``need_area`` is its code
    (see ``need_area_code``). ``link`` numbers the need-provision-outcome group it belongs
    to where the plan numbers them (the national template), else it is empty."""

    text: str
    area: str = ""
    timescale: str = ""
    steps: tuple[str, ...] = ()
    link: str = ""

    @property
    def need_area(self) -> str | None:
        return need_area_code(self.area, self.text)


@dataclass(frozen=True)
class Provision:
    """One provision item: its section (F, G, H1 or H2) and, as for outcomes, the area it
    is written under and its numbered link where the plan gives one."""

    text: str
    section: str = "F"
    area: str = ""
    link: str = ""


# Keys are the names in plan_facts.NEED_AREAS and plan_facts.PFA_DOMAINS.
_AREA_NAMES = {
    "Communication and interaction": r"communication\s*(?:and|&)\s*interaction",
    "Cognition and learning": r"cognition\s*(?:and|&)\s*learning",
    "Social, emotional and mental health": r"social,?\s*emotional,?\s*(?:and|&)\s*mental\s+health|\bsemh\b",
    "Sensory and/or physical": r"sensory\s*(?:and|&|and/or|/)\s*(?:/\s*or\s+)?physical|physical\s*(?:and|&|/)\s*sensory",
    "Employment and further education": r"employment|further\s+education|higher\s+education|paid\s+work",
    "Independent living": r"independen(?:t|ce)\s+living|independence",
    "Community inclusion": r"community\s+(?:inclusion|participation)|friends,?\s+relationships|relationships\s+and\s+community",
    "Health": r"^(?:good\s+)?health(?:y)?(?:\s+(?:and\s+wellbeing|living))?$",
}

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_TIMESCALE = re.compile(
    r"\b(?:by|before|within|at)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?"
    r"(?:(?:autumn|spring|summer)\s+(?:term|half[-\s]term)(?:\s+(?:of\s+)?(?:year\s+\d{1,2}|\d{4}))?"
    r"|key\s+stage\s+\d|ks\s?\d|year\s+\d{1,2}|reception|nursery|academic\s+year(?:\s+\d{4}(?:[/-]\d{2,4})?)?"
    rf"|{_MONTH}\s+\d{{4}}|\d{{4}}|(?:\d+|one|two|three|six|twelve)\s+(?:weeks?|months?|years?)"
    r"|(?:his|her|their)\s+next\s+annual\s+review|next\s+annual\s+review|(?:primary|secondary)\s+school|college)\b",
    re.IGNORECASE,
)
_OUTCOME_PREFIX = re.compile(r"^(?:long[-\s]term\s+)?outcome\s*\d*\s*[:.)\-–]\s*", re.IGNORECASE)
_NOT_OUTCOME_HEADINGS = re.compile(
    r"step|target|short[-\s]term|interim|provision|strateg|support|how\s+(?:we|will)|who\s+will|review",
    re.IGNORECASE,
)
_OUTCOME_LIKE = re.compile(
    r"\b(?:will|to\s+be\s+able|be\s+able\s+to|can|I\s+would\s+like|I\s+want)\b", re.IGNORECASE
)

_OUTCOME_HEADER = re.compile(
    r"outcome|what\s+(?:we|i|they)\s+(?:want|would\s+like)|what\s+i\s+will\s+achieve|aim",
    re.IGNORECASE,
)
_SECONDARY_HEADER = re.compile(
    r"short|interim|step|target|progress|provision|support", re.IGNORECASE
)
_AREA_HEADER = re.compile(r"area|need|domain|pfa|preparing\s+for\s+adulthood|theme", re.IGNORECASE)
_TIMESCALE_HEADER = re.compile(
    r"by\s+when|timescale|time\s*frame|when|date|by\s+the\s+end|^by$", re.IGNORECASE
)
_PROVISION_HEADER = re.compile(
    r"provision|support|intervention|what\s+(?:will\s+be\s+)?provided|description|what\b",
    re.IGNORECASE,
)


# Codes as in the outcome data set (classifier/dataset.NEED_AREAS).
NEED_AREA_CODES = {
    "Communication and interaction": "communication_interaction",
    "Cognition and learning": "cognition_learning",
    "Social, emotional and mental health": "semh",
    "Sensory and/or physical": "sensory_physical",
}
# Words that place an outcome in a need area when the plan names none; the first area
# whose words the text holds wins, so the order runs from the most to the least telling.
_NEED_AREA_CUES = [
    (
        "semh",
        r"\b(?:calm\w*|anxi\w*|emotion\w*|feelings?|upset|angry|anger|worr\w*|regulat\w*|self-?esteem|confiden\w*|mental\s+health|wellbeing|friendships?)\b",
    ),
    (
        "communication_interaction",
        r"\b(?:conversations?|speech|speak\w*|talk\w*|language|vocabulary|communicat\w*|signs?|makaton|aac|turn-?taking|eye\s+contact|listen\w*|ask\w*\s+for\s+help)\b",
    ),
    (
        "cognition_learning",
        r"\b(?:read\w*|writ\w*|spell\w*|phonics|maths|number\w*|count\w*|sight\s+words|sentences?|books?|add\w*|subtract\w*|times\s+tables|learning)\b",
    ),
    (
        "sensory_physical",
        r"\b(?:motor|handwriting|walk\w*|mobility|balance|wheelchair|hearing|visual|vision|sensory|dress\w*|toilet\w*|physio\w*|grip|scissors|stairs)\b",
    ),
]


def need_area_code(area: str, text: str = "") -> str | None:
    """The need-area code of an outcome: from its area when that names a broad area of
    need, else from the words of the outcome itself; None when neither tells."""
    named = canonical_area(area) if area else None
    if named in NEED_AREA_CODES:
        return NEED_AREA_CODES[named]
    lowered = text.lower()
    for code, pattern in _NEED_AREA_CUES:
        if re.search(pattern, lowered):
            return code
    return None


def canonical_area(text: str) -> str | None:
    lowered = text.strip().rstrip(":").strip().lower()
    for name, pattern in _AREA_NAMES.items():
        if re.search(pattern, lowered):
            return name
    return None


def timescale_in(text: str) -> str:
    match = _TIMESCALE.search(text)
    return match.group().strip() if match else ""


def _clean_heading(text: str) -> str:
    text = re.sub(
        r"^(?:\(?[a-z0-9]{1,2}[.)]\s*|\d+(?:\.\d+)*\s+)", "", text.strip(), flags=re.IGNORECASE
    )
    return text.rstrip(":").strip()


def _is_subheading(paragraph: Paragraph) -> bool:
    words = len(paragraph.text.split())
    if paragraph.is_list_item and not paragraph.bold:
        return False
    if paragraph.heading_level is not None or (paragraph.bold and words <= 14):
        return True
    if paragraph.text.endswith(":") and words <= 10:
        return True
    return words <= 6 and canonical_area(paragraph.text) is not None


_STEPS_HEADING = re.compile(r"step|target|short[-\s]term|interim|milestone", re.IGNORECASE)
_AREA_LEAD = re.compile(
    r"^(?P<area>[A-Za-z ,&/()-]{4,70}?)\s*[:\u2013\u2014-]\s+(?P<rest>.+)$", re.DOTALL
)
_TIMESCALE_TAIL = re.compile(
    r"[\s.;,]*[(\[]\s*(?:timescale|time\s*frame|by\s+when|review\s+date|target\s+date|when)\s*[:\-\u2013]\s*"
    r"(?P<when>[^)\]]+?)\s*[)\]]\s*\.?$"
    r"|[\s.;,]+(?:timescale|time\s*frame|by\s+when)\s*[:\-\u2013]\s*(?P<when2>[^.;]+?)\s*\.?$",
    re.IGNORECASE,
)


def split_outcome_cell(text: str) -> tuple[str, str, str]:
    """(area, outcome, timescale) of a one-cell outcome such as
    "Communication and interaction: Sam will ... (Timescale: July 2026)"; the area or the
    timescale is empty when the text names none."""
    area = timescale = ""
    lead = _AREA_LEAD.match(text)
    if lead and canonical_area(lead["area"]) is not None:
        area, text = canonical_area(lead["area"]), lead["rest"].strip()
    tail = _TIMESCALE_TAIL.search(text)
    if tail and tail.start() > 0:
        timescale = (tail["when"] or tail["when2"]).strip()
        text = text[: tail.start()].rstrip(" ;,")
        if not text.endswith((".", "!", "?")):
            text += "."
    return area, text, timescale


class _OutcomeReader:
    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.area = ""
        self.timescale = ""
        self.skipping = False
        self.in_steps = False
        self.after_listed_outcome = False

    def read(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self._paragraph(block)
            else:
                self._table(block)

    def _paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text.strip()
        if paragraph.list_level and self.after_listed_outcome:
            self._add_step(text)  # a sub-item under a listed outcome is one of its steps
            return
        self.after_listed_outcome = paragraph.list_level == 0
        lead_area = (
            canonical_area(paragraph.bold_prefix)
            if paragraph.bold_prefix and not paragraph.bold
            else None
        )
        prefixed = _OUTCOME_PREFIX.match(text)
        if lead_area:
            self._leave_steps()
            self._add(text[len(paragraph.bold_prefix) :].strip(" :\u2013-"), lead_area)
        elif prefixed and len(text) > prefixed.end() + 3:
            self._leave_steps()
            self._add(text[prefixed.end() :])
        elif _is_subheading(paragraph):
            self._heading(text)
        elif not paragraph.is_list_item and split_outcome_cell(text)[0]:
            self._leave_steps()  # "Area: outcome" opens an outcome, even among steps
            self._add(text)
        elif self.in_steps:
            self._add_step(text)
        elif self.skipping:
            return
        elif paragraph.is_list_item or (
            _OUTCOME_LIKE.search(text) and not re.search(r"\boutcomes?\b", text, re.IGNORECASE)
        ):
            self._add(text)

    def _leave_steps(self) -> None:
        self.skipping = self.in_steps = False

    def _heading(self, text: str) -> None:
        heading = _clean_heading(text)
        if _NOT_OUTCOME_HEADINGS.search(heading):
            self.skipping = True
            self.in_steps = bool(self.outcomes) and bool(_STEPS_HEADING.search(heading))
            return
        self._leave_steps()
        area = canonical_area(heading)
        if area:
            self.area = area
        elif re.match(r"^(?:by|before|within)\b", heading, re.IGNORECASE):
            self.timescale = heading
        elif not re.search(r"\boutcomes?\b", heading, re.IGNORECASE):
            self.area = heading

    def _add(
        self, text: str, area: str = "", timescale: str = "", steps: tuple[str, ...] = ()
    ) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        cell_area, text, cell_timescale = split_outcome_cell(text)
        if len(text.split()) < 3:
            return
        self.outcomes.append(
            Outcome(
                text,
                cell_area or area or self.area,
                cell_timescale or timescale or timescale_in(text) or self.timescale,
                steps,
            )
        )

    def _add_step(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        if self.outcomes and len(text.split()) >= 2:
            last = self.outcomes[-1]
            self.outcomes[-1] = replace(last, steps=(*last.steps, text))

    def _table(self, table: Table) -> None:
        layout = _columns(table, _OUTCOME_HEADER, secondary=_SECONDARY_HEADER)
        if layout is None:
            if _is_area_table(table):
                for row in table.rows:
                    area = canonical_area(row[0].text) or self.area
                    for cell in row[1:]:
                        for text in _cell_items(cell):
                            self._add(text, area)
                return
            for row in table.rows:
                for cell in row:
                    self.read(list(cell.blocks))
            return
        header_row, main, area_column, time_column = layout
        headers = [cell.text.strip() for cell in table.rows[header_row]]
        step_column = next(
            (i for i, h in enumerate(headers) if i != main and _STEPS_HEADING.search(h)), None
        )
        area = self.area
        for row in table.rows[header_row + 1 :]:
            if main >= len(row):
                continue
            if area_column is not None and area_column < len(row) and row[area_column].text.strip():
                cell_area = row[area_column].text.strip()
                area = canonical_area(cell_area) or _clean_heading(cell_area.splitlines()[0])
            timescale = (
                row[time_column].text.strip().replace("\n", "; ")
                if time_column is not None and time_column < len(row)
                else ""
            )
            steps = tuple(
                _step_items(row[step_column])
                if step_column is not None and step_column < len(row)
                else ()
            )
            outcome_cell, cell_steps = _split_steps(row[main])
            items = _cell_items(outcome_cell)
            for text in items:
                self._add(text, area, timescale, (*steps, *cell_steps) if len(items) == 1 else ())


def _step_items(cell: Cell) -> list[str]:
    return [
        re.sub(r"\s+", " ", p.text).strip() for p in cell.paragraphs if len(p.text.split()) >= 2
    ]


def _split_steps(cell: Cell) -> tuple[Cell, tuple[str, ...]]:
    """An outcome cell that goes on with "Interim steps:" (or "Short-term targets") and a
    list: the cell with the outcome alone, and the steps."""
    paragraphs = cell.paragraphs
    for index, paragraph in enumerate(paragraphs):
        words = len(paragraph.text.split())
        if (
            index
            and words <= 8
            and _STEPS_HEADING.search(paragraph.text)
            and (
                paragraph.text.rstrip().endswith(":")
                or paragraph.bold
                or paragraph.heading_level is not None
            )
        ):
            steps = tuple(
                re.sub(r"\s+", " ", p.text).strip()
                for p in paragraphs[index + 1 :]
                if len(p.text.split()) >= 2
            )
            return Cell(tuple(paragraphs[:index])), steps
    return cell, ()


def _cell_items(cell: Cell) -> list[str]:
    """One item per list item in a cell; a cell of plain paragraphs is one item."""
    paragraphs = cell.paragraphs
    listed = [p.text for p in paragraphs if p.is_list_item]
    if len(listed) >= 2:
        return listed
    text = " ".join(p.text for p in paragraphs)
    return [text] if text else []


def _is_area_table(table: Table) -> bool:
    first_cells = [row[0].text for row in table.rows if len(row) >= 2 and row[0].text.strip()]
    return bool(first_cells) and sum(canonical_area(t) is not None for t in first_cells) * 2 > len(
        first_cells
    )


def _columns(table: Table, main_header: re.Pattern[str], *, secondary: re.Pattern[str]):
    """(header row, main column, area column, timescale column) for a table with headers."""
    for index, row in enumerate(table.rows[:3]):
        headers = [cell.text.strip() for cell in row]
        if not any(headers) or any(len(h) > 80 for h in headers):
            continue
        candidates = [i for i, h in enumerate(headers) if main_header.search(h)]
        if not candidates:
            continue
        preferred = [i for i in candidates if not secondary.search(headers[i])]
        main = (preferred or candidates)[0]
        area = next(
            (
                i
                for i, h in enumerate(headers)
                if i != main and _AREA_HEADER.search(h) and not main_header.search(h)
            ),
            None,
        )
        timescale = next(
            (i for i, h in enumerate(headers) if i != main and _TIMESCALE_HEADER.search(h)), None
        )
        return index, main, area, timescale
    return None


def read_outcomes(blocks: list[Block]) -> list[Outcome]:
    reader = _OutcomeReader()
    reader.read(blocks)
    return reader.outcomes


def read_provision(blocks: list[Block]) -> list[str]:
    items: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            items.extend(_provision_rows(block))
        elif (
            not _is_subheading(block)
            and not block.text.endswith(":")
            and len(block.text.split()) >= 3
        ):
            items.append(re.sub(r"\s+", " ", block.text).strip())
    return items


_PROVISION_DETAIL_HEADER = re.compile(r"who|when|often|review", re.IGNORECASE)


def _provision_rows(table: Table) -> list[str]:
    layout = _columns(table, _PROVISION_HEADER, secondary=_PROVISION_DETAIL_HEADER)
    if layout is None:
        return _provision_without_headers(table)
    header_row, main, area_column, _ = layout
    headers = [cell.text.strip().rstrip(":") for cell in table.rows[header_row]]
    items: list[str] = []
    for row in table.rows[header_row + 1 :]:
        if main >= len(row):
            continue
        details = [
            f"{headers[i]}: {_one_line(row[i].text)}"
            for i in range(min(len(row), len(headers)))
            if i not in (main, area_column) and row[i].text.strip()
        ]
        items.extend("; ".join([text, *details]) for text in _cell_items(row[main]))
    return items


def _provision_without_headers(table: Table) -> list[str]:
    """A box of paragraphs (one column, or nested tables) is read like the section; any
    other table gives one item per row, a leading need-area cell dropped."""
    blocks = [block for row in table.rows for cell in row for block in cell.blocks]
    if all(len(row) == 1 for row in table.rows) or any(isinstance(b, Table) for b in blocks):
        return read_provision(blocks)
    items = []
    for row in table.rows:
        cells = [_one_line(cell.text) for cell in row]
        if len(cells) > 1 and canonical_area(cells[0]):
            cells = cells[1:]
        text = "; ".join(cell for cell in cells if cell)
        if len(text.split()) >= 3:
            items.append(text)
    return items


def _one_line(text: str) -> str:
    return text.strip().replace("\n", "; ")

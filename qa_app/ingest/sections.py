"""Finding sections A–K in a plan, whatever the council template.

A section starts at a *title*: a heading-styled or bold paragraph, a paragraph opening
with "Section X" or "Part X", or the first cell of a table row. A title names its section
by letter ("Section A:", "Part A –", "A.", "B)", "3. Outcomes (Section E)", a bare "F" in a
two-column table) or, when it carries no letter, by the statutory wording of the section
("Special educational provision").

Two rules keep sub-headings inside a section from being read as titles: a title known only
by its wording opens a section not seen before, and a bare letter ("A. Communication")
that would step back to an earlier section is taken as a sub-heading unless its words also
name that section.

A plan that combines H1 and H2 under one heading ("Section H", "H1 and H2") has one
section keyed ``H``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa_app.domain.plan_facts import SECTION_LETTERS
from qa_app.ingest.blocks import Block, Cell, Paragraph, Table

SECTION_ORDER = ["A", "B", "C", "D", "E", "F", "G", "H", "H1", "H2", "I", "J", "K"]

_LETTER = r"(H\s*1|H\s*2|[A-K])"
_JOINED_H = r"(?:\s*(?:and|&|/|\+|-|–)\s*H?\s*2)"
_NUMBERING = r"(?:\d+(?:\.\d+)*[.)]?\s+)?"
_NAMED = re.compile(
    rf"^{_NUMBERING}(?:sections?|part)\s+{_LETTER}(?P<joined>{_JOINED_H})?(?![\w])"
    r"\s*[:.)\-–—]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_BARE = re.compile(rf"^{_LETTER}(?P<joined>{_JOINED_H})?(?:\s*[.):\-–—]\s*(?P<rest>.*)|\s*)$")
_TRAILING = re.compile(
    rf"(?:\(\s*(?:sections?|part)?\s*{_LETTER}(?P<joined>{_JOINED_H})?\s*\)"
    rf"|[\-–—:,]\s*(?:sections?|part)\s+{_LETTER}(?P<joined2>{_JOINED_H})?)\s*[.:]?$",
    re.IGNORECASE,
)
_POSSESSOR = re.compile(
    r"^(?:the\s+|my\s+|description\s+of\s+(?:the\s+)?|summary\s+of\s+(?:the\s+)?)?"
    r"(?:(?:child|young\s+person|child\s+or\s+young\s+person|child/young\s+person|pupil)"
    r"(?:['’]s|s['’])?\s+)?",
    re.IGNORECASE,
)
_WORDING: list[tuple[str, re.Pattern[str]]] = [
    (
        "H1",
        re.compile(
            r"^social\s+care\s+provision.*(?:chronically\s+sick|csdpa|section\s+2\b|s\.?\s?2\b)",
            re.IGNORECASE,
        ),
    ),
    ("H2", re.compile(r"^(?:any\s+)?other\s+social\s+care\s+provision", re.IGNORECASE)),
    (
        "H2",
        re.compile(r"^social\s+care\s+provision.*(?:reasonably\s+required|other)", re.IGNORECASE),
    ),
    ("H", re.compile(r"^social\s+care\s+provision", re.IGNORECASE)),
    (
        "A",
        re.compile(
            r"views,?\s+interests,?\s+and\s+aspirations|^views\s+and\s+aspirations|^(?:all\s+)?about\s+me\b",
            re.IGNORECASE,
        ),
    ),
    ("F", re.compile(r"^special\s+educational\s+provision", re.IGNORECASE)),
    ("B", re.compile(r"^special\s+educational\s+needs?\b", re.IGNORECASE)),
    ("C", re.compile(r"^health(?:\s+care)?\s+needs", re.IGNORECASE)),
    ("D", re.compile(r"^social\s+care\s+needs", re.IGNORECASE)),
    ("E", re.compile(r"^outcomes?\b", re.IGNORECASE)),
    ("G", re.compile(r"^health(?:\s+care)?\s+provision", re.IGNORECASE)),
    (
        "I",
        re.compile(
            r"^(?:(?:educational\s+)?placement|(?:the\s+)?name\s+(?:and|&)\s+(?:the\s+)?type\s+of|type\s+of\s+(?:school|setting|institution)|name\s+of\s+(?:the\s+)?(?:school|setting|institution))",
            re.IGNORECASE,
        ),
    ),
    ("J", re.compile(r"^(?:personal\s+budget|direct\s+payments?)", re.IGNORECASE)),
    (
        "K",
        re.compile(
            r"^(?:(?:list\s+of\s+)?advice\s+(?:and|&)\s+information|information\s+(?:and|&)\s+advice)",
            re.IGNORECASE,
        ),
    ),
]
_MAX_TITLE_CHARS = 160
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Title:
    section: str
    by_letter: bool
    by_wording: bool
    explicit: bool


def _letter_key(letter: str, joined: str | None) -> str:
    letter = re.sub(r"\s+", "", letter).upper()
    if joined or letter == "H":
        return "H"
    return letter


def section_by_wording(text: str) -> str | None:
    text = re.sub(r"^\d+(?:\.\d+)*[.)]?\s*", "", text.strip())
    text = _POSSESSOR.sub("", text, count=1)
    for section, pattern in _WORDING:
        if pattern.search(text):
            return section
    return None


def read_title(text: str) -> Title | None:
    """The section a title names, or None when the text names none."""
    if len(text) > 2 * _MAX_TITLE_CHARS:
        return None
    text = _SPACES.sub(" ", text).strip()
    if not text or len(text) > _MAX_TITLE_CHARS:
        return None
    named = _NAMED.match(text)
    if named:
        return Title(
            _letter_key(named[1], named["joined"]),
            True,
            bool(section_by_wording(named["rest"] or "")),
            True,
        )
    bare = _BARE.match(text)
    if bare:
        section = _letter_key(bare[1], bare["joined"])
        rest = bare["rest"] or ""
        return Title(section, True, _same_section(section_by_wording(rest), section), False)
    trailing = _TRAILING.search(text)
    if trailing:
        letter = trailing[1] or trailing[3]
        return Title(
            _letter_key(letter, trailing["joined"] or trailing["joined2"]), True, True, True
        )
    worded = section_by_wording(text)
    if worded:
        return Title(worded, False, True, False)
    return None


def _same_section(worded: str | None, section: str) -> bool:
    return worded is not None and (worded == section or {worded, section} <= {"H", "H1", "H2"})


@dataclass
class SectionSplit:
    """Blocks before the first title (the header block) and the blocks of each section."""

    preamble: list[Block] = field(default_factory=list)
    sections: dict[str, list[Block]] = field(default_factory=dict)
    repeated: set[str] = field(default_factory=set)
    current: str | None = None

    def accepts(self, title: Title | None) -> bool:
        if title is None:
            return False
        if title.section == self.current:
            return title.explicit
        if title.explicit or (title.by_letter and title.by_wording):
            return True
        if title.by_letter:
            return self.current is None or _order(title.section) > _order(self.current)
        return title.section not in self.sections

    def open(self, section: str) -> None:
        if section in self.sections and section != self.current:
            self.repeated.add(section)
        self.sections.setdefault(section, [])
        self.current = section

    def add(self, block: Block) -> None:
        if self.current is None:
            self.preamble.append(block)
        else:
            self.sections[self.current].append(block)


def _order(section: str) -> int:
    return SECTION_ORDER.index(section)


def split_sections(blocks: list[Block]) -> SectionSplit:
    split = SectionSplit()
    _split_into(blocks, split)
    return split


def _split_into(blocks, split: SectionSplit) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            _split_paragraph(block, split)
        elif _has_title_rows(block, split):
            _split_section_table(block, split)
        elif _has_titles_inside(block, split):
            for row in block.rows:
                for cell in row:
                    _split_into(cell.blocks, split)
        else:
            split.add(block)


def _paragraph_title(paragraph: Paragraph) -> tuple[Title | None, str]:
    """The title a paragraph opens with, and any text after it on the same line."""
    if paragraph.toc:
        return None, ""
    if paragraph.heading_level is not None or paragraph.bold:
        return read_title(paragraph.text), ""
    if paragraph.bold_prefix:
        title = read_title(paragraph.bold_prefix)
        if title is not None and title.by_letter:
            return title, paragraph.text[len(paragraph.bold_prefix) :].strip(" :–-")
    if len(paragraph.text) > 80 or paragraph.text.endswith("."):
        return None, ""
    title = read_title(paragraph.text)
    if title is not None and title.explicit:
        return title, ""
    return None, ""


def _split_paragraph(paragraph: Paragraph, split: SectionSplit) -> None:
    title, rest = _paragraph_title(paragraph)
    if split.accepts(title):
        split.open(title.section)
        if rest:
            split.add(Paragraph(rest))
    else:
        split.add(paragraph)


def _first_cell_title(row: tuple[Cell, ...], *, wording_allowed: bool) -> Title | None:
    """The title in a row's first cell. A title by wording alone counts only in a table
    where it is allowed, so a header table row such as "Name of school" opens nothing."""
    if not row:
        return None
    paragraphs = row[0].paragraphs
    title = read_title(paragraphs[0].text) if paragraphs else None
    if title is not None and not title.by_letter and not wording_allowed:
        return None
    return title


def _wording_titles_allowed(table: Table) -> bool:
    worded = sum(1 for row in table.rows if _first_cell_title(row, wording_allowed=True))
    return worded >= 3


def _has_title_rows(table: Table, split: SectionSplit) -> bool:
    wording_allowed = _wording_titles_allowed(table)
    return any(
        split.accepts(_first_cell_title(row, wording_allowed=wording_allowed)) for row in table.rows
    )


def _has_titles_inside(table: Table, split: SectionSplit) -> bool:
    for row in table.rows:
        for cell in row:
            for paragraph in cell.paragraphs:
                if split.accepts(_paragraph_title(paragraph)[0]):
                    return True
    return False


def _split_section_table(table: Table, split: SectionSplit) -> None:
    """A table whose rows carry section titles in their first cell, content beside them."""
    pending: list[tuple[Cell, ...]] = []

    def flush() -> None:
        if pending:
            split.add(Table(tuple(pending)))
            pending.clear()

    wording_allowed = _wording_titles_allowed(table)
    for row in table.rows:
        title = _first_cell_title(row, wording_allowed=wording_allowed)
        if split.accepts(title):
            flush()
            split.open(title.section)
            first, *others = row
            title_paragraph = first.paragraphs[0]
            _split_into([block for block in first.blocks if block is not title_paragraph], split)
            for cell in others:
                _split_into(cell.blocks, split)
        else:
            pending.append(row)
    flush()


def section_keys_missing(found: set[str]) -> list[str]:
    """Letters of the statutory sections not found; a combined H stands for H1 and H2."""
    expected = [s for s in SECTION_LETTERS if not (s in ("H1", "H2") and "H" in found)]
    return [s for s in expected if s not in found]

"""A Word document as a sequence of blocks in reading order: paragraphs and tables.

python-docx opens the package and resolves styles; the body is then walked as XML so that
content the high-level API skips is kept: paragraphs inside content controls (``w:sdt``,
common in council templates), tracked insertions, text boxes and nested tables. Vertically
merged table cells appear once, in the row where the merge starts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from qa_app.ingest.errors import PlanRefused
from qa_app.ingest.package import DTD_REFUSED

# Clark names of the WordprocessingML elements read here.
_B = qn("w:b")
_BR = qn("w:br")
_CR = qn("w:cr")
_CUSTOM_XML = qn("w:customXml")
_DEL = qn("w:del")
_ILVL = qn("w:ilvl")
_NUM_ID = qn("w:numId")
_NUM_PR = qn("w:numPr")
_OUTLINE_LVL = qn("w:outlineLvl")
_P = qn("w:p")
_P_PR = qn("w:pPr")
_P_STYLE = qn("w:pStyle")
_R = qn("w:r")
_R_PR = qn("w:rPr")
_R_STYLE = qn("w:rStyle")
_SDT = qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")
_T = qn("w:t")
_TAB = qn("w:tab")
_TBL = qn("w:tbl")
_TC = qn("w:tc")
_TC_PR = qn("w:tcPr")
_TR = qn("w:tr")
_TXBX_CONTENT = qn("w:txbxContent")
_V_MERGE = qn("w:vMerge")
_VAL = qn("w:val")

_SPACES = re.compile(r"[ \u00a0]+")
_PAGE_NUMBER_AT_END = re.compile(r"\t\s*\d{1,3}$")
_MANUAL_BULLET = re.compile(r"^\s*(?:[•◦▪▫●○■□‣⁃–\-*·]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]+\))\s+")


@dataclass(frozen=True)
class Paragraph:
    text: str
    heading_level: int | None = None
    bold: bool = False
    bold_prefix: str = ""
    list_level: int | None = None
    toc: bool = False  # an entry in a table of contents, which names sections but holds none

    @property
    def is_list_item(self) -> bool:
        return self.list_level is not None


@dataclass(frozen=True)
class Cell:
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        return "\n".join(block_text(block) for block in self.blocks if block_text(block))

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [block for block in self.blocks if isinstance(block, Paragraph) and block.text]


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]


Block = Paragraph | Table


def block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"- {block.text}" if block.is_list_item else block.text
    return "\n".join(
        " | ".join(cell.text.replace("\n", "; ") for cell in row if cell.text) for row in block.rows
    ).strip()


def read_blocks(data: bytes) -> list[Block]:
    """The document's body as blocks; any failure to read it is a ``PlanRefused``."""
    try:
        document = docx.Document(io.BytesIO(data))
        _refuse_parsed_dtd(document)
        styles = _StyleFacts(document)
        return list(_walk(document.element.body, styles))
    except PlanRefused:
        raise
    # python-docx and lxml raise many exception types on malformed parts; for an uploaded
    # file each of them means the same thing to the user, and none may escape as a crash.
    except Exception:
        raise PlanRefused("unreadable Word document") from None


def _refuse_parsed_dtd(document) -> None:
    """A DTD in any part the parser read is refused, whatever let it past the package
    check (python-docx's parser does not expand entities, so reading it was harmless)."""
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None and element.getroottree().docinfo.doctype:
            raise PlanRefused(DTD_REFUSED)


@dataclass(frozen=True)
class _StyleFact:
    heading_level: int | None
    bold: bool
    list_level: int | None
    toc: bool


class _StyleFacts:
    """What each style makes of a paragraph (heading level, bold, list level, contents
    entry), following ``based on`` chains."""

    def __init__(self, document):
        self._by_id = {}
        for style in document.styles:
            if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
                self._by_id[style.style_id] = style
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default_paragraph_id = default.style_id if default is not None else None
        self._cache: dict[str | None, _StyleFact] = {}

    def facts(self, style_id: str | None) -> _StyleFact:
        if style_id not in self._cache:
            self._cache[style_id] = self._resolve(style_id)
        return self._cache[style_id]

    def _resolve(self, style_id: str | None) -> _StyleFact:
        heading, bold, list_level, toc = None, None, None, False
        style = self._by_id.get(style_id)
        seen = set()
        while style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            name = (style.name or "").lower()
            match = re.fullmatch(r"heading\s*(\d)", name)
            if heading is None and match:
                heading = int(match[1])
            elif heading is None and name in ("title", "subtitle"):
                heading = 0
            if bold is None and style.font.bold is not None:
                bold = bool(style.font.bold)
            listed = re.match(r"list\b.*?(\d)?$", name)
            if list_level is None and listed:
                list_level = int(listed[1]) - 1 if listed[1] else 0
            toc = toc or name.startswith("toc")
            style = style.base_style
        return _StyleFact(heading, bool(bold), list_level, toc)


def _walk(container, styles: _StyleFacts) -> Iterator[Block]:
    for child in container.iterchildren():
        tag = child.tag
        if tag == _P:
            yield from _paragraph_blocks(child, styles)
        elif tag == _TBL:
            yield _table(child, styles)
        elif tag in (_SDT, _CUSTOM_XML, _SDT_CONTENT):
            content = child.find(_SDT_CONTENT) if tag == _SDT else child
            if content is not None:
                yield from _walk(content, styles)


def _table(tbl, styles: _StyleFacts) -> Table:
    rows = []
    for tr in _children(tbl, _TR):
        cells = []
        for tc in _children(tr, _TC):
            merge = tc.find(f"{_TC_PR}/{_V_MERGE}")
            if merge is not None and merge.get(_VAL) in (None, "continue"):
                cells.append(Cell(()))
            else:
                cells.append(Cell(tuple(_walk(tc, styles))))
        rows.append(tuple(cells))
    return Table(tuple(rows))


def _children(element, tag: str) -> Iterator:
    """Direct children with the Clark name ``tag``, seen through content controls."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _children(content, tag)


_TEXT_TAGS = {_T: None, _TAB: "\t", _BR: "\n", _CR: "\n"}
_SKIPPED = {_DEL, _TXBX_CONTENT, _P_PR, _R_PR}


def _paragraph_blocks(p, styles: _StyleFacts) -> Iterator[Block]:
    ppr = p.find(_P_PR)
    style_id = None
    numbered = False
    level = 0
    outline = None
    if ppr is not None:
        style = ppr.find(_P_STYLE)
        style_id = style.get(_VAL) if style is not None else None
        num = ppr.find(_NUM_PR)
        if num is not None:
            num_id = num.find(_NUM_ID)
            numbered = num_id is None or num_id.get(_VAL) != "0"
            ilvl = num.find(_ILVL)
            level = _int(ilvl.get(_VAL)) if ilvl is not None else 0
        outline_el = ppr.find(_OUTLINE_LVL)
        if outline_el is not None:
            outline = _int(outline_el.get(_VAL))
    style = styles.facts(style_id or styles.default_paragraph_id)
    heading, style_bold = style.heading_level, style.bold
    if heading is None and outline is not None and outline < 9:
        heading = outline + 1

    runs: list[tuple[str, bool]] = []
    boxes = []
    _collect_runs(p, styles, style_bold, runs, boxes)
    text = _SPACES.sub(" ", "".join(piece for piece, _ in runs)).strip()
    if text:
        visible = [(piece, bold) for piece, bold in runs if piece.strip()]
        all_bold = bool(visible) and all(bold for _, bold in visible)
        prefix = []
        for piece, bold in runs:
            if piece.strip() and not bold:
                break
            prefix.append(piece)
        list_level = level if numbered else style.list_level
        manual = _MANUAL_BULLET.match(text)
        if list_level is None and manual and heading is None and not all_bold:
            list_level, text = 0, text[manual.end() :].strip()
        yield Paragraph(
            text=text,
            heading_level=heading,
            bold=all_bold,
            bold_prefix="".join(prefix).strip(),
            list_level=list_level,
            toc=style.toc or bool(_PAGE_NUMBER_AT_END.search(text)),
        )
    for box in boxes:
        yield from _walk(box, styles)


def _collect_runs(element, styles: _StyleFacts, style_bold: bool, runs: list, boxes: list) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _TXBX_CONTENT:
            boxes.append(child)
        elif tag == _R:
            bold = _run_bold(child, styles, style_bold)
            for piece in child.iter():
                if piece.tag == _TXBX_CONTENT:
                    boxes.append(piece)
                elif piece.tag in _TEXT_TAGS and not _inside_box(piece, child):
                    runs.append((_TEXT_TAGS[piece.tag] or piece.text or "", bold))
        elif tag not in _SKIPPED:
            _collect_runs(child, styles, style_bold, runs, boxes)


def _inside_box(element, run) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not run:
        if parent.tag == _TXBX_CONTENT:
            return True
        parent = parent.getparent()
    return False


def _run_bold(run, styles: _StyleFacts, style_bold: bool) -> bool:
    rpr = run.find(_R_PR)
    if rpr is not None:
        b = rpr.find(_B)
        if b is not None:
            return b.get(_VAL, "true").lower() not in ("0", "false", "off")
        rstyle = rpr.find(_R_STYLE)
        if rstyle is not None and styles.facts(rstyle.get(_VAL)).bold:
            return True
    return style_bold


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0

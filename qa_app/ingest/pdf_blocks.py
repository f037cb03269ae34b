"""A text PDF as the same blocks a Word plan gives: paragraphs and tables in reading order.

PDFium (through pypdfium2) supplies the text layer as runs of text with their boxes, one
run per stretch of a line in one font: a few calls per line, never per character. From
those runs this module rebuilds what the Word reader gets from styles:

* lines, from runs that share a baseline; runs close together are one piece of text, and
  a bold run that opens a line is its bold lead ("Cognition and learning: ...");
* running headers, footers and page numbers, which are dropped: lines in the top or bottom
  band of the page that repeat on other pages (digits aside) or read as a page number;
* paragraphs, from lines that follow each other closely in the same font, joined across
  page breaks when a line ran on; headings from a font larger than the body text, bold
  from a bold font, list items from a bullet or a number in front;
* tables, from lines whose runs stand apart in columns: each row starts where the cells
  start together after a gap, and each cell holds its own paragraphs.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from qa_app.ingest.blocks import Block, Cell, Paragraph, Table
from qa_app.ingest.errors import PlanRefused
from qa_app.ingest.pdf_checks import check_page_count

NO_TEXT_LAYER = "no text layer: export the plan as a text PDF or as Word"

# Fractions of the page height that hold running headers and footers.
_MARGIN_BAND = 0.09
_PRIVATE_BULLETS = str.maketrans(
    {"\uf0b7": "•", "\uf0a7": "▪", "\uf076": "•", "\uf0d8": "•", "\uf0fc": "•", "\u2022": "•"}
)
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.IGNORECASE)
_LIST_LABEL = re.compile(r"^(?:[•◦▪▫●○■□‣⁃–\-*·o]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]+\))$")
_LABEL_THEN_TEXT = re.compile(r"^(?:[•◦▪▫●○■□‣⁃·]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]+\))\s+\S")
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,})\s*\d{1,4}$")
_TERMINAL = (".", "!", "?", ":", ";")


@dataclass
class _Run:
    x0: float
    y0: float  # bottom (PDF y runs upwards)
    x1: float
    y1: float  # top
    text: str
    size: float
    bold: bool
    lead: str = ""  # bold text that opens a run whose rest is not bold
    spaced: bool = True  # the line ended at a space, not inside a word broken by the layout


@dataclass
class _Line:
    page: int
    runs: list[_Run]  # pieces of the line, left to right, far enough apart to be columns

    @property
    def top(self) -> float:
        return max(run.y1 for run in self.runs)

    @property
    def bottom(self) -> float:
        return min(run.y0 for run in self.runs)

    @property
    def text(self) -> str:
        return " ".join(run.text for run in self.runs)


def read_pdf_blocks(data: bytes) -> list[Block]:
    """The PDF's text as blocks; any failure to read it is a ``PlanRefused``."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PlanRefused("encrypted or password-protected PDF") from None
        raise PlanRefused("unreadable PDF (damaged or truncated)") from None
    try:
        if pdfium_raw.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
            raise PlanRefused("encrypted or password-protected PDF")
        if pdfium_raw.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0:
            raise PlanRefused("PDF with JavaScript is not accepted")
        check_page_count(len(document))
        pages = [_page_lines(document, index) for index in range(len(document))]
    finally:
        document.close()
    if not any(line.text.strip() for lines, _ in pages for line in lines):
        raise PlanRefused(NO_TEXT_LAYER)
    lines = _drop_running_lines(pages)
    return _Builder(lines).blocks()


def _page_lines(document, index: int) -> tuple[list[_Line], float]:
    page = document[index]
    try:
        height = page.get_height()
        textpage = page.get_textpage()
        try:
            runs = [run for run in _runs(textpage) if run.text]
        finally:
            textpage.close()
    finally:
        page.close()
    return _lines(runs, index), height


def _runs(textpage):
    name = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()
    for number in range(textpage.count_rects()):
        x0, y0, x1, y1 = textpage.get_rect(number)
        text = textpage.get_text_bounded(x0, y0, x1, y1)
        text = text.replace("\x02", "-")  # PDFium's mark for a hyphen where a line broke
        spaced = text[-1:].isspace() or not text[-1:].isalpha()
        text = " ".join(text.translate(_PRIVATE_BULLETS).split())
        if not text:
            continue
        middle = (y0 + y1) / 2
        char = pdfium_raw.FPDFText_GetCharIndexAtPos(
            textpage.raw, x0 + min(2.0, (x1 - x0) / 2), middle, 3.0, 3.0
        )
        size, bold = y1 - y0, False
        if char >= 0:
            size = pdfium_raw.FPDFText_GetFontSize(textpage.raw, char) or size
            pdfium_raw.FPDFText_GetFontInfo(
                textpage.raw, char, name, len(name), ctypes.byref(flags)
            )
            weight = pdfium_raw.FPDFText_GetFontWeight(textpage.raw, char)
            bold = b"bold" in name.value.lower() or b"black" in name.value.lower() or weight >= 600
        yield _Run(x0, y0, x1, y1, text, round(size, 1), bold, "", spaced)


def _lines(runs: list[_Run], page: int) -> list[_Line]:
    """Runs grouped by baseline, top to bottom; close runs on a line merged into one."""
    rows: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: -r.y1):
        middle = (run.y0 + run.y1) / 2
        for row in rows[-4:]:
            top, bottom = max(r.y1 for r in row), min(r.y0 for r in row)
            if bottom - 1 <= middle <= top + 1:
                row.append(run)
                break
        else:
            rows.append([run])
    lines = []
    for row in rows:
        row.sort(key=lambda r: r.x0)
        merged: list[_Run] = []
        for run in row:
            last = merged[-1] if merged else None
            gap = run.x0 - last.x1 if last is not None else 0.0
            size = max(last.size, run.size) if last is not None else 0.0
            if last is not None and (
                gap < 0.6 * size or (gap < 1.6 * size and _LIST_LABEL.match(last.text))
            ):
                lead = last.lead or (last.text if last.bold and not run.bold else "")
                merged[-1] = _Run(
                    last.x0,
                    min(last.y0, run.y0),
                    run.x1,
                    max(last.y1, run.y1),
                    f"{last.text} {run.text}",
                    max(last.size, run.size),
                    last.bold and run.bold,
                    lead,
                    run.spaced,
                )
            else:
                merged.append(run)
        lines.append(_Line(page, merged))
    return lines


def _drop_running_lines(pages: list[tuple[list[_Line], float]]) -> list[_Line]:
    """Every line in reading order, less running headers, footers and page numbers."""

    def in_band(line: _Line, height: float) -> bool:
        return line.top > height * (1 - _MARGIN_BAND) or line.bottom < height * _MARGIN_BAND

    def shape(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower()).strip()

    seen = Counter()
    for lines, height in pages:
        seen.update({shape(line) for line in lines if in_band(line, height)})
    repeated = max(2, (len(pages) + 1) // 2)
    kept = []
    for lines, height in pages:
        for line in lines:
            if in_band(line, height) and (
                seen[shape(line)] >= repeated or _PAGE_NUMBER.match(line.text)
            ):
                continue
            kept.append(line)
    return kept


@dataclass
class _OpenTable:
    columns: list[float]
    rows: list[list[list[list[_Line]]]] = field(
        default_factory=list
    )  # row -> cell -> paragraphs -> lines
    last_bottom: dict[int, tuple[int, float]] = field(
        default_factory=dict
    )  # column -> (page, bottom)


class _Builder:
    def __init__(self, lines: list[_Line]):
        self.lines = lines
        sizes = Counter()
        for line in lines:
            for run in line.runs:
                sizes[run.size] += len(run.text)
        self.body_size = sizes.most_common(1)[0][0] if sizes else 11.0
        self.heading_sizes = sorted({s for s in sizes if s >= self.body_size * 1.15}, reverse=True)
        self.left = min((line.runs[0].x0 for line in lines), default=0.0)
        self.right = max((line.runs[-1].x1 for line in lines), default=0.0)
        self.out: list[Block] = []
        self.paragraph: list[_Line] = []
        self.table: _OpenTable | None = None

    def blocks(self) -> list[Block]:
        for line in self.lines:
            self._line(line)
        self._close_paragraph()
        self._close_table()
        return self.out

    # -- paragraphs -------------------------------------------------------------------

    def _line(self, line: _Line) -> None:
        if self.table is not None and self._table_line(line):
            return
        self._close_table()
        if self._starts_table(line):
            self._close_paragraph()
            self.table = _OpenTable([run.x0 for run in line.runs])
            self._table_line(line)
            return
        if self.paragraph and not self._continues(self.paragraph, line):
            self._close_paragraph()
        self.paragraph.append(line)

    def _gap(self, size: float | None = None) -> float:
        """The most space between two lines of one paragraph (or one cell paragraph)."""
        return 0.8 * (size or self.body_size)

    def _continues(self, lines: list[_Line], line: _Line) -> bool:
        last = lines[-1]
        first_run, last_run = line.runs[0], last.runs[-1]
        if first_run.size != last_run.size or first_run.bold != last_run.bold:
            return False
        if _LABEL_THEN_TEXT.match(line.text) or (
            _LIST_LABEL.match(first_run.text.split(" ")[0]) and len(line.runs) > 1
        ):
            return False
        if line.page != last.page:
            wrapped = last.runs[-1].x1 > self.left + 0.8 * (self.right - self.left)
            return not last.text.rstrip().endswith(_TERMINAL) and (
                wrapped or line.text[:1].islower()
            )
        if last.runs[-1].x1 < self.left + 0.75 * (self.right - self.left):
            return False  # a line that stops short of the margin ends its paragraph
        return (
            last.bottom - line.top <= self._gap(first_run.size)
            and abs(first_run.x0 - lines[0].runs[0].x0) < 3 * self.body_size
        )

    def _close_paragraph(self) -> None:
        if self.paragraph:
            self.out.append(self._paragraph(self.paragraph))
            self.paragraph = []

    def _paragraph(self, lines: list[_Line]) -> Paragraph:
        runs = [run for line in lines for run in line.runs]
        text = _join(lines)
        bold = all(run.bold for run in runs)
        size = max(run.size for run in runs)
        heading = self.heading_sizes.index(size) + 1 if size in self.heading_sizes else None
        lead = lines[0].runs[0].lead if not bold else ""
        if (
            not lead
            and not bold
            and lines[0].runs[0].bold
            and len(lines[0].runs) == 1
            and len(lines) > 1
        ):
            lead = lines[0].text
        list_level = None
        label = re.match(r"^(?:[•◦▪▫●○■□‣⁃·]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]+\))\s+", text)
        if label and heading is None and not bold:
            indent = lines[0].runs[0].x0 - self.left
            list_level, text = max(0, round(indent / 36)), text[label.end() :].strip()
        return Paragraph(
            text=text,
            heading_level=heading,
            bold=bold,
            bold_prefix=lead,
            list_level=list_level,
            toc=bool(_TOC_LINE.search(text)),
        )

    # -- tables -----------------------------------------------------------------------

    def _starts_table(self, line: _Line) -> bool:
        return len(line.runs) >= 2

    def _column(self, run: _Run) -> int | None:
        columns = self.table.columns
        tolerance = 0.9 * self.body_size
        for index, start in enumerate(columns):
            end = columns[index + 1] if index + 1 < len(columns) else None
            if abs(run.x0 - start) <= tolerance or (
                start < run.x0 and (end is None or run.x0 < end - tolerance)
            ):
                if end is not None and run.x1 > end + tolerance:
                    return None
                return index
        return None

    def _table_line(self, line: _Line) -> bool:
        """Add the line to the open table; False when it does not belong to the table."""
        table = self.table
        columns = [self._column(run) for run in line.runs]
        if None in columns or len(set(columns)) != len(columns):
            return False
        row = table.rows[-1] if table.rows else None

        def fresh(column: int, over_page: bool) -> bool:
            if column not in table.last_bottom:
                return True
            page, bottom = table.last_bottom[column]
            if page != line.page:  # a cell may run on over the page break
                text = next(run.text for run in line.runs if self._column(run) == column)
                return (
                    over_page
                    or _line_text(row[column][-1]).endswith(_TERMINAL)
                    or text[:1].isupper()
                )
            return bottom - line.top > self._gap()

        page_turn = any(table.last_bottom.get(c, (line.page,))[0] != line.page for c in columns)
        new_row = not table.rows or (
            len(columns) >= 2
            and all(fresh(column, over_page=0 in columns) for column in columns)
            and (not page_turn or 0 in columns)
        )
        fresh = {column: fresh(column, over_page=False) for column in columns}
        if not new_row and len(columns) == 1 and columns[0] == 0 and fresh[0] and not page_turn:
            # A lone line under the first column after a gap: the table has ended.
            return False
        if new_row:
            table.rows.append([[] for _ in table.columns])
            table.last_bottom = {}
            fresh = {column: True for column in columns}
        row = table.rows[-1]
        for run, column in zip(line.runs, columns):
            piece = _Line(line.page, [run])
            cell = row[column]
            if cell and not fresh[column] and not _LABEL_THEN_TEXT.match(run.text):
                cell[-1].append(piece)
            else:
                cell.append([piece])
            table.last_bottom[column] = (line.page, run.y0)
        return True

    def _close_table(self) -> None:
        table, self.table = self.table, None
        if table is None:
            return
        if len(table.rows) == 1 and sum(bool(cell) for cell in table.rows[0]) <= 1:
            for cell in table.rows[0]:
                for lines in cell:
                    self.out.append(self._paragraph(lines))
            return
        rows = tuple(
            tuple(Cell(tuple(self._paragraph(lines) for lines in cell)) for cell in row)
            for row in table.rows
        )
        self.out.append(Table(rows))


def _line_text(lines: list[_Line]) -> str:
    return lines[-1].text.rstrip() if lines else ""


def _join(lines: list[_Line]) -> str:
    """One paragraph's lines as one text; a word the layout broke over two lines is whole
    again (its first part ends without a space, its second starts in lower case)."""
    joined, broken = "", False
    for line in lines:
        text = line.text.strip()
        if not joined:
            joined = text
        elif (broken or joined.endswith("-")) and text[:1].islower():
            joined += text
        else:
            joined += " " + text
        broken = not line.runs[-1].spaced and len(text.split()) == 1
    return joined

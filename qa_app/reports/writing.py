"""A thin layer over python-docx through which every string reaches the document.

``ReportWriter`` holds the cleaning function (the report's scrubber) and applies it to
each heading, paragraph and table cell, so no part of a report can skip the identifier
scan.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

MUTED = RGBColor(0x59, 0x59, 0x59)
LANGUAGE = "en-GB"
AUTHOR = "EHCP quality-assurance audit tool"
MARGIN_CM = 2.0
# A4 less the margins: no table may be wider than this.
TEXT_WIDTH_CM = 21.0 - 2 * MARGIN_CM


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


class ReportWriter:
    def __init__(self, clean: Callable[[str], str]):
        self.clean = clean
        self.document = Document()
        self._set_up_page()

    def _set_up_page(self) -> None:
        """A4 with 2 cm margins, British English for spelling and screen readers, page
        numbers in the footer, and the tool (not "python-docx") as the author."""
        for section in self.document.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.left_margin = section.right_margin = Cm(MARGIN_CM)
            section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
        normal = self.document.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        self._set_language()
        properties = self.document.core_properties
        properties.author = properties.last_modified_by = AUTHOR
        properties.language = LANGUAGE
        self._page_numbers()

    def _set_language(self) -> None:
        """``w:lang`` in the document defaults, which every style inherits (python-docx
        has no API for it)."""
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is None:
            run_defaults = OxmlElement("w:rPrDefault")
            defaults.insert(0, run_defaults)
        properties = run_defaults.find(qn("w:rPr"))
        if properties is None:
            properties = OxmlElement("w:rPr")
            run_defaults.append(properties)
        language = properties.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            properties.append(language)
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            language.set(qn(attribute), LANGUAGE)

    def _page_numbers(self) -> None:
        """ "Page N of M" in the footer, from Word's PAGE and NUMPAGES fields."""
        footer = self.document.sections[0].footer
        paragraph = footer.add_paragraph()
        for text, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
            self._muted(paragraph.add_run(text))
            self._field(paragraph, field)

    def _field(self, paragraph, instruction: str) -> None:
        """A field in the runs Word writes (begin, code, separate, result, end), each
        with the footer's font: LibreOffice sizes a field's result by the run it is in."""
        begin, code, separate, shown, end = (
            OxmlElement(tag)
            for tag in ("w:fldChar", "w:instrText", "w:fldChar", "w:t", "w:fldChar")
        )
        begin.set(qn("w:fldCharType"), "begin")
        code.set(qn("xml:space"), "preserve")
        code.text = f" {instruction} "
        separate.set(qn("w:fldCharType"), "separate")
        shown.text = "1"
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, code, separate, shown, end):
            self._muted(paragraph.add_run())._r.append(element)

    @staticmethod
    def _muted(run):
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED
        return run

    def footer(self, text: str) -> None:
        paragraph = self.document.sections[0].footer.paragraphs[0]
        self._muted(paragraph.add_run(self.clean(text)))

    def title(self, text: str, subtitle: str = "") -> None:
        self.document.core_properties.title = self.clean(text)
        self.document.add_paragraph(self.clean(text), style="Title")
        if subtitle:
            self.document.add_paragraph(self.clean(subtitle), style="Subtitle")

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(self.clean(text), level=level)

    def paragraph(
        self, text: str = "", *, lead: str = "", style: str | None = None, muted: bool = False
    ) -> None:
        paragraph = self.document.add_paragraph(style=style)
        if lead:
            paragraph.add_run(self.clean(lead) + " ").bold = True
        run = paragraph.add_run(self.clean(text))
        if muted:
            run.font.color.rgb = MUTED
            run.font.size = Pt(9.5)

    def bullet(self, text: str, *, lead: str = "") -> None:
        self.paragraph(text, lead=lead, style="List Bullet")

    def numbered(self, text: str, *, lead: str = "") -> None:
        self.paragraph(text, lead=lead, style="List Number")

    def quote(self, text: str) -> None:
        self.paragraph(text, style="Intense Quote")

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths_cm: Sequence[float] = (),
    ) -> None:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Light Grid Accent 1"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers):
            cell.text = self.clean(str(header))
        _repeat_as_header(table.rows[0])
        for row in rows:
            added = table.add_row()
            _keep_on_one_page(added)
            for cell, value in zip(added.cells, row):
                cell.text = self.clean("" if value is None else str(value))
        if widths_cm:
            # Never wider than the page: scale the columns down to fit if they are.
            scale = min(1.0, TEXT_WIDTH_CM / sum(widths_cm))
            widths_cm = [width * scale for width in widths_cm]
            # Word reads the cell widths, LibreOffice the grid: set both.
            table.autofit = False
            for column, width in zip(table.columns, widths_cm):
                column.width = Cm(width)
                for cell in column.cells:
                    cell.width = Cm(width)
        self.document.add_paragraph()

    def image(self, png: bytes, width_cm: float, *, alt: str, caption: str = "") -> None:
        """A picture with its description (``alt``) for screen readers, set on the
        drawing's ``descr`` attribute, which python-docx has no API for."""
        shape = self.document.add_picture(io.BytesIO(png), width=Cm(min(width_cm, TEXT_WIDTH_CM)))
        shape._inline.docPr.set("descr", self.clean(alt))
        if caption:
            self.document.add_paragraph(self.clean(caption), style="Caption")

    def page_break(self) -> None:
        self.document.add_page_break()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _keep_on_one_page(row) -> None:
    """Never break a row across two pages (``w:cantSplit``): a case's reference would
    sit on one page and its figures on the next."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_as_header(row) -> None:
    """Mark a table row as a header row that Word repeats at the top of every page the
    table runs onto (``w:tblHeader``); screen readers also read it as the header."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)

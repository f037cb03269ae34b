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
from docx.shared import Cm, Pt, RGBColor

MUTED = RGBColor(0x59, 0x59, 0x59)


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
        for section in self.document.sections:
            section.left_margin = section.right_margin = Cm(2.0)
            section.top_margin = section.bottom_margin = Cm(2.0)
        normal = self.document.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)

    def footer(self, text: str) -> None:
        paragraph = self.document.sections[0].footer.paragraphs[0]
        run = paragraph.add_run(self.clean(text))
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED

    def title(self, text: str, subtitle: str = "") -> None:
        self.document.add_paragraph(self.clean(text), style="Title")
        if subtitle:
            self.document.add_paragraph(self.clean(subtitle), style="Subtitle")

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(self.clean(text), level=level)

    def paragraph(self, text: str = "", *, lead: str = "", style: str | None = None, muted: bool = False) -> None:
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

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]], widths_cm: Sequence[float] = ()) -> None:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Light Grid Accent 1"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers):
            cell.text = self.clean(str(header))
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = self.clean("" if value is None else str(value))
        if widths_cm:
            # Word reads the cell widths, LibreOffice the grid: set both.
            table.autofit = False
            for column, width in zip(table.columns, widths_cm):
                column.width = Cm(width)
                for cell in column.cells:
                    cell.width = Cm(width)
        self.document.add_paragraph()

    def image(self, png: bytes, width_cm: float, caption: str = "") -> None:
        self.document.add_picture(io.BytesIO(png), width=Cm(width_cm))
        if caption:
            self.document.add_paragraph(self.clean(caption), style="Caption")

    def page_break(self) -> None:
        self.document.add_page_break()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

"""The Word outputs are accessible documents: A4, British English, page numbers, a title
and author, a description on every picture, header rows that repeat on each page, and
tables no wider than the page. Read back from the saved file, XML included."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image

from qa_app.reports.writing import AUTHOR, TEXT_WIDTH_CM, ReportWriter
from tests.reports.helpers import Docx


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PIXEL_PNG = _png()


def _read_back(writer: ReportWriter) -> Document:
    return Document(io.BytesIO(writer.to_bytes()))


def assert_accessible(document: Document) -> None:
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    language = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert language.get(qn("w:val")) == "en-GB"
    properties = document.core_properties
    assert properties.title and properties.author == AUTHOR and properties.language == "en-GB"
    fields = " ".join(t.text for t in section.footer._element.iter(qn("w:instrText")))
    assert "PAGE" in fields.split() and "NUMPAGES" in fields.split()
    for picture in document.inline_shapes:
        assert picture._inline.docPr.get("descr"), "a picture has no description"
    usable = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        widths = [cell.width for cell in table.rows[0].cells if cell.width is not None]
        assert sum(widths) <= usable + Mm(1)


def test_a_written_document_reads_back_with_every_accessibility_property():
    writer = ReportWriter(clean=str)
    writer.title("Learning report", "Spring term")
    writer.table(["A", "B", "C"], [[n, n * 2, n * 3] for n in range(80)], widths_cm=(9, 9, 9))
    writer.image(PIXEL_PNG, width_cm=30, alt="A white rectangle.")
    document = _read_back(writer)
    assert_accessible(document)
    assert document.core_properties.title == "Learning report"
    assert document.inline_shapes[0]._inline.docPr.get("descr") == "A white rectangle."
    assert document.inline_shapes[0].width <= Mm(TEXT_WIDTH_CM * 10)


def test_the_description_of_a_picture_is_scrubbed_like_any_text():
    writer = ReportWriter(clean=lambda text: text.replace("Jamie", "[name]"))
    writer.title("Feedback")
    writer.image(PIXEL_PNG, width_cm=5, alt="Grades of Jamie's plans.")
    assert (
        _read_back(writer).inline_shapes[0]._inline.docPr.get("descr")
        == "Grades of [name]'s plans."
    )


def test_the_learning_report_is_accessible(learning_report):
    _, report = learning_report
    assert_accessible(report.document)
    assert len(report.document.inline_shapes) >= 1
    assert (
        report.document.inline_shapes[0]
        ._inline.docPr.get("descr")
        .startswith("Stacked bar chart of overall grades.")
    )
    assert isinstance(report, Docx)

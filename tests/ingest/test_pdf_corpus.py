"""The Word regression corpus as PDF: each plan reads as its Word original does, running
headers, footers and page numbers dropped, tables read as rows, text joined across pages."""

from __future__ import annotations

from datetime import date

import pytest

from qa_app.ingest import read_plan
from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import LAYOUTS
from tests.ingest.plan_pdf import RUNNING_HEADER

AUDIT_DATE = date(2026, 3, 1)
# A known limit, measured and kept visible: a table inside a cell of a section table (a
# nested table) comes out of the PDF text layer as one flat table, since without ruling
# lines the rows of the inner and outer tables cannot be told apart. These layouts read
# every section's text but not every outcome or provision item.
NESTED_TABLES = {"two_column_table", "section_table_with_titles"}


def child(text: str) -> str:
    return text.replace("Sam", "[child]")


def known_limit(request, layout, *, sections: bool = False) -> None:
    if layout.name in NESTED_TABLES and (not sections or layout.name == "two_column_table"):
        request.applymarker(
            pytest.mark.xfail(strict=True, reason="nested tables are flattened in PDF")
        )


@pytest.fixture(params=LAYOUTS, ids=lambda factory: factory.__name__)
def readings(request, pdf_corpus):
    layout = request.param()
    word = read_plan(build_docx(layout.items), f"{layout.name}.docx", AUDIT_DATE)
    pdf = read_plan(pdf_corpus[layout.name], f"{layout.name}.pdf", AUDIT_DATE)
    return layout, word, pdf


def test_pdf_gives_the_sections_with_their_own_text(request, readings):
    layout, _, pdf = readings
    known_limit(request, layout, sections=True)
    assert list(pdf.sections) == layout.sections
    for letter, text in pdf.sections.items():
        if letter in layout.content:
            assert child(layout.content[letter]) in text


def test_pdf_gives_the_same_outcomes_steps_and_provision_as_word(request, readings):
    layout, word, pdf = readings
    known_limit(request, layout)
    assert pdf.outcomes == word.outcomes
    assert pdf.provision == word.provision


def test_pdf_gives_the_same_metadata_and_warnings_as_word(request, readings):
    layout, word, pdf = readings
    known_limit(request, layout)
    assert pdf.metadata == word.metadata
    assert pdf.warnings == word.warnings


def test_running_header_and_page_numbers_are_dropped(readings):
    _, _, pdf = readings
    every_text = "\n".join(pdf.sections.values())
    assert RUNNING_HEADER not in every_text
    assert "Page 1 of" not in every_text and "Page 2 of" not in every_text


def test_pdf_identifiers_are_redacted(readings):
    _, _, pdf = readings
    assert "Sam" not in "\n".join(pdf.sections.values())
    assert "Carter" not in "\n".join(pdf.sections.values())

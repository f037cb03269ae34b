"""Template details beyond the corpus: contents pages, capitals, nested steps, content
controls, merged area cells, label paragraphs in the header."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.oxml import OxmlElement

from qa_app.ingest import read_plan


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_contents_page_entries_do_not_open_sections_and_header_labels_are_read():
    document = docx.Document()
    document.add_paragraph("Contents")
    for entry in ["Section A: Views\t2", "Section E: Outcomes\t5", "Section F: Provision\t7"]:
        document.add_paragraph(entry)
    document.add_paragraph("Name: Jo Bloggs")
    document.add_paragraph("Date of birth: 01/02/2016")
    document.add_paragraph("SECTION A: VIEWS, INTERESTS AND ASPIRATIONS", style="Heading 1")
    document.add_paragraph("Jo likes Lego.")
    document.add_paragraph("Section E - Outcomes", style="Heading 1")
    document.add_paragraph("By July 2026 Jo will read 50 common words.", style="List Bullet")
    document.add_paragraph("Jo will learn 10 words a term.", style="List Bullet 2")
    document.add_paragraph("By July 2027 Jo will write a sentence on his own.", style="List Bullet")
    document.add_paragraph("Section F: Special educational provision", style="Heading 1")
    document.add_paragraph(
        "Daily 1:1 reading for 15 minutes with a teaching assistant.", style="List Bullet"
    )

    plan = read_plan(saved(document), "plan.docx", date(2026, 3, 1))
    assert plan.sections == {
        "A": "[child] likes Lego.",
        "E": "- By July 2026 [child] will read 50 common words.\n- [child] will learn 10 words a term.\n"
        "- By July 2027 [child] will write a sentence on his own.",
        "F": "- Daily 1:1 reading for 15 minutes with a teaching assistant.",
    }
    assert [o.text for o in plan.outcomes] == [
        "By July 2026 [child] will read 50 common words.",
        "By July 2027 [child] will write a sentence on his own.",
    ]
    assert (plan.metadata.age, plan.metadata.year_group, plan.metadata.key_stage) == (10, 5, "KS2")
    assert not any("more than one place" in warning for warning in plan.warnings)


def test_paragraphs_inside_content_controls_are_read():
    document = docx.Document()
    document.add_paragraph("Section A: Views", style="Heading 1")
    inside = document.add_paragraph("Kept inside a content control.")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(content)
    inside._p.addprevious(sdt)
    content.append(inside._p)
    plan = read_plan(saved(document), "plan.docx")
    assert plan.sections["A"] == "Kept inside a content control."


def test_vertically_merged_area_cells_carry_the_area_down():
    document = docx.Document()
    document.add_paragraph("Section E: Outcomes", style="Heading 1")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Area of need", "Outcome"
    merged = table.cell(1, 0).merge(table.cell(2, 0))
    merged.text = "Cognition and learning"
    table.cell(1, 1).text = "By July 2026 Ali will count to 100 without help."
    table.cell(2, 1).text = "By July 2026 Ali will add two-digit numbers with 80% accuracy."
    plan = read_plan(saved(document), "plan.docx")
    assert [(o.area, o.timescale) for o in plan.outcomes] == [
        ("Cognition and learning", "By July 2026")
    ] * 2
    assert plan.sections["E"].count("Cognition and learning") == 1


def test_bold_lead_title_keeps_the_rest_of_the_line_as_content():
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Section J: Personal budget").bold = True
    paragraph.add_run(" – none requested by the family.")
    plan = read_plan(saved(document), "plan.docx")
    assert plan.sections == {"J": "none requested by the family."}

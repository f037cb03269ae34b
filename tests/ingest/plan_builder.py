"""Builds .docx plans in memory from a small description, for the ingest tests.

A description is a list of items:

* ``("heading", level, text)``; ``("bold", text)``; ``("para", text)``;
* ``("bold_lead", bold_text, plain_text)``: a paragraph opening with a bold run;
* ``("bullet", text)``; ``("number", text)``;
* ``("table", rows)``: each row a list of cells; a cell is a string, or a list of items
  (the same kinds, ``("table", rows)`` nesting a table in the cell).
"""

from __future__ import annotations

import io

import docx


def build_docx(items: list) -> bytes:
    document = docx.Document()
    _add_items(document, items)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_items(container, items: list) -> None:
    for item in items:
        kind = item[0]
        if kind == "heading":
            container.add_paragraph(item[2], style=f"Heading {item[1]}")
        elif kind == "bold":
            container.add_paragraph().add_run(item[1]).bold = True
        elif kind == "bold_lead":
            paragraph = container.add_paragraph()
            paragraph.add_run(item[1]).bold = True
            paragraph.add_run(" " + item[2])
        elif kind == "para":
            container.add_paragraph(item[1])
        elif kind == "bullet":
            container.add_paragraph(item[1], style="List Bullet")
        elif kind == "number":
            container.add_paragraph(item[1], style="List Number")
        elif kind == "table":
            _add_table(container, item[1])
        else:
            raise ValueError(f"unknown item kind {kind!r}")


def _add_table(container, rows: list) -> None:
    width = max(len(row) for row in rows)
    table = container.add_table(rows=len(rows), cols=width)
    for row, cells in zip(table.rows, rows):
        for cell, content in zip(row.cells, cells):
            if isinstance(content, str):
                cell.text = content
            else:
                # A new cell holds one empty paragraph; fill it, then add the rest.
                first, *rest = content
                if first[0] == "para":
                    cell.paragraphs[0].text = first[1]
                else:
                    _add_items(cell, [first])
                _add_items(cell, rest)

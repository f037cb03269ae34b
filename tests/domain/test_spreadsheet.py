"""Excel cells: characters XML 1.0 forbids are replaced, and an over-long text is marked
where it was shortened, so the export never fails and never cuts a note silently."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from qa_app.domain.spreadsheet import EXCEL_CELL_LIMIT, excel_cell
from qa_app.services.exports import COLUMNS, to_xlsx


def test_forbidden_characters_are_replaced_and_the_rest_kept():
    text = "line one\x0bline two\x0cpage\x00nul\x1fend\ufffe\ttab\nnew"
    assert excel_cell(text) == "line one\ufffdline two\ufffdpage\ufffdnul\ufffdend\ufffd\ttab\nnew"
    assert excel_cell(3) == 3 and excel_cell(None) is None


def test_a_note_over_the_cell_limit_is_marked_not_silently_cut():
    note = "x" * 40_000
    cell = excel_cell(note)
    assert EXCEL_CELL_LIMIT - 10 < len(cell) <= EXCEL_CELL_LIMIT
    kept = cell.index(" [")
    assert cell.endswith(
        f"[… shortened for Excel: {40_000 - kept} more characters are in the app, or in the CSV export]"
    )


def test_an_export_with_control_characters_and_a_long_note_opens():
    row = dict.fromkeys(COLUMNS, "")
    row[COLUMNS[0]] = "Shift+Enter\x0bfrom Word"
    row[COLUMNS[-1]] = "y" * 33_000
    sheet = load_workbook(io.BytesIO(to_xlsx([row]))).active
    values = [cell.value for cell in sheet[2]]
    assert values[0] == "Shift+Enter\ufffdfrom Word"
    assert "shortened for Excel" in values[-1] and len(values[-1]) <= EXCEL_CELL_LIMIT

"""Cells that are safe to open in a spreadsheet.

A CSV or Excel cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return, which some programs strip before reading the rest) is taken for a
formula: a note such as ``=HYPERLINK(...)`` typed into an audit would run on the QA lead's
machine. Such text gets a leading apostrophe, which spreadsheets show as plain text.
Numbers, dates and empty cells pass unchanged.
"""

from __future__ import annotations

__all__ = ["FORMULA_TRIGGERS", "safe_cell", "safe_row"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: dict) -> dict:
    return {key: safe_cell(value) for key, value in row.items()}

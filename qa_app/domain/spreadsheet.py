"""Cells that are safe to open in a spreadsheet.

A CSV or Excel cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return, which some programs strip before reading the rest) is taken for a
formula: a note such as ``=HYPERLINK(...)`` typed into an audit would run on the QA lead's
machine. Such text gets a leading apostrophe, which spreadsheets show as plain text.
Numbers, dates and empty cells pass unchanged.

An Excel file is XML 1.0, which cannot hold most control characters (a ``\x0b`` pasted
from Word's Shift+Enter made the writer fail), and an Excel cell holds at most 32,767
characters. ``excel_cell`` replaces each forbidden character with U+FFFD and marks a text
that had to be shortened, saying how much was left out, instead of letting it be cut
silently.
"""

from __future__ import annotations

import re

__all__ = ["EXCEL_CELL_LIMIT", "FORMULA_TRIGGERS", "excel_cell", "safe_cell", "safe_row"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: dict) -> dict:
    return {key: safe_cell(value) for key, value in row.items()}


def excel_cell(value):
    """``value`` as an Excel cell can hold it: forbidden characters replaced, an over-long
    text shortened with a note of how many characters are left out."""
    if not isinstance(value, str):
        return value
    text = _XML_FORBIDDEN.sub("\ufffd", value)
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    marker = " [… shortened for Excel: {} more characters are in the app, or in the CSV export]"
    keep = EXCEL_CELL_LIMIT - len(marker.format(len(text)))
    return text[:keep] + marker.format(len(text) - keep)

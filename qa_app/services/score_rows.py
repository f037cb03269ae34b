"""How a stored score row (an audit's criterion score or a moderation's agreed one)
holds its level: a point on the scale, not applicable, or nothing yet."""

from __future__ import annotations

from qa_app.domain.grading import NOT_APPLICABLE


def stored_level(row) -> int | str | None:
    """The row's level: its score, ``NOT_APPLICABLE``, or None (also for no row)."""
    if row is None:
        return None
    return NOT_APPLICABLE if row.not_applicable else row.score


def store_level(row, level) -> int | str | None:
    """Give the row ``level`` (a point on the scale, ``NOT_APPLICABLE`` or None to
    clear); the level it had."""
    old = stored_level(row)
    row.not_applicable = level == NOT_APPLICABLE
    row.score = level if isinstance(level, int) else None
    return old

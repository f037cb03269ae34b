"""The one error the reader raises for a file it will not read."""

from __future__ import annotations


class PlanRefused(Exception):
    """A file was refused; ``reason`` is one plain line that never quotes the file's content.

    Every problem with an uploaded file, from a renamed PDF to a zip bomb, ends as this
    error, so callers can report it and carry on with the rest of a batch.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

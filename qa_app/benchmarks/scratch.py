"""Throwaway databases for benchmarks, prepared like a real one."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qa_app.services import rubrics
from qa_app.services.access import SYSTEM
from qa_app.settings import RUBRICS_DIR
from qa_app.store.engine import engine_for, session_scope, upgrade


@contextmanager
def scratch_sqlite() -> Iterator[str]:
    """A migrated SQLite database with the shipped rubrics registered; yields its URL."""
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade(url)
        with session_scope(url) as session:
            rubrics.register_rubric_files(session, SYSTEM, RUBRICS_DIR)
        try:
            yield url
        finally:
            engine_for(url).dispose()

"""Database access for pages: the database is prepared once per process, and each
piece of work gets its own short session."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import streamlit as st
from sqlalchemy.orm import Session

from qa_app.services.bootstrap import prepare_database
from qa_app.settings import get_settings
from qa_app.store.engine import session_scope


@st.cache_resource(show_spinner="Preparing the database…")
def _prepared(url: str) -> list[str]:
    return prepare_database(get_settings())


def rubric_problems() -> list[str]:
    """Problems in rubric files found when the database was prepared."""
    return _prepared(get_settings().database_url)


@contextmanager
def db() -> Iterator[Session]:
    url = get_settings().database_url
    _prepared(url)
    with session_scope(url) as session:
        yield session

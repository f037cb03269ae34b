"""Database access for pages: the database is prepared once per process, and each
piece of work gets its own short session.

When the database cannot be reached, ``db()`` raises ``DatabaseUnavailable`` (a
``ServiceError``, so a page that shows service errors tells the user their change was
not saved), and ``outage_shown()`` turns one that reaches the top of the app into a
plain message that retries by itself until the database answers again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import exc
from sqlalchemy.orm import Session

from qa_app.services.bootstrap import prepare_database
from qa_app.services.health import (
    DatabaseUnavailable,
    is_unavailable,
    readiness,
    unavailable_message,
)
from qa_app.settings import Settings
from qa_app.store.engine import session_scope
from qa_app.ui.app_settings import current_settings

log = logging.getLogger(__name__)
RETRY_EVERY_SECONDS = 5


@st.cache_resource(show_spinner="Preparing the database…")
def _prepared(url: str, _settings: Settings) -> list[str]:
    # Keyed by the database alone: one preparation per database and process.
    return prepare_database(_settings)


def rubric_problems() -> list[str]:
    """Problems in rubric files found when the database was prepared."""
    with _unavailability_named():
        settings = current_settings()
        return _prepared(settings.database_url, settings)


@contextmanager
def _unavailability_named() -> Iterator[None]:
    try:
        yield
    except exc.DBAPIError as error:
        if not is_unavailable(error):
            raise
        # The driver's message can quote statement parameters, so only its kind is logged.
        log.warning("database unavailable: %s", type(error.orig).__name__)
        raise DatabaseUnavailable(unavailable_message(error)) from None


@contextmanager
def db() -> Iterator[Session]:
    settings = current_settings()
    with _unavailability_named():
        _prepared(settings.database_url, settings)
        with session_scope(settings.database_url) as session:
            yield session


@st.fragment(run_every=RETRY_EVERY_SECONDS)
def _retry_when_back() -> None:
    if readiness(current_settings().database_url).reachable:
        st.rerun(scope="app")
    st.caption(f"Checking again every {RETRY_EVERY_SECONDS} seconds…")


@contextmanager
def outage_shown() -> Iterator[None]:
    """Show a database outage met while building the page as a message, not a traceback,
    and rerun the app as soon as the database answers again."""
    try:
        yield
    except DatabaseUnavailable as outage:
        st.error(str(outage), icon=":material/cloud_off:")
        st.button("Try again", icon=":material/refresh:", key="database_outage_retry")
        _retry_when_back()

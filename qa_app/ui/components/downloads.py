"""Files built on request and offered for download: a Word document (the Reports and
Evidence pack pages) or a spreadsheet export (the Export and Actions pages). The service
that builds one records the export in the event log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import streamlit as st
from sqlalchemy.orm import Session

from qa_app.services.errors import ServiceError
from qa_app.ui.db import db


class WordDocument(Protocol):
    audits: int
    content: bytes
    filename: str
    mime: str


class Export(Protocol):
    rows: int
    content: bytes
    filename: str
    media_type: str


def build_and_offer(
    request: object,
    build: Callable[[Session], WordDocument],
    *,
    name: str,
    button: str,
    key: str,
    ready_key: str,
) -> None:
    """A ``button`` that builds the document named ``name`` for ``request``, then its
    download button; widget keys start with ``key``, the built document is kept under
    ``ready_key``."""
    if st.button(button, type="primary", key=f"{key}_build"):
        try:
            with st.spinner(f"Building the {name.lower()}…"), db() as session:
                st.session_state[ready_key] = (request, build(session))
        except ServiceError as error:
            st.session_state[ready_key] = None
            st.error(str(error))
    built = st.session_state.get(ready_key)
    # A document built for other choices is not offered for these.
    ready = built[1] if built and built[0] == request else None
    if ready:
        st.success(f"{name} ready: it covers {ready.audits} audits.")
        _download(ready, ready.mime, f"{key}_download", icon=":material/download:")


def prepare_and_offer(
    prepare: Callable[[Session], Export],
    *,
    counted: str,
    key: str,
    ready_key: str,
    primary: bool = False,
) -> None:
    """A "Prepare export" button, then the download of the last export prepared; its
    rows are counted as ``counted``. Widget keys start with ``key``."""
    if st.button(
        "Prepare export", type="primary" if primary else "secondary", key=f"{key}_prepare"
    ):
        try:
            with db() as session:
                st.session_state[ready_key] = prepare(session)
        except ServiceError as error:
            st.session_state[ready_key] = None
            st.error(str(error))
    ready = st.session_state.get(ready_key)
    if ready:
        st.success(f"{ready.rows} {counted} ready.")
        _download(ready, ready.media_type, f"{key}_download")


def export_format(key: str, where=st) -> str:
    """Excel or CSV, for a spreadsheet export (in the container ``where``)."""
    return where.radio(
        "Format",
        ["xlsx", "csv"],
        format_func={"xlsx": "Excel", "csv": "CSV"}.get,
        horizontal=True,
        key=key,
    )


def _download(ready, mime: str, key: str, icon: str | None = None) -> None:
    # The file is already built: a click only downloads it, with no rerun.
    st.download_button(
        f"Download {ready.filename}",
        data=ready.content,
        file_name=ready.filename,
        mime=mime,
        icon=icon,
        key=key,
        on_click="ignore",
    )

"""A Word document built on request and offered for download: what the Reports and the
Evidence pack pages share. The service that builds it records the export in the event log."""

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
        st.download_button(
            f"Download {ready.filename}",
            data=ready.content,
            file_name=ready.filename,
            mime=ready.mime,
            icon=":material/download:",
            key=f"{key}_download",
            on_click="ignore",
        )

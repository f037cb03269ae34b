"""A notice that is part of the page, not news: a bordered box with an icon. Streamlit's
``st.warning`` and ``st.error`` are live regions with ``role="alert"`` (and ``st.info``
and ``st.success`` with ``role="status"``), which a screen reader announces as they
appear; text that is simply there when the page is drawn, such as a classifier's flag,
must not interrupt. Alerts stay for what just happened (a failed save, a refused submit)."""

from __future__ import annotations

import streamlit as st

from qa_app.ui.components.plain import plain

TONES = {"warning": "orange", "success": "green", "info": "blue", "error": "red"}


def notice(text: str, *, icon: str, tone: str = "info", markup: bool = False) -> None:
    """``text`` is shown as plain text; with ``markup``, it is Markdown the caller built
    from its own words (plan or user text in it escaped with ``plain``). ``icon`` is a
    Material icon name such as ``flag``."""
    body = text if markup else plain(text)
    with st.container(border=True):
        st.markdown(f":{TONES[tone]}[:material/{icon}:] {body}")

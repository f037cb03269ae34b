"""A select box beside a selectable table, so what a click on a row does can be done
with the keyboard: Streamlit's data grid is a canvas that takes focus invisibly and
ignores Enter and Space."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import streamlit as st


def choose(label: str, options: Mapping[Hashable, str], key: str, placeholder: str = "Choose one…"):
    """The option picked (a key of ``options``), or None while none is."""
    return st.selectbox(
        label, list(options), index=None, format_func=options.get, placeholder=placeholder, key=key
    )

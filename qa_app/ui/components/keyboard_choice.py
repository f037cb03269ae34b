"""A selectable table and the select box beside it, so what a click on a row does can be
done with the keyboard: Streamlit's data grid is a canvas that takes focus invisibly and
ignores Enter and Space."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd
import streamlit as st


def choose(label: str, options: Mapping[Hashable, str], key: str, placeholder: str = "Choose one…"):
    """The option picked (a key of ``options``), or None while none is."""
    return st.selectbox(
        label, list(options), index=None, format_func=options.get, placeholder=placeholder, key=key
    )


def picked_row(table: pd.DataFrame, key: str):
    """The table, one row of which may be selected; the index of the selected row, or
    None while none is."""
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        width="stretch",
        key=key,
    )
    selected = event.selection.rows if event else []
    return int(table.index[selected[0]]) if selected else None

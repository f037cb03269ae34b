"""The pages of this run, by name, so that one page can send the user to another."""

from __future__ import annotations

import streamlit as st

_PAGES: dict[str, st.Page] = {}


def remember(pages: dict[str, st.Page]) -> list[st.Page]:
    _PAGES.clear()
    _PAGES.update(pages)
    return list(pages.values())


def go_to(name: str, **params) -> None:
    st.switch_page(_PAGES[name], query_params={k: str(v) for k, v in params.items()})


def has_page(name: str) -> bool:
    return name in _PAGES


def page_link(name: str, label: str, **params) -> None:
    if name in _PAGES:
        st.page_link(_PAGES[name], label=label, query_params={k: str(v) for k, v in params.items()})

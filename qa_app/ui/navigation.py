"""The pages of this run, by name, so that one page can send the user to another.

Kept in the session's own state: each signed-in person has their own set of pages."""

from __future__ import annotations

import streamlit as st

_KEY = "_pages_by_name"
NAV_KEY = "app_navigation"

SECTIONS = {
    "Auditing": ["my_audits", "audit", "assign", "moderation", "actions", "exports", "import_plan"],
    "Insight": ["dashboard", "reports", "evidence_pack"],
    "Records": ["plans", "plan", "rubrics"],
    "Administration": ["event_log", "admin_users"],
}


def remember(pages: dict[str, st.Page]) -> dict[str, list[st.Page]]:
    """Keep this run's pages by name; return them grouped into sidebar sections."""
    st.session_state[_KEY] = pages
    grouped = {
        section: [pages[name] for name in names if name in pages]
        for section, names in SECTIONS.items()
    }
    placed = {name for names in SECTIONS.values() for name in names}
    grouped["Other"] = [page for name, page in pages.items() if name not in placed]
    return {section: members for section, members in grouped.items() if members}


def show_links(grouped: dict[str, list[st.Page]]) -> None:
    """The sidebar's links to every page, under a bold name for each section. Streamlit's
    own sidebar navigation puts its sections' items in lists that assistive technology
    cannot read as lists (axe-core's ``list`` and ``listitem`` rules), so the app hides it
    and draws these links instead."""
    with st.sidebar.container(key=NAV_KEY):
        for section, pages in grouped.items():
            st.markdown(f"**{section}**")
            for page in pages:
                st.page_link(page, label=page.title, icon=page.icon)


def _pages() -> dict[str, st.Page]:
    return st.session_state.get(_KEY, {})


def go_to(name: str, **params) -> None:
    st.switch_page(_pages()[name], query_params={k: str(v) for k, v in params.items()})


def has_page(name: str) -> bool:
    return name in _pages()


def page_link(name: str, label: str, **params) -> None:
    if name in _pages():
        st.page_link(
            _pages()[name], label=label, query_params={k: str(v) for k, v in params.items()}
        )

"""Links that move the keyboard focus to a control further down the page, such as each
criterion a refused submit names. A Markdown link to ``#qa-jump-KEY`` is caught here: the
page scrolls the widget with key ``KEY`` into view (inside its own scrolling column too)
and focuses its chosen option, or its first control. Without this a fragment link would
only scroll, leaving the focus on the link."""

from __future__ import annotations

import streamlit as st

from qa_app.ui.components.plain import plain

PREFIX = "qa-jump-"

_JS = """
export default function() {
  if (window.__qaJumpLinks) return;
  window.__qaJumpLinks = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a[href^='#PREFIX']") : null;
    if (!link) return;
    const key = decodeURIComponent(link.getAttribute("href").slice("#PREFIX".length));
    const box = document.querySelector(".st-key-" + CSS.escape(key));
    if (!box) return;
    event.preventDefault();
    const target = box.querySelector("input:checked")
      || box.querySelector("input, textarea, select, button, [tabindex]:not([tabindex='-1'])");
    box.scrollIntoView({ block: "center" });
    if (target) target.focus({ preventScroll: true });
  }, true);
}
""".replace("PREFIX", PREFIX)

_handler = st.components.v2.component("qa_jump_links", js=_JS)


def enable_jump_links() -> None:
    """Catch jump links on this page (once per browser tab; harmless to call again)."""
    _handler(key="qa_jump_links")


def jump_link(text: str, widget_key: str) -> str:
    """Markdown for a link showing ``text`` (plain text) that moves the focus to the
    widget with key ``widget_key``."""
    return f"[{plain(text)}](#{PREFIX}{widget_key})"

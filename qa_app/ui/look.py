"""What the theme cannot set: a focus ring that shows at 3:1 or more on every control,
date fields whose parts are 24 pixels or more to click, and moving the keyboard focus to
the page's main heading when a page opens after signing in."""

from __future__ import annotations

import streamlit as st

# The theme's primary colour (.streamlit/config.toml); 11:1 against white.
FOCUS = "#1f3a5f"
TEXT = "#0b0c0c"

_CSS = f"""
<style>
:focus-visible,
[data-baseweb="input"]:focus-within,
[data-baseweb="textarea"]:focus-within,
[data-baseweb="select"] > div:focus-within {{
  outline: 3px solid {FOCUS} !important;
  outline-offset: 2px !important;
}}
[role="spinbutton"] {{
  display: inline-flex;
  align-items: center;
  justify-content: center;
  min-width: 24px;
  min-height: 24px;
}}
/* A locked audit's questions stay readable (Streamlit fades a disabled widget's label to 2.7:1). */
[data-testid="stWidgetLabel"] p {{ color: {TEXT}; }}
[data-testid="stMain"] h1:focus {{ outline: none; }}
[data-testid="stMain"] h1:focus-visible {{ outline: 3px solid {FOCUS} !important; }}
</style>
"""

_FOCUS_HEADING_JS = """
export default function(component) {
  const { data } = component;
  let tries = 0;
  const focus = () => {
    const heading = document.querySelector("[data-testid='stMain'] h1");
    if (!heading) {
      if (tries++ < 40) setTimeout(focus, 50);
      return;
    }
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  };
  if (data && data.run) focus();
}
"""

_focus_heading = st.components.v2.component("qa_focus_main_heading", js=_FOCUS_HEADING_JS)


def apply() -> None:
    st.html(_CSS)


def focus_main_heading(run: int) -> None:
    """Move the keyboard focus to the page's main heading. ``run`` changes each time the
    focus should move again (the same value leaves the focus where it is)."""
    _focus_heading(data={"run": run}, key="qa_focus_main_heading")

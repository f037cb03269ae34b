"""A confirmation shown where the person pressed the button, not wherever the rerun
leaves the page: after a save that replaces a form with its outcome, the page shrinks
beneath the reader and the outcome can end up above the screen. ``confirm_here`` shows
the message (``st.success``, a status live region) in a keyed container, scrolls that
container into view and puts the keyboard focus on the message, so a screen reader reads
it out and the next Tab continues from there."""

from __future__ import annotations

import streamlit as st

_JS = """
export default function(component) {
  const { data } = component;
  if (!data || !data.key) return;
  const done = (window.__qaConfirmed = window.__qaConfirmed || {});
  if (done[data.key] === data.run) return;
  let tries = 0;
  const show = () => {
    const box = document.querySelector(".st-key-" + CSS.escape(data.key));
    const message = box && box.querySelector("[data-testid='stAlert'], [role='status']");
    if (!message) {
      if (tries++ < 40) setTimeout(show, 50);
      return;
    }
    done[data.key] = data.run;
    message.setAttribute("tabindex", "-1");
    box.scrollIntoView({ block: "center" });
    message.focus({ preventScroll: true });
  };
  show();
}
"""

_focus = st.components.v2.component("qa_confirm_here", js=_JS)


def confirm_here(key: str, message: str, *, run: int) -> st.delta_generator.DeltaGenerator:
    """Show ``message`` (Markdown the caller built; escape data with ``plain``) in a
    container with widget key ``key``, and bring it into view and focus once for each new
    ``run``. Returns the container, for links or buttons that belong with the message."""
    box = st.container(key=key)
    box.success(message, icon=":material/check_circle:")
    with box:
        _focus(data={"key": key, "run": run}, key=f"{key}_focus")
    return box

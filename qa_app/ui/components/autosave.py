"""A text field that saves while it is typed (Streamlit Components v2).

``st.text_area`` sends its value only when it loses focus, so text typed just before a
reload or a closed tab is lost. This field sends the text over the Streamlit connection
at most ``DEBOUNCE_MS`` after the last keystroke (and on leaving the field); when the
page is hidden or closed, it sends the last text with ``navigator.sendBeacon`` to
``POST /api/autosave`` (``qa_app.routes.autosave``), which checks the session cookie,
the CSRF token and the record's version like any other save. While a save is still on
its way, leaving the page sends it at once and asks first. The time of the last save is
shown beside the field; the text is shown as typed (a textarea), never as markup.

Pages that edit a versioned record (the audit page, the moderation page) share the rest:
``typed_field`` draws a field bound to ``services.typed_text``, and ``save_tracked`` runs
any of the page's saves, keeping the page's account of them in one dict (``state``):

- ``version``: the record's version the page last read or wrote;
- ``unsaved``: widget key → ``(kind, target, value)`` of each change whose save failed,
  still shown as typed so it can be saved again;
- ``problem``: ``(message, changes)`` of the last failed save, or None;
- ``saved_at`` and ``field_saved_at`` (per typed field): the time of the last save;
- ``conflict`` (someone else saved first) and ``outage`` (the database was away).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st
from sqlalchemy.orm import Session

from qa_app.services import typed_text
from qa_app.services.access import Actor
from qa_app.services.errors import ServiceError, StaleVersion
from qa_app.services.health import DatabaseUnavailable
from qa_app.ui.db import db
from qa_app.ui.session import csrf_token, current_actor

DEBOUNCE_MS = 800
AUTOSAVE_ROUTE = "/api/autosave"

_HTML = """
<div class="qa-autosave">
  <label class="qa-autosave-label"></label>
  <textarea class="qa-autosave-text" spellcheck="true"></textarea>
  <div class="qa-autosave-status" role="status" aria-live="polite"></div>
</div>
"""

_CSS = """
.qa-autosave { display: flex; flex-direction: column; gap: 0.25rem; font-family: var(--st-font, inherit); }
.qa-autosave-label { font-size: 0.875rem; color: var(--st-text-color, #262730); }
.qa-autosave-text {
  width: 100%; box-sizing: border-box; resize: vertical; padding: 0.5rem 0.75rem;
  font: inherit; font-size: 1rem; line-height: 1.5; color: var(--st-text-color, #262730);
  background: var(--st-secondary-background-color, #f0f2f6);
  border: 1px solid var(--st-border-color, #d5dae5); border-radius: var(--st-base-radius, 0.5rem);
}
.qa-autosave-text:focus { outline: 2px solid var(--st-primary-color, #8a2432); outline-offset: 1px; }
.qa-autosave-text:disabled { opacity: 0.7; cursor: not-allowed; }
.qa-autosave-status { min-height: 1.2em; font-size: 0.8rem; color: var(--st-text-color, #31333f); opacity: 0.8; }
"""

_JS = """
const DEBOUNCE_MS = __DEBOUNCE_MS__;

export default function(component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".qa-autosave");
  const area = root.querySelector("textarea");
  const status = root.querySelector(".qa-autosave-status");
  let s = root.__autosave;
  if (!s) {
    s = root.__autosave = { timer: null, sent: null, beaconed: null, data };
    const id = "qa-autosave-" + Math.random().toString(36).slice(2);
    area.id = id;
    root.querySelector("label").htmlFor = id;
    area.value = data.value;
    const pending = () => s.timer !== null || (s.sent !== null && s.sent !== s.data.value);
    s.show = () => {
      if (s.data.problem) status.textContent = s.data.problem;
      else if (s.timer !== null) status.textContent = "Not saved yet…";
      else if (pending()) status.textContent = "Saving…";
      else status.textContent = s.data.saved_at ? "Saved " + s.data.saved_at : "";
      root.dataset.saved = pending() ? "pending" : (s.data.saved_at || "");
    };
    const send = () => {
      clearTimeout(s.timer);
      s.timer = null;
      if (area.value !== s.data.value && area.value !== s.sent) {
        s.sent = area.value;
        setTriggerValue("save", area.value);
      }
      s.show();
    };
    area.addEventListener("input", () => {
      clearTimeout(s.timer);
      s.timer = setTimeout(send, DEBOUNCE_MS);
      s.show();
    });
    area.addEventListener("blur", send);
    const beacon = () => {
      const b = s.data.beacon;
      if (!b || area.value === s.data.value || area.value === s.beaconed) return;
      const body = new URLSearchParams({ ...b, version: String(s.data.version), text: area.value });
      if (navigator.sendBeacon(b.url, body)) s.beaconed = area.value;
    };
    const onHidden = () => { if (document.visibilityState === "hidden") beacon(); };
    // A closing tab does not always reach pagehide (a tab closed by automation, a
    // crashing renderer), so a save still on its way is sent here too, then the person
    // is asked before leaving.
    const onBeforeUnload = (event) => {
      if (!root.isConnected || !pending()) return;
      beacon();
      event.preventDefault();
      event.returnValue = "";
    };
    const detach = () => {
      document.removeEventListener("visibilitychange", onHidden);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("beforeunload", onBeforeUnload);
    };
    const onPageHide = () => { if (root.isConnected) beacon(); else detach(); };
    document.addEventListener("visibilitychange", onHidden);
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("beforeunload", onBeforeUnload);
  }
  s.data = data;
  root.querySelector("label").textContent = data.label;
  area.disabled = Boolean(data.disabled);
  area.rows = data.rows;
  if (data.help) area.setAttribute("aria-description", data.help);
  if (s.sent !== null && s.sent === data.value) s.sent = null;
  // Take the stored text only while nothing typed here is waiting to be saved.
  if (s.timer === null && s.sent === null && area.value !== data.value && document.activeElement !== area) {
    area.value = data.value;
  }
  s.show();
}
""".replace("__DEBOUNCE_MS__", str(DEBOUNCE_MS))

_component = st.components.v2.component(
    "qa_autosave_text", html=_HTML, css=_CSS, js=_JS, isolate_styles=False
)


def autosave_text(
    label: str,
    *,
    key: str,
    value: str,
    version: int | None,
    saved_at: str | None,
    on_save: Callable[[str], None],
    beacon: dict[str, str],
    disabled: bool = False,
    rows: int = 3,
    problem: str | None = None,
) -> None:
    """Show a field holding ``value`` that calls ``on_save(text)`` as it is typed.

    ``beacon`` names the field for the save route (``kind``, ``record``, ``target``, as
    ``services.typed_text.TypedField``); ``version`` is the record's version the shown
    text belongs to; ``problem`` replaces the saved time when the last save failed."""
    csrf = csrf_token()
    data = {
        "label": label,
        "value": value or "",
        "version": version,
        "saved_at": saved_at,
        "problem": problem,
        "disabled": disabled,
        "rows": rows,
        "beacon": {"url": AUTOSAVE_ROUTE, "csrf": csrf, **beacon}
        if csrf and not disabled
        else None,
    }
    _component(key=key, data=data, on_save_change=lambda: on_save(_saved_text(key)))


def save_tracked(
    state: dict, key: str, entry: tuple | None, save: Callable[[Session, Actor, int | None], int]
) -> bool:
    """Run ``save(session, actor, version)`` (which returns the record's new version) and
    keep its outcome in ``state``; when it fails, ``entry`` (``(kind, target, value)``,
    or None for an action with nothing typed) is kept under ``key`` to be shown and saved
    again. Returns whether it saved."""
    try:
        with db() as session:
            state["version"] = save(session, current_actor(), state["version"])
    except StaleVersion as error:
        _keep(state, key, entry)
        state["problem"] = (str(error), error.changes)
        state["conflict"] = True
        return False
    except ServiceError as error:
        _keep(state, key, entry)
        state["problem"] = (str(error), [])
        state["outage"] = isinstance(error, DatabaseUnavailable)
        return False
    state["unsaved"].pop(key, None)
    state["saved_at"] = datetime.now().strftime("%H:%M:%S")
    state["outage"] = False
    if not state["unsaved"]:
        state["problem"] = None
        state["conflict"] = False
    return True


def _keep(state: dict, key: str, entry: tuple | None) -> None:
    if entry is not None:
        state["unsaved"][key] = entry


def save_typed_field(state: dict, field: typed_text.TypedField, key: str, text: str) -> bool:
    """Save what was typed into ``field`` (shown under widget ``key``)."""
    saved = save_tracked(
        state,
        key,
        (field.kind, field.target, text),
        lambda session, actor, version: typed_text.save_typed(
            session, actor, field, text or "", expected_version=version
        ),
    )
    if saved:
        state.setdefault("field_saved_at", {})[key] = state["saved_at"]
    return saved


def typed_field(
    state: dict,
    field: typed_text.TypedField,
    label: str,
    *,
    key: str,
    stored: str | None,
    disabled: bool = False,
    rows: int = 3,
) -> str:
    """A field of a versioned record that saves as it is typed (through
    ``services.typed_text`` and, as the page closes, the save route). Returns the text it
    shows: this session's unsaved text after a failed save, else ``stored``."""
    unsaved = state["unsaved"].get(key)
    text = unsaved[2] if unsaved else (stored or "")
    autosave_text(
        label,
        key=f"{key}-autosave",
        value=text,
        version=state["version"],
        saved_at=state.setdefault("field_saved_at", {}).get(key),
        rows=rows,
        disabled=disabled,
        problem="Not saved — see the message at the top." if unsaved else None,
        on_save=lambda typed: save_typed_field(state, field, key, typed),
        beacon={"kind": field.kind, "record": str(field.record_id), "target": field.target},
    )
    return text


def _saved_text(key: str) -> str:
    state = st.session_state.get(key) or {}
    text = state.get("save") if hasattr(state, "get") else None
    return text if isinstance(text, str) else ""

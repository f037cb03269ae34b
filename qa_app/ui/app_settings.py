"""The settings a browser session runs with: read from the environment once, when the
session's first run starts, and passed from the pages to every service they call.

A test that runs pages with AppTest puts its own ``Settings`` under ``SETTINGS_KEY``
before the first run, so no test steers the app through the environment.
"""

from __future__ import annotations

import streamlit as st

from qa_app.settings import Settings, get_settings

SETTINGS_KEY = "settings"


def current_settings() -> Settings:
    """Raises ``SettingsError`` naming the variable when the environment cannot be read."""
    settings = st.session_state.get(SETTINGS_KEY)
    if settings is None:
        settings = st.session_state[SETTINGS_KEY] = get_settings()
    return settings

"""HTTP routes served beside the Streamlit app by ``st.App`` (see ``streamlit_app.py``):
the session cookie after signing in, and the save a closing page sends."""

from __future__ import annotations

from starlette.routing import Route

from qa_app.routes.autosave import save_on_close
from qa_app.routes.session_cookie import set_session_cookie

ROUTES = [
    Route("/api/session", set_session_cookie, methods=["POST"]),
    Route("/api/autosave", save_on_close, methods=["POST"]),
]

__all__ = ["ROUTES"]

"""Entry point: ``streamlit run streamlit_app.py`` serves the app's script
(``qa_app/ui_script.py``) through Streamlit's ASGI ``st.App``, with the routes of
``qa_app.routes`` beside it: the session cookie after signing in, and the save a
closing page sends."""

import streamlit as st

from qa_app.routes import ROUTES
from qa_app.settings import PROJECT_ROOT

app = st.App(PROJECT_ROOT / "qa_app" / "ui_script.py", routes=ROUTES)

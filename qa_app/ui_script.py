"""The Streamlit script run for every browser session; ``streamlit_app.py`` serves it
with the routes beside it."""

from qa_app.ui.app import run

run()

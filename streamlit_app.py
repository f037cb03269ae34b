"""Entry point: `streamlit run streamlit_app.py`."""

from qa_app.ui.app import run

run()

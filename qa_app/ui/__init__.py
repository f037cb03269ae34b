"""The Streamlit user interface. Pages call services; nothing else imports Streamlit."""

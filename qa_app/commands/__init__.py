"""Sub-commands of ``qa-app``, one module each (see ``qa_app.cli``)."""

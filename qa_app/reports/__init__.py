"""Word learning reports (python-docx) with chart images.

    build_document(figures, clean)   the .docx bytes: a learning report, or feedback for
                                     one plan writer when the figures name a writer

``clean`` is applied to every string the document receives (see ``privacy.Scrubber``).
"""

from __future__ import annotations

from collections.abc import Callable

from qa_app.reports.feedback import write_writer_feedback
from qa_app.reports.figures import ReportFigures
from qa_app.reports.learning import write_learning_report
from qa_app.reports.writing import ReportWriter

__all__ = ["build_document"]


def build_document(figures: ReportFigures, *, clean: Callable[[str], str]) -> bytes:
    out = ReportWriter(clean)
    if figures.scope.writer:
        write_writer_feedback(out, figures)
    else:
        write_learning_report(out, figures)
    return out.to_bytes()

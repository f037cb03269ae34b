"""The PDF corpus: every Word layout of the regression corpus exported to PDF once per
test session (LibreOffice headless, which .ci/run installs)."""

from __future__ import annotations

import pytest

from tests.ingest.plan_builder import build_docx
from tests.ingest.plan_layouts import LAYOUTS
from tests.ingest.plan_pdf import soffice, to_pdf, with_running_lines


@pytest.fixture(scope="session")
def pdf_corpus() -> dict[str, bytes]:
    """Layout name -> the layout as a PDF with a running header and page-number footer."""
    if soffice() is None:
        pytest.fail(
            "LibreOffice (soffice) is needed to build the PDF corpus: apt-get install libreoffice-writer-nogui"
        )
    layouts = [factory() for factory in LAYOUTS]
    return to_pdf({layout.name: with_running_lines(build_docx(layout.items)) for layout in layouts})

"""PDF versions of the Word regression corpus, made by LibreOffice headless as a council's
case-management system would export them: with a running header and a "Page N of M"
footer on every page, which the reader must drop."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

RUNNING_HEADER = "OFFICIAL-SENSITIVE: Education, Health and Care Plan"
CONVERT_TIMEOUT_SECONDS = 240


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def with_running_lines(data: bytes) -> bytes:
    """The .docx with a running header and a page-number footer."""
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEADER
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    run._r.addnext(field)


def to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """name -> PDF bytes for name -> .docx bytes, converted in one LibreOffice run with a
    profile of its own (so it never meets another LibreOffice on the machine)."""
    with tempfile.TemporaryDirectory(prefix="plan-pdf-") as folder:
        root = Path(folder)
        paths = []
        for name, data in documents.items():
            path = root / f"{name}.docx"
            path.write_bytes(data)
            paths.append(str(path))
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation=file://{root / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(root / "pdf"),
                *paths,
            ],
            check=True,
            capture_output=True,
            timeout=CONVERT_TIMEOUT_SECONDS,
        )
        return {name: (root / "pdf" / f"{name}.pdf").read_bytes() for name in documents}

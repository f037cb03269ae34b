"""Ingest figures: reading a long plan from Word (budget 150 ms per plan) and from PDF
(budget 500 ms), and re-checking stored plans for weak outcomes (``qa-app flag``)."""

from __future__ import annotations

import io
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import docx
import pypdfium2 as pdfium

from qa_app.benchmarks import figure
from qa_app.domain.plan_facts import NEED_AREAS, SECTION_LETTERS, SECTION_TITLES
from qa_app.ingest import read_plan

RUNS = 15
WORDS_PER_PAGE = 400
PAGES = 30

_VOCABULARY = [
    "reading",
    "writing",
    "number",
    "attention",
    "friendship",
    "sensory",
    "routine",
    "transition",
    "lunchtime",
    "classroom",
    "adult",
    "prompt",
    "visual",
    "timetable",
    "small",
    "group",
    "therapy",
    "programme",
    "weekly",
    "daily",
    "minutes",
    "review",
    "progress",
    "confidence",
    "independence",
    "communication",
    "language",
    "listening",
    "speaking",
    "regulation",
    "calm",
    "teacher",
    "assistant",
    "therapist",
    "occupational",
    "physiotherapy",
    "social",
    "worker",
    "parent",
    "family",
    "swimming",
    "music",
    "drawing",
    "animals",
    "football",
    "bus",
    "college",
    "homework",
    "phonics",
    "spelling",
    "handwriting",
    "keyboard",
]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_VOCABULARY, k=rng.randint(10, 22))
    return f"Jordan {' '.join(words)}."


def long_plan(seed: int = 3, pages: int = PAGES) -> bytes:
    """A plan of about 30 pages: a header table, every section, outcome and provision tables."""
    rng = random.Random(seed)
    document = docx.Document()
    document.add_heading("Education, Health and Care Plan", 0)
    header = document.add_table(rows=0, cols=2)
    for label, value in [
        ("Name of child", "Jordan Example"),
        ("Date of birth", "02/05/2014"),
        ("NHS number", "943 476 5919"),
        ("Year group", "Year 7"),
        ("Primary need", "SEMH"),
    ]:
        cells = header.add_row().cells
        cells[0].text, cells[1].text = label, value
    words_per_section = pages * WORDS_PER_PAGE // len(SECTION_LETTERS)
    for letter in SECTION_LETTERS:
        document.add_heading(f"Section {letter}: {SECTION_TITLES[letter]}", 1)
        if letter == "E":
            table = document.add_table(rows=1, cols=4)
            for cell, title in zip(
                table.rows[0].cells, ["Area of need", "Outcome", "Steps", "By when"]
            ):
                cell.text = title
            for number in range(10):
                row = table.add_row().cells
                row[0].text = NEED_AREAS[number % len(NEED_AREAS)]
                row[1].text = f"By July 2027 Jordan will {_sentence(rng)}"
                row[2].text = _sentence(rng)
                row[3].text = "July 2027"
        elif letter == "F":
            table = document.add_table(rows=1, cols=3)
            for cell, title in zip(table.rows[0].cells, ["Provision", "Who", "How often"]):
                cell.text = title
            for _ in range(25):
                row = table.add_row().cells
                row[0].text, row[1].text, row[2].text = (
                    _sentence(rng),
                    "Teaching assistant",
                    "3 x 30 minutes weekly",
                )
        written = 0
        while written < words_per_section:
            if rng.random() < 0.25:
                document.add_paragraph(_sentence(rng), style="List Bullet")
            else:
                paragraph = " ".join(_sentence(rng) for _ in range(4))
                document.add_paragraph(paragraph)
            written += 60
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@figure("ingest_ms_per_plan")
def ingest_ms_per_plan() -> dict[str, float]:
    data = long_plan()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        read_plan(data, "bench.docx")
        timings.append((time.perf_counter() - started) * 1000)
    return {"ingest_ms_per_plan": round(statistics.median(timings), 1)}


# LibreOffice sets the long plan on more pages than Word: this many "Word pages" of
# text make a PDF of 30 pages.
PDF_WORD_PAGES = 16


def long_plan_pdf() -> tuple[bytes, int]:
    """The long Word plan exported to PDF by LibreOffice headless, as councils' systems
    export plans, with its page count."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError(
            "ingest_pdf_ms_per_plan needs LibreOffice (soffice) to make its PDF plan"
        )
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        root = Path(folder)
        (root / "plan.docx").write_bytes(long_plan(pages=PDF_WORD_PAGES))
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{root / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(root),
                str(root / "plan.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        data = (root / "plan.pdf").read_bytes()
    document = pdfium.PdfDocument(data)
    try:
        return data, len(document)
    finally:
        document.close()


@figure("ingest_pdf_ms_per_plan")
def ingest_pdf_ms_per_plan() -> dict[str, float]:
    data, pages = long_plan_pdf()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        read_plan(data, "bench.pdf")
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "ingest_pdf_ms_per_plan": round(statistics.median(timings), 1),
        "ingest_pdf_pages": pages,
    }


FLAG_PLANS = 100


@figure("flag_plans_per_s")
def flag_plans_per_s() -> dict[str, float]:
    """Stored plans re-checked per second by ``qa-app flag --all`` (outcomes classified,
    provision and thread checked, flags and log entries written, one commit)."""
    from qa_app.services.access import SYSTEM
    from qa_app.services.flags import flag_stored_plans
    from qa_app.services.plan_import import PlanDetails, import_plan
    from qa_app.store.engine import session_scope, upgrade

    parsed = read_plan(long_plan(), "bench.docx")
    with tempfile.TemporaryDirectory(prefix="bench-flag-") as folder:
        url = f"sqlite:///{Path(folder) / 'flag.db'}"
        upgrade(url)
        with session_scope(url) as session:
            for _ in range(FLAG_PLANS):
                import_plan(session, SYSTEM, parsed, PlanDetails.from_parsed(parsed))
        started = time.perf_counter()
        with session_scope(url) as session:
            summary = flag_stored_plans(session, SYSTEM)
        elapsed = time.perf_counter() - started
    return {
        "flag_plans_per_s": round(summary.plans / elapsed, 1),
        "flag_outcomes_per_plan": len(parsed.outcomes),
    }

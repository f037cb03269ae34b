"""Hostile and unreadable PDFs are refused by name, as ``PlanRefused`` only, and a refused
upload stores nothing."""

from __future__ import annotations

import zlib

import pytest
from sqlalchemy import func, select

from qa_app.ingest import PlanRefused, read_plan
from qa_app.services.plan_import import read_uploads
from qa_app.store.models import Plan
from tests.ingest.pdf_writer import PLAN_LINES, pdf, stream, text_page_pdf
from tests.ingest.plan_builder import build_docx

NO_TEXT = "no text layer: export the plan as a text PDF or as Word"


def refusal(data: bytes, name: str = "plan.pdf") -> str:
    with pytest.raises(PlanRefused) as caught:
        read_plan(data, name)
    return caught.value.reason


def test_a_plain_text_pdf_is_read():
    plan = read_plan(text_page_pdf(PLAN_LINES), "plan.pdf")
    assert list(plan.sections) == ["A", "E"]
    assert [o.text for o in plan.outcomes] == ["Sam will read 20 words aloud by July 2026."]


def test_a_scan_without_a_text_layer_is_refused():
    assert refusal(text_page_pdf([])) == NO_TEXT


def test_javascript_is_refused_wherever_it_is_named():
    open_action = b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    assert (
        refusal(text_page_pdf(PLAN_LINES, catalog_extra=open_action))
        == "PDF with JavaScript is not accepted"
    )
    escaped = b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"
    assert (
        refusal(text_page_pdf(PLAN_LINES, catalog_extra=escaped))
        == "PDF with JavaScript is not accepted"
    )


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    hidden = b"6 0 << /S /JavaScript /JS (app.alert(1)) >>"
    object_stream = stream(hidden, b"/Type /ObjStm /N 1 /First 4", compress=True)
    data = text_page_pdf(PLAN_LINES, more=[object_stream])
    assert refusal(data) == "PDF with JavaScript is not accepted"


def test_a_launch_action_is_refused():
    launch = b"/OpenAction << /S /Launch /F (cmd.exe) >>"
    assert refusal(text_page_pdf(PLAN_LINES, catalog_extra=launch)).startswith(
        "PDF with a launch action"
    )


def test_an_encrypted_pdf_is_refused():
    data = text_page_pdf(PLAN_LINES).replace(
        b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /Filter /Standard /V 2 >>"
    )
    assert refusal(data) == "encrypted or password-protected PDF"


def test_a_truncated_pdf_is_refused():
    data = text_page_pdf(PLAN_LINES)
    assert refusal(data[: len(data) // 2]).startswith("truncated PDF")


def test_a_renamed_word_file_or_other_file_is_not_a_pdf():
    assert (
        refusal(build_docx([("para", "Sam")]))
        == "not a PDF file (it is a Word document or zip file)"
    )
    assert refusal(b"just some text") == "not a PDF file"
    assert refusal(b"") == "empty file"


def test_an_oversize_pdf_is_refused():
    data = text_page_pdf(PLAN_LINES)
    assert refusal(data[:-6] + b" " * (26 * 1024 * 1024) + b"%%EOF\n") == "file is over 25 MB"


def test_a_page_count_bomb_is_refused():
    data = text_page_pdf(PLAN_LINES).replace(b"/Count 1 ", b"/Count 9999999 ")
    assert refusal(data) == "page-count bomb: more than 500 pages"


def test_an_object_bomb_is_refused():
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    objects += [b"<< >>"] * 60_000
    assert refusal(pdf(objects)) == "object bomb: more than 50,000 objects"


def test_a_compression_bomb_is_refused():
    megabyte = zlib.compress(b"\0" * (1024 * 1024), 9)
    streams = [
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(megabyte)
        + megabyte
        + b"\nendstream"
    ]
    data = text_page_pdf(PLAN_LINES, more=streams * 210)
    assert refusal(data).startswith("compression bomb")


def test_a_refused_pdf_upload_is_reported_and_stores_nothing(session):
    before = session.scalar(select(func.count()).select_from(Plan))
    results = read_uploads(
        [
            (
                "script.pdf",
                text_page_pdf(
                    PLAN_LINES, catalog_extra=b"/OpenAction << /S /JavaScript /JS (x) >>"
                ),
            ),
            ("good.pdf", text_page_pdf(PLAN_LINES)),
        ]
    )
    assert [(r.name, r.reason) for r in results] == [
        ("script.pdf", "PDF with JavaScript is not accepted"),
        ("good.pdf", None),
    ]
    assert session.scalar(select(func.count()).select_from(Plan)) == before

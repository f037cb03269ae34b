"""Checks on an uploaded PDF's bytes before PDFium is asked to lay out any page.

Everything here reads the raw file and bounded decompressions of its streams, so a hostile
file is refused by name: a renamed Word file or other non-PDF, a truncated file, an
encrypted one, one that carries JavaScript or a launch action (also when hidden in a
compressed object stream or behind ``#xx`` name escapes), an object bomb (too many
objects), a page-count bomb, or a compression bomb (streams that unpack past the limit).
"""

from __future__ import annotations

import re
import zlib

from qa_app.ingest.errors import PlanRefused
from qa_app.ingest.package import MAX_FILE_BYTES

MAX_PAGES = 500
MAX_OBJECTS = 50_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# A PDF's header may follow a little junk; its end-of-file marker closes the last 1 KB.
_HEADER_WINDOW = 1024
_TRAILER_WINDOW = 2048

_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_COUNT = re.compile(rb"/Count\s+(\d{1,12})")
_STREAM = re.compile(rb"stream\r?\n")
_OBJECT_STREAM_SIZE = re.compile(rb"/N\s+(\d{1,12})")
_FORBIDDEN = {
    b"JavaScript": "PDF with JavaScript is not accepted",
    b"JS": "PDF with JavaScript is not accepted",
    b"Launch": "PDF with a launch action (it can start a program) is not accepted",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_pdf(data: bytes) -> None:
    """Raise ``PlanRefused`` unless ``data`` is a PDF that is safe to hand to PDFium."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanRefused("file is over 25 MB")
    if not data:
        raise PlanRefused("empty file")
    _check_signature(data)
    if b"%%EOF" not in data[-_TRAILER_WINDOW:]:
        raise PlanRefused("truncated PDF (the file ends before its end-of-file marker)")
    if re.search(rb"/Encrypt\b", data):
        raise PlanRefused("encrypted or password-protected PDF")
    objects = len(_OBJECT.findall(data))
    streams = list(_streams(data))
    for dictionary, _ in streams:
        if b"/ObjStm" in dictionary:
            size = _OBJECT_STREAM_SIZE.search(dictionary)
            objects += int(size[1]) if size else 0
    if objects > MAX_OBJECTS:
        raise PlanRefused(f"object bomb: more than {MAX_OBJECTS:,} objects")
    counts = [int(count) for count in _COUNT.findall(data)]
    if counts and max(counts) > MAX_PAGES:
        raise PlanRefused(f"page-count bomb: more than {MAX_PAGES} pages")
    _check_names(data)
    unpacked = 0
    for dictionary, body in streams:
        if b"/FlateDecode" not in dictionary and b"/Fl " not in dictionary:
            continue
        inflated = _inflate(body, MAX_UNPACKED_BYTES - unpacked)
        unpacked += len(inflated)
        if b"/ObjStm" in dictionary:
            if b"/Encrypt" in inflated:
                raise PlanRefused("encrypted or password-protected PDF")
            _check_names(inflated)


def check_page_count(pages: int) -> None:
    if pages > MAX_PAGES:
        raise PlanRefused(f"page-count bomb: more than {MAX_PAGES} pages")


def _check_signature(data: bytes) -> None:
    if b"%PDF-" in data[:_HEADER_WINDOW]:
        return
    if data.startswith(b"PK"):
        raise PlanRefused("not a PDF file (it is a Word document or zip file)")
    if data.startswith(_OLE_MAGIC):
        raise PlanRefused("not a PDF file (it is an older Word .doc or other binary file)")
    raise PlanRefused("not a PDF file")


def _check_names(data: bytes) -> None:
    for match in _NAME.finditer(data):
        name = match[1]
        if b"#" in name:
            name = _ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name)
        reason = _FORBIDDEN.get(name)
        if reason:
            raise PlanRefused(reason)


def _streams(data: bytes):
    """(dictionary, raw body) of each stream, found without parsing the object graph."""
    position = 0
    while True:
        match = _STREAM.search(data, position)
        if match is None:
            return
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            raise PlanRefused("truncated PDF (a stream has no end)")
        opening = data.rfind(b"obj", max(0, match.start() - 4096), match.start())
        dictionary = data[opening if opening >= 0 else max(0, match.start() - 4096) : match.start()]
        if b"<<" in dictionary:
            yield dictionary, data[start:end]
        position = end + len(b"endstream")


def _inflate(body: bytes, budget: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        inflated = inflater.decompress(body, budget + 1)
    except zlib.error:
        return b""  # a damaged stream is PDFium's to report; it cannot be a bomb
    if len(inflated) > budget:
        raise PlanRefused("compression bomb: the PDF's streams unpack to more than the size limit")
    return inflated

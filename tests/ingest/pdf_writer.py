"""A tiny PDF writer for the hostile-file tests: objects in, a file with a correct
cross-reference table out, so each test changes just the one thing it is about."""

from __future__ import annotations

import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(objects: list[bytes], *, trailer_extra: bytes = b"", root: int = 1) -> bytes:
    """Objects numbered from 1, in order; object ``root`` is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


def stream(content: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
    if compress:
        content = zlib.compress(content)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def text_page_pdf(
    lines: list[str], *, catalog_extra: bytes = b"", page_extra: bytes = b"", more: list[bytes] = ()
) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica; ``more`` objects follow (from 6)."""
    content = (
        b"BT /F1 11 Tf 72 720 Td 14 TL "
        + b" ".join(b"(" + line.encode("latin-1") + b") '" for line in lines)
        + b" ET"
    )
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>",
            stream(content),
            FONT,
            *more,
        ]
    )


PLAN_LINES = [
    "Section A: Views",
    "Sam likes trains.",
    "Section E: Outcomes",
    "Sam will read 20 words aloud by July 2026.",
]

"""Checks on an uploaded file's bytes before any XML parser sees them.

A .docx is a zip package of XML parts. Everything here looks only at the zip's directory
and at bounded reads of its parts, so a hostile file is refused before python-docx (and
lxml under it) is asked to parse anything: a renamed PDF or old .doc, a password-protected
Office file, a corrupt zip, a zip bomb (declared sizes or compression ratios over the
limits), a macro-enabled document, entries with unsafe paths, or XML carrying a DTD
(the doorway to entity expansion and external entities, which Office never writes).

Every part is looked at, whatever its name: each is decoded as an XML parser would
(XML 1.0 Appendix F: a byte-order mark, else the first four bytes, else the encoding
declaration), and any part that decodes to XML is searched for a DTD. A part in an
encoding that cannot be checked is refused. Parts that are not XML (images) are skipped.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from pathlib import PurePosixPath

from qa_app.ingest.errors import PlanRefused

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PARTS = 1000
MAX_UNPACKED_BYTES = 120 * 1024 * 1024
MAX_PART_BYTES = 60 * 1024 * 1024
# Text XML compresses well, but past this ratio a large part is a bomb, not a document.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1024 * 1024

# What the zipfile module raises for damaged archives and members.
UNREADABLE_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    ValueError,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_DTD_MARKERS = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
DTD_REFUSED = "XML with a DTD or entity declarations is not accepted"
# XML 1.0 Appendix F: byte-order marks, then (without one) how the first "<" is encoded.
_BYTE_ORDER_MARKS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_UNMARKED_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp500"),
)
_DECLARED_ENCODING = re.compile(
    r"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']"""
)


def check_file_name(name: str) -> None:
    """Refuse names that try to leave their folder, and macro-enabled extensions."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        raise PlanRefused("unsafe file name")
    if ".." in PurePosixPath(name).parts or re.match(r"^[A-Za-z]:", name):
        raise PlanRefused("unsafe file name")
    if name.lower().endswith((".docm", ".dotm")):
        raise PlanRefused("macro-enabled document (.docm) is not accepted")


def check_compression_ratio(info: zipfile.ZipInfo) -> None:
    """Refuse a large member that unpacks to far more than it takes packed (a zip bomb)."""
    if info.file_size > RATIO_CHECKED_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
        info.compress_size, 1
    ):
        raise PlanRefused("zip bomb: compression ratio over the limit")


def check_package(data: bytes) -> None:
    """Raise ``PlanRefused`` unless ``data`` is a Word package that is safe to parse."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanRefused("file is over 25 MB")
    if not data:
        raise PlanRefused("empty file")
    _check_signature(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except UNREADABLE_ZIP_ERRORS:
        raise PlanRefused("corrupt zip package") from None
    with archive:
        _check_directory(infos)
        types_info = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
        if types_info is None:
            raise PlanRefused("not a .docx file (no content types in the package)")
        content_types = _read_part(archive, types_info)
        if b"macroenabled" in content_types.lower():
            raise PlanRefused("macro-enabled document is not accepted")
        if not any(kind.encode() in content_types for kind in _WORD_MAIN_TYPES):
            raise PlanRefused("not a Word document (no main document part)")
        for info in infos:
            if not info.is_dir():
                _check_xml(_read_part(archive, info))


def _check_signature(data: bytes) -> None:
    if data.startswith(b"%PDF"):
        raise PlanRefused("not a .docx file (it is a PDF)")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise PlanRefused("password-protected or encrypted document")
        raise PlanRefused("not a .docx file (it is an older Word .doc or other binary file)")
    if not data.startswith(b"PK"):
        raise PlanRefused("not a .docx file (not a zip package)")


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise PlanRefused(f"too many parts in the package (over {MAX_PARTS})")
    unpacked = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or "\\" in name or ".." in PurePosixPath(name).parts:
            raise PlanRefused("unsafe path inside the package")
        if name.lower().endswith("vbaproject.bin"):
            raise PlanRefused("macro-enabled document is not accepted")
        if info.flag_bits & 0x1:
            raise PlanRefused("password-protected or encrypted document")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PlanRefused("unsupported compression in the package")
        if info.file_size > MAX_PART_BYTES:
            raise PlanRefused("zip bomb: a part unpacks to more than the size limit")
        check_compression_ratio(info)
        unpacked += info.file_size
    if unpacked > MAX_UNPACKED_BYTES:
        raise PlanRefused("zip bomb: the package unpacks to more than the size limit")


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as part:
            data = part.read(MAX_PART_BYTES + 1)
    except UNREADABLE_ZIP_ERRORS:
        raise PlanRefused("corrupt zip package") from None
    if len(data) > MAX_PART_BYTES:
        raise PlanRefused("zip bomb: a part unpacks to more than the size limit")
    return data


def xml_texts(data: bytes) -> list[str]:
    """The part decoded as an XML parser may decode it (empty when it is not XML).

    A byte-order mark or the first four bytes fix the encoding. After an ASCII-compatible
    (or EBCDIC) start the encoding declaration names it; the part is then read both ways,
    so a declaration a parser would ignore hides nothing. Raises ``PlanRefused`` for XML
    declaring an encoding that cannot be checked."""
    fixed = next((name for mark, name in _BYTE_ORDER_MARKS if data.startswith(mark)), None)
    fixed = fixed or next(
        (name for start, name in _UNMARKED_STARTS if data.startswith(start)), None
    )
    if fixed is not None and fixed != "cp500":
        return _if_xml([data.decode(fixed, errors="replace")])
    base = fixed or "latin-1"
    start = data[:200].decode(base).lstrip()
    if not start.startswith("<"):
        return []
    texts = [data.decode(base)]
    declared = _DECLARED_ENCODING.match(start)
    if declared:
        try:
            codec = codecs.lookup(declared.group(1))
        except LookupError:
            raise PlanRefused(
                f"XML in an encoding that cannot be checked ({declared.group(1)[:40]})"
            ) from None
        texts.append(data.decode(codec.name, errors="replace"))
    return texts


def _if_xml(texts: list[str]) -> list[str]:
    return [text for text in texts if text.lstrip("\ufeff \t\r\n").startswith("<")]


def _check_xml(data: bytes) -> None:
    if any(_DTD_MARKERS.search(text) for text in xml_texts(data)):
        raise PlanRefused(DTD_REFUSED)

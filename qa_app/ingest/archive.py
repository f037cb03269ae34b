"""An uploaded .zip of plans, opened in memory into its .docx and .pdf members.

The archive gets the same scrutiny as a .docx package (it is one zip inside another): its
directory is checked for unsafe names, encryption and bomb-sized members before anything
is unpacked, and each member is then read as a plan in its own right.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from qa_app.ingest.errors import PlanRefused
from qa_app.ingest.package import (
    MAX_FILE_BYTES,
    UNREADABLE_ZIP_ERRORS,
    check_compression_ratio,
    check_file_name,
)

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 500


@dataclass(frozen=True)
class Member:
    """One file from an archive: its bytes, or why it was refused without being read."""

    name: str
    data: bytes | None = None
    refusal: PlanRefused | None = None


def expand_upload(data: bytes) -> list[Member]:
    """The .docx and .pdf members of an uploaded zip; the archive as a whole may be refused."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise PlanRefused("archive is over 200 MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except UNREADABLE_ZIP_ERRORS:
        raise PlanRefused("not a zip archive, or a corrupt one") from None
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise PlanRefused(f"archive holds more than {MAX_ARCHIVE_MEMBERS} files")
    members = []
    with archive:
        for info in infos:
            if info.is_dir() or info.filename.startswith("__MACOSX/"):
                continue
            name = PurePosixPath(info.filename).name or info.filename
            try:
                members.append(Member(name, data=_member_bytes(archive, info)))
            except PlanRefused as refusal:
                members.append(Member(name, refusal=refusal))
    return members


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    check_file_name(info.filename)
    if not info.filename.lower().endswith((".docx", ".pdf")):
        raise PlanRefused("not a .docx or .pdf file")
    if info.flag_bits & 0x1:
        raise PlanRefused("password-protected or encrypted file in the archive")
    if info.file_size > MAX_FILE_BYTES:
        raise PlanRefused("file is over 25 MB")
    check_compression_ratio(info)
    try:
        with archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
    except UNREADABLE_ZIP_ERRORS:
        raise PlanRefused("corrupt file in the archive") from None
    if len(data) > MAX_FILE_BYTES:
        raise PlanRefused("file is over 25 MB")
    return data

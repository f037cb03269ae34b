"""An uploaded .zip of plans, opened in memory into its .docx and .pdf members.

The archive gets the same scrutiny as a .docx package (it is one zip inside another): its
directory is checked for unsafe names, encryption and bomb-sized members before anything
is unpacked, and each member is then read as a plan in its own right. Members are
unpacked one at a time, as the reader asks for them, so at most one member's bytes are
held at once; the number of members and their total unpacked size are capped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
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
MAX_ARCHIVE_UNPACKED_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class Member:
    """One file from an archive: its bytes, or why it was refused without being read."""

    name: str
    data: bytes | None = None
    refusal: PlanRefused | None = None


@dataclass(frozen=True)
class ArchiveMembers:
    """The members of a checked archive: ``count`` of them, unpacked one at a time by
    iterating (each member's bytes can be dropped before the next is unpacked)."""

    archive: zipfile.ZipFile
    infos: list[zipfile.ZipInfo]

    @property
    def count(self) -> int:
        return len(self.infos)

    def __iter__(self) -> Iterator[Member]:
        return _members(self.archive, self.infos)


def expand_upload(data: bytes) -> ArchiveMembers:
    """The .docx and .pdf members of an uploaded zip, unpacked one at a time as they are
    asked for. The archive as a whole may be refused (``PlanRefused``), before any member
    is unpacked, when the call is made."""
    return ArchiveMembers(*_checked_directory(data))


def _checked_directory(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    if len(data) > MAX_ARCHIVE_BYTES:
        raise PlanRefused("archive is over 200 MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except UNREADABLE_ZIP_ERRORS:
        raise PlanRefused("not a zip archive, or a corrupt one") from None
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise PlanRefused(f"archive holds more than {MAX_ARCHIVE_MEMBERS} files")
    if sum(info.file_size for info in infos) > MAX_ARCHIVE_UNPACKED_BYTES:
        raise PlanRefused(
            f"archive unpacks to more than {MAX_ARCHIVE_UNPACKED_BYTES // (1024 * 1024)} MB"
        )
    files = [info for info in infos if not (info.is_dir() or info.filename.startswith("__MACOSX/"))]
    return archive, files


def _members(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> Iterator[Member]:
    with archive:
        for info in infos:
            name = PurePosixPath(info.filename).name or info.filename
            try:
                yield Member(name, data=_member_bytes(archive, info))
            except PlanRefused as refusal:
                yield Member(name, refusal=refusal)


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

"""Bad and hostile files are refused with a one-line reason, as ``PlanRefused`` only."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pytest

from qa_app.cli import main
from qa_app.ingest import PlanRefused, expand_upload, read_plan
from tests.ingest.plan_builder import build_docx

PLAN = [
    ("heading", 1, "Section A: Views"),
    ("para", "Sam likes trains."),
    ("heading", 1, "Section E: Outcomes"),
    ("bullet", "Sam will read 20 words by July 2026."),
]


def valid_docx() -> bytes:
    return build_docx(PLAN)


def repacked(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The package with some parts replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


def refusal(data: bytes, name: str = "plan.docx") -> str:
    with pytest.raises(PlanRefused) as caught:
        read_plan(data, name)
    return caught.value.reason


def test_a_valid_plan_is_read():
    assert list(read_plan(valid_docx(), "plan.docx").sections) == ["A", "E"]


def test_renamed_pdf_is_not_a_docx():
    assert refusal(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n") == "not a .docx file (it is a PDF)"


def test_random_bytes_are_not_a_zip():
    assert refusal(b"this is plain text, not a Word file") == "not a .docx file (not a zip package)"


def test_password_protected_office_file_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
    assert refusal(ole) == "password-protected or encrypted document"


def test_old_binary_doc_is_refused():
    assert "older Word .doc" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)


def test_zip_level_encryption_is_refused():
    data = bytearray(valid_docx())
    # Set the "encrypted" flag on every central directory entry.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        flags = struct.unpack_from("<H", data, position + 8)[0]
        struct.pack_into("<H", data, position + 8, flags | 0x1)
        position = data.find(b"PK\x01\x02", position + 4)
    assert refusal(bytes(data)) == "password-protected or encrypted document"


def test_truncated_zip_is_corrupt():
    data = valid_docx()
    assert refusal(data[: len(data) // 2]) == "corrupt zip package"


def test_zip_bomb_by_size_is_refused_before_parsing():
    bomb = repacked(valid_docx(), add={"word/media/filler.bin": b"\0" * (61 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert refusal(bomb).startswith("zip bomb")


def test_zip_bomb_by_ratio_is_refused():
    bomb = repacked(valid_docx(), add={"word/media/filler.bin": b"\0" * (5 * 1024 * 1024)})
    assert refusal(bomb) == "zip bomb: compression ratio over the limit"


def test_part_whose_declared_size_lies_is_refused():
    data = bytearray(
        repacked(
            valid_docx(),
            replace={"word/document.xml": document_xml(valid_docx()) + b" " * 3_000_000},
        )
    )
    # Shrink the declared unpacked size of document.xml in both headers.
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        position = data.find(signature)
        while position != -1:
            name_at = position + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 17] == b"word/document.xml":
                struct.pack_into("<I", data, position + size_at, 2000)
            position = data.find(signature, position + 4)
    assert refusal(bytes(data)) in ("corrupt zip package", "unreadable Word document")


def test_file_over_25_mb_is_refused(tmp_path):
    assert refusal(b"PK" + b"\0" * (25 * 1024 * 1024)) == "file is over 25 MB"


def test_macro_enabled_parts_are_refused():
    with_macros = repacked(valid_docx(), add={"word/vbaProject.bin": b"\x01\x02"})
    assert refusal(with_macros) == "macro-enabled document is not accepted"


def test_docm_name_is_refused():
    assert refusal(valid_docx(), "plan.docm") == "macro-enabled document (.docm) is not accepted"


def test_entity_expansion_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    xml = document_xml(valid_docx())
    body = xml.split(b"?>", 1)[1]
    hostile = repacked(
        valid_docx(),
        replace={"word/document.xml": laughs + body.replace(b"Sam likes", b"&c; likes")},
    )
    assert refusal(hostile) == "XML with a DTD or entity declarations is not accepted"


def test_external_entity_is_refused():
    xxe = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    body = document_xml(valid_docx()).split(b"?>", 1)[1].replace(b"Sam likes", b"&x; likes")
    assert refusal(repacked(valid_docx(), replace={"word/document.xml": xxe + body})).startswith(
        "XML with a DTD"
    )


def test_doctype_hidden_in_utf16_is_refused():
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY y "z">]><x/>'
    hostile = repacked(
        valid_docx(), add={"customXml/item9.xml": b"\xff\xfe" + xml.encode("utf-16-le")}
    )
    assert refusal(hostile).startswith("XML with a DTD")


def test_path_traversal_inside_the_package_is_refused():
    assert (
        refusal(repacked(valid_docx(), add={"../../evil.xml": b"<x/>"}))
        == "unsafe path inside the package"
    )


@pytest.mark.parametrize(
    "name", ["../plan.docx", "/etc/plan.docx", "a\\..\\plan.docx", "C:plan.docx"]
)
def test_path_traversal_in_an_upload_name_is_refused(name):
    assert refusal(valid_docx(), name) == "unsafe file name"


def test_empty_document_is_refused():
    assert refusal(build_docx([])) == "empty document"


def test_document_without_sections_is_refused():
    assert (
        refusal(build_docx([("para", "Minutes of the meeting held on Tuesday.")]))
        == "no recognisable sections"
    )


def test_a_zip_of_plans_refuses_bad_members_and_keeps_the_rest():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as upload:
        upload.writestr("plans/good.docx", valid_docx())
        upload.writestr("../escape.docx", valid_docx())
        upload.writestr("notes.pdf", b"%PDF-1.4")
        upload.writestr("notes.txt", b"minutes")
        upload.writestr("bad.docx", b"%PDF-1.4")
    members = {m.name: m for m in expand_upload(archive.getvalue())}
    assert read_plan(members["good.docx"].data, "good.docx").sections
    assert members["escape.docx"].refusal.reason == "unsafe file name"
    assert members["notes.txt"].refusal.reason == "not a .docx or .pdf file"
    assert refusal(members["notes.pdf"].data, "notes.pdf").startswith("truncated PDF")
    assert refusal(members["bad.docx"].data) == "not a .docx file (it is a PDF)"


def test_cli_reports_each_refusal_and_carries_on(tmp_path, capsys):
    good = tmp_path / "good.docx"
    good.write_bytes(valid_docx())
    bomb = tmp_path / "sub" / "bomb.docx"
    bomb.parent.mkdir()
    bomb.write_bytes(
        repacked(valid_docx(), add={"word/media/filler.bin": b"\0" * (5 * 1024 * 1024)})
    )
    missing = tmp_path / "missing.docx"

    assert main(["ingest", str(bomb), str(good), str(missing), "--json"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "bomb.docx: refused: zip bomb: compression ratio over the limit",
        "missing.docx: refused: file not found",
    ]
    assert "Traceback" not in err
    assert str(tmp_path) not in err
    assert [plan["file"] for plan in json.loads(out)] == ["good.docx"]


def _many_member_zip(members: int, member_bytes: int) -> bytes:
    """Members that pass every per-member limit (about 8:1 compression), ``members`` of them."""
    import os

    body = bytes(byte & 0x01 for byte in os.urandom(member_bytes))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as upload:
        for n in range(members):
            upload.writestr(f"plan-{n:03d}.docx", body)
    return archive.getvalue()


def test_zip_members_are_unpacked_one_at_a_time():
    """The reported amplification: every member held at once. Now the peak stays near one
    member's size however many members there are."""
    import tracemalloc

    from qa_app.services.plan_import import read_uploads

    member_bytes = 4 * 1024 * 1024
    upload = _many_member_zip(30, member_bytes)
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        results = read_uploads([("plans.zip", upload)])
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    assert len(results) == 30 and all(r.reason for r in results)
    assert peak < 4 * member_bytes, f"peak {peak / 2**20:.0f} MB while reading 30 members of 4 MB"


def test_a_zip_is_refused_by_total_unpacked_size_and_member_count(monkeypatch):
    from qa_app.ingest import archive as archives

    upload = _many_member_zip(6, 1024 * 1024)
    monkeypatch.setattr(archives, "MAX_ARCHIVE_UNPACKED_BYTES", 5 * 1024 * 1024)
    with pytest.raises(PlanRefused, match="unpacks to more than 5 MB"):
        expand_upload(upload)
    monkeypatch.setattr(archives, "MAX_ARCHIVE_UNPACKED_BYTES", 50 * 1024 * 1024)
    monkeypatch.setattr(archives, "MAX_ARCHIVE_MEMBERS", 5)
    with pytest.raises(PlanRefused, match="more than 5 files"):
        expand_upload(upload)
    monkeypatch.setattr(archives, "MAX_ARCHIVE_MEMBERS", 500)
    assert expand_upload(upload).count == 6


def test_a_docm_chosen_with_other_files_is_listed_as_refused():
    from qa_app.services.plan_import import read_uploads

    results = read_uploads(
        [("good.docx", valid_docx()), ("macro.docm", valid_docx()), ("notes.txt", b"x")]
    )
    by_name = {r.name: r for r in results}
    assert by_name["good.docx"].plan is not None
    assert by_name["macro.docm"].plan is None and ".docm" in by_name["macro.docm"].reason
    assert by_name["notes.txt"].reason == "not a .docx, .pdf or .zip file"


def _dtd_document(encoding: str, *, mark: bytes = b"", declare: bool = True) -> bytes:
    """word/document.xml with an internal DTD whose entity the body uses, encoded as
    ``encoding`` (with ``mark`` in front), in the declaration or not."""
    body = (
        document_xml(valid_docx())
        .decode("utf-8")
        .split("?>", 1)[1]
        .replace("Sam likes", "&x; likes")
    )
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if declare else ""
    return mark + (declaration + '<!DOCTYPE w [<!ENTITY x "Sam">]>' + body).encode(encoding)


@pytest.mark.parametrize(
    "part",
    [
        pytest.param(_dtd_document("utf-16-le"), id="utf-16 LE without a byte-order mark"),
        pytest.param(_dtd_document("utf-16-be"), id="utf-16 BE without a byte-order mark"),
        pytest.param(
            _dtd_document("utf-32-le", mark=b"\xff\xfe\x00\x00"), id="utf-32 LE with its mark"
        ),
        pytest.param(
            _dtd_document("utf-32-be", declare=False), id="utf-32 BE without a byte-order mark"
        ),
        pytest.param(_dtd_document("utf-8", mark=b"\xef\xbb\xbf"), id="utf-8 with its mark"),
        pytest.param(_dtd_document("utf-7"), id="utf-7 by its encoding declaration"),
    ],
)
def test_a_dtd_in_any_xml_encoding_is_refused(part):
    assert refusal(repacked(valid_docx(), replace={"word/document.xml": part})) == (
        "XML with a DTD or entity declarations is not accepted"
    )


def test_a_dtd_in_a_main_part_not_named_xml_is_refused():
    """The content types and the package relationship point at word/main.part instead."""
    source = valid_docx()
    with zipfile.ZipFile(io.BytesIO(source)) as package:
        types = package.read("[Content_Types].xml").replace(
            b"/word/document.xml", b"/word/main.part"
        )
        rels = package.read("_rels/.rels").replace(b"word/document.xml", b"word/main.part")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as package,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in package.infolist():
            content = {"[Content_Types].xml": types, "_rels/.rels": rels}.get(
                info.filename, package.read(info)
            )
            name = "word/main.part" if info.filename == "word/document.xml" else info.filename
            target.writestr(name, _dtd_document("utf-8") if name == "word/main.part" else content)
    assert refusal(out.getvalue()) == "XML with a DTD or entity declarations is not accepted"


def test_xml_in_an_encoding_that_cannot_be_checked_is_refused():
    part = (
        b'<?xml version="1.0" encoding="x-made-up-8"?>'
        + document_xml(valid_docx()).split(b"?>", 1)[1]
    )
    assert refusal(repacked(valid_docx(), replace={"word/document.xml": part})) == (
        "XML in an encoding that cannot be checked (x-made-up-8)"
    )


def test_parts_that_are_not_xml_are_not_mistaken_for_it():
    """A picture (binary, even one with '<!DOCTYPE' somewhere inside) is not XML."""
    picture = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"<!DOCTYPE" + bytes(range(256))
    assert list(
        read_plan(
            repacked(valid_docx(), add={"word/media/image1.png": picture}), "plan.docx"
        ).sections
    ) == ["A", "E"]


def test_the_reader_itself_refuses_a_dtd_that_reaches_it():
    """Past the package check, the parsed parts are checked for a DTD too."""
    from qa_app.ingest.blocks import read_blocks

    hostile = repacked(valid_docx(), replace={"word/document.xml": _dtd_document("utf-8")})
    with pytest.raises(PlanRefused) as caught:
        read_blocks(hostile)
    assert caught.value.reason == "XML with a DTD or entity declarations is not accepted"


def test_a_refused_dtd_stores_nothing_while_the_good_plan_beside_it_is_stored(
    sqlite_url, point_app_at, tmp_path, capsys
):
    from sqlalchemy import func, select

    from qa_app.store.engine import session_scope
    from qa_app.store.models import Plan

    settings = point_app_at(sqlite_url)
    good, hostile = tmp_path / "good.docx", tmp_path / "hostile.docx"
    good.write_bytes(valid_docx())
    hostile.write_bytes(
        repacked(valid_docx(), replace={"word/document.xml": _dtd_document("utf-16-le")})
    )
    assert (
        main(["ingest", str(hostile), str(good), "--audit-date", "2026-03-01"], settings=settings)
        == 1
    )
    output = capsys.readouterr()
    assert "hostile.docx" in output.out + output.err and "DTD" in output.out + output.err
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 1

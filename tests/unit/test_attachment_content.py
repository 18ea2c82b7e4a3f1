"""What an attachment is, by its content (shared/files/content.py), and the names kept for
it (shared/files/names.py)."""

from __future__ import annotations

import io

import pytest

from shared.files import content
from shared.files.content import ContentRefused, agrees, detect
from shared.files.names import MAX_LENGTH, safe_file_name
from tests import files


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (files.pdf(), content.PDF),
        (files.png(), content.PNG),
        (files.jpeg(), content.JPEG),
        (files.docx(), content.DOCX),
        (files.xlsx(), content.XLSX),
        (files.odt(), content.ODT),
        (files.compound("WordDocument", "1Table"), content.DOC),
        (files.compound("Workbook"), content.XLS),
    ],
)
def test_accepted_types_are_told_by_their_content(data: bytes, expected: str) -> None:
    assert detect(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (files.plain_zip(), "not an office document"),
        (files.docx(macros=True), "macros"),
        (files.exe(), "not a PDF"),
        (b"PK\x03\x04 but then nothing of a zip", "damaged"),
        (b"%PD", "not a PDF"),
        (b"", "not a PDF"),
        (files.compound("WordDocument", "Macros"), "macros"),
        (files.compound("Workbook", "_VBA_PROJECT_CUR"), "macros"),
        (files.compound("PowerPoint Document"), "no Word or Excel"),
        (files.compound(), "no Word or Excel"),  # e.g. an installer package
        (files.compound("WordDocument")[:700], "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "damaged"),
    ],
)
def test_other_content_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ContentRefused, match=reason):
        detect(io.BytesIO(data))


def test_a_zip_whose_mimetype_entry_is_no_opendocument_type_is_refused() -> None:
    archive = files.zip_of([("mimetype", b"application/epub+zip"), ("OEBPS/a.xhtml", b"")])
    with pytest.raises(ContentRefused):
        detect(io.BytesIO(archive))


def test_a_declared_type_must_agree_with_the_content() -> None:
    assert agrees("application/pdf", content.PDF)
    assert agrees("application/octet-stream", content.PDF)
    assert agrees(None, content.PNG)
    assert agrees("image/jpg", content.JPEG)
    assert agrees("Application/PDF; name=x", content.PDF)
    # a PDF declared as PNG
    assert not agrees("image/png", detect(io.BytesIO(files.pdf())))
    assert not agrees("application/zip", content.DOCX)


@pytest.mark.parametrize(
    ("raw", "media_type", "kept"),
    [
        ("Sachbericht Förderjahr 2026.pdf", content.PDF, "Sachbericht Förderjahr 2026.pdf"),
        ("C:\\Users\\Petra\\Kostenplan.xlsx", content.XLSX, "Kostenplan.xlsx"),
        ("../../etc/passwd", content.PDF, "passwd.pdf"),
        ("Einwilligung\u202egpj.exe", content.JPEG, "Einwilligunggpj.exe.jpg"),
        ("Quit\x00tung\n 1.png", content.PNG, "Quittung 1.png"),
        ('a<b>c:d"e|f?g*h.pdf', content.PDF, "abcdefgh.pdf"),
        ("Bericht.exe", content.PDF, "Bericht.exe.pdf"),
        ("scan.JPEG", content.JPEG, "scan.jpeg"),
        ("CON.pdf", content.PDF, "_CON.pdf"),
        ("nul", content.PNG, "_nul.png"),
        ("...", content.PDF, "attachment.pdf"),
        ("", content.ODT, "attachment.odt"),
        (None, content.PDF, "attachment.pdf"),
        ("  .versteckt. .pdf", content.PDF, "versteckt.pdf"),
        ("Anlage\u0301 A.pdf", content.PDF, "Anlagé A.pdf"),
    ],
)
def test_file_names_are_made_safe(raw: str | None, media_type: str, kept: str) -> None:
    assert safe_file_name(raw, media_type) == kept


def test_long_names_are_capped_keeping_the_extension() -> None:
    name = safe_file_name("Ä" * 500 + ".docx", content.DOCX)
    assert len(name) == MAX_LENGTH
    assert name.endswith("Ä.docx")


def test_a_compound_file_whose_directory_chain_loops_is_refused() -> None:
    looping = bytearray(files.compound("WordDocument"))
    looping[512 + 4 : 512 + 8] = (1).to_bytes(4, "little")  # the directory's next sector: itself
    with pytest.raises(ContentRefused, match="damaged"):
        detect(io.BytesIO(bytes(looping)))

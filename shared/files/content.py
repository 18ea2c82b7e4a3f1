"""What a file is, told by its content: the types WIR accepts as attachments.

Accepted: PDF, PNG, JPEG, and office documents — OOXML (``.docx``, ``.xlsx``, ``.pptx``:
a zip archive with ``[Content_Types].xml`` and ``word/``, ``xl/`` or ``ppt/`` parts) and
OpenDocument (``.odt``, ``.ods``, ``.odp``: a zip archive whose first entry ``mimetype``
names the type) and the legacy Word and Excel files (``.doc``, ``.xls``: OLE2 compound
files, :mod:`shared.files.legacy`). Everything else is refused, among it any other zip
archive or compound file (an installer package, a legacy PowerPoint file) and office
documents with macros. The type stored and sent back on
download is the detected one; a type the client declared must agree with it.
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

from shared.files import legacy

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC = legacy.DOC
XLS = legacy.XLS

#: Each accepted type and the file name extensions it goes by (the first one is added to a
#: name that has none of them).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    ODT: (".odt",),
    ODS: (".ods",),
    ODP: (".odp",),
    DOC: (".doc",),
    XLS: (".xls",),
}

#: Declared types that say nothing about the content (a browser that does not know it).
_UNSPECIFIC = frozenset({"", "application/octet-stream", "binary/octet-stream"})
#: Other names clients use for an accepted type.
_ALIASES = {
    "application/x-pdf": PDF,
    "image/x-png": PNG,
    "image/jpg": JPEG,
    "image/pjpeg": JPEG,
}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"
_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_ODF_TYPES = frozenset({ODT, ODS, ODP})
#: Longer than any OpenDocument ``mimetype`` entry: a larger one is not read.
_MIMETYPE_MAX = 100


class ContentRefused(Exception):
    """The file is none of the accepted types (the message says what it is instead)."""


def detect(file: BinaryIO) -> str:
    """The media type of ``file`` (read from its start), or :class:`ContentRefused`."""
    file.seek(0)
    head = file.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP_SIGNATURE):
        return _office_document(file)
    if head.startswith(legacy.SIGNATURE):
        try:
            return legacy.legacy_office(file)
        except (legacy.NotLegacyOffice, struct.error) as exc:
            raise ContentRefused(str(exc) or "The file is a damaged compound document.") from exc
    raise ContentRefused("The file is not a PDF, PNG, JPEG or office document.")


def _office_document(file: BinaryIO) -> str:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if not entries:
                raise ContentRefused("The file is an empty zip archive.")
            first = entries[0]
            if first.filename == "mimetype" and first.file_size <= _MIMETYPE_MAX:
                declared = archive.read(first).decode("ascii", errors="replace").strip()
                if declared in _ODF_TYPES:
                    return declared
            names = [entry.filename for entry in entries]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise ContentRefused("The file is a damaged or unreadable zip archive.") from exc
    if "[Content_Types].xml" in names:
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise ContentRefused("Office documents with macros are not accepted.")
        for prefix, media_type in _OOXML_PARTS:
            if any(name.startswith(prefix) for name in names):
                return media_type
    raise ContentRefused("The file is a zip archive, not an office document.")


def agrees(declared: str | None, detected: str) -> bool:
    """Whether the type a client declared fits the detected one (an unspecific
    declaration, such as ``application/octet-stream``, fits any)."""
    media_type = (declared or "").split(";", 1)[0].strip().lower()
    if media_type in _UNSPECIFIC:
        return True
    return _ALIASES.get(media_type, media_type) == detected

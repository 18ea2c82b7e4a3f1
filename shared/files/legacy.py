"""Legacy Word and Excel files (``.doc``, ``.xls``): OLE2 compound files, told by the streams
their directory names.

A compound file is a small file system in sectors: its header lists the sectors of the
allocation table (FAT, the rest through DIFAT sectors), the FAT chains the directory's
sectors, and each 128-byte directory entry names a stream or storage. A Word document has a
``WordDocument`` stream, an Excel workbook ``Workbook`` (``Book`` before Excel 97). Other
compound files (installer packages, PowerPoint, whose macros this reading cannot see) and
files with a macro project (``Macros``, ``_VBA_PROJECT_CUR``, ``VBA`` …) are refused. The
reading is bounded: every chain is followed at most once per sector of the file.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

_END = 0xFFFFFFFE  # end of a chain
_FREE = 0xFFFFFFFF
_MACROS = frozenset({"Macros", "_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA", "ProjectWm"})
_ENTRY = 128


class NotLegacyOffice(Exception):
    """Not a Word or Excel compound file WIR accepts (the message says why)."""


def legacy_office(file: BinaryIO) -> str:
    """The type of the compound file ``file`` (read from its start)."""
    names = _CompoundFile(file).names()
    if names & _MACROS:
        raise NotLegacyOffice("Office documents with macros are not accepted.")
    if "WordDocument" in names:
        return DOC
    if "Workbook" in names or "Book" in names:
        return XLS
    raise NotLegacyOffice("The file is a compound document, but no Word or Excel file.")


def _damaged() -> NotLegacyOffice:
    return NotLegacyOffice("The file is a damaged compound document.")


class _CompoundFile:
    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        file.seek(0, 2)
        length = file.tell()
        file.seek(0)
        self.header = file.read(512)
        if len(self.header) < 512 or not self.header.startswith(SIGNATURE):
            raise _damaged()
        shift = struct.unpack_from("<H", self.header, 0x1E)[0]
        if shift not in (9, 12):
            raise _damaged()
        self.size = 1 << shift
        #: sectors after the header: a bound for every chain
        self.count = max(0, length // self.size - 1)

    def sector(self, number: int) -> bytes:
        if number >= self.count:
            raise _damaged()
        self.file.seek((number + 1) * self.size)
        return self.file.read(self.size)

    def fat(self) -> list[int]:
        """The allocation table: for each sector, the next of its chain."""
        fat_count = struct.unpack_from("<I", self.header, 0x2C)[0]
        listed = list(struct.unpack_from("<109I", self.header, 0x4C))
        number, difat_count = struct.unpack_from("<II", self.header, 0x44)
        per_sector = self.size // 4 - 1
        for _ in range(min(difat_count, self.count)):
            if number in (_END, _FREE):
                break
            data = self.sector(number)
            listed.extend(struct.unpack_from(f"<{per_sector}I", data))
            number = struct.unpack_from("<I", data, self.size - 4)[0]
        table: list[int] = []
        for number in [n for n in listed if n != _FREE][: min(fat_count, self.count)]:
            table.extend(struct.unpack(f"<{self.size // 4}I", self.sector(number)))
        return table

    def names(self) -> set[str]:
        """The names of the directory's streams and storages."""
        fat = self.fat()
        number = struct.unpack_from("<I", self.header, 0x30)[0]
        names: set[str] = set()
        seen: set[int] = set()
        while number != _END:
            if number in seen or number >= len(fat):
                raise _damaged()
            seen.add(number)
            data = self.sector(number)
            for start in range(0, self.size, _ENTRY):
                entry = data[start : start + _ENTRY]
                length = struct.unpack_from("<H", entry, 0x40)[0]
                if entry[0x42] in (1, 2, 5) and 2 <= length <= 64:
                    names.add(entry[: length - 2].decode("utf-16-le", errors="replace"))
            number = fat[number]
        return names

"""File names made safe to store, list and offer for download.

From what a client sends only the last path component stays (``C:\\Users\\x\\Antrag.pdf``
→ ``Antrag.pdf``); control and format characters (among them the bidi overrides that make
``gpj.exe`` read as ``exe.jpg``) and the characters Windows refuses in names are dropped;
runs of whitespace become one space; leading and trailing dots and spaces go. Letters of
any script stay (``Sachbericht Förderjahr 2026.pdf``). A name Windows reserves for a device
(``CON``, ``NUL``, ``COM1`` …) gets a leading underscore. A name that does not end in an
extension of the detected type gets it appended, so a PDF called ``Bericht.exe`` is
offered as ``Bericht.exe.pdf``. Names are at most :data:`MAX_LENGTH` characters (the
extension kept); nothing left gives ``attachment`` with the extension.
"""

from __future__ import annotations

import unicodedata

from shared.files.content import EXTENSIONS

MAX_LENGTH = 120
FALLBACK = "attachment"

_FORBIDDEN = frozenset('<>:"/\\|?*')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)


def safe_file_name(raw: str | None, media_type: str) -> str:
    """The name to keep for a file of ``media_type`` that the client called ``raw``."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c not in _FORBIDDEN and unicodedata.category(c)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    extensions = EXTENSIONS.get(media_type, ())
    extension = next((e for e in extensions if name.lower().endswith(e)), None)
    if extension is None:
        extension = extensions[0] if extensions else ""
        stem = name
    else:
        stem = name[: -len(extension)]
    stem = stem[: MAX_LENGTH - len(extension)].rstrip(" .")
    if not stem:
        stem = FALLBACK
    if stem.split(".", 1)[0].strip().upper() in _RESERVED:
        stem = f"_{stem}"[: MAX_LENGTH - len(extension)]
    return stem + extension

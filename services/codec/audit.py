"""The codec server's audit log (``wir.codec.audit``): one line per decode, encode, sign-in
and refusal.

Values in those lines come from the request (the token's subject, ``X-Namespace``, the
reason a token was refused). A newline among them would let a caller write a line of their
choosing into the log, so every record is escaped before any handler sees it: control
characters (and the Unicode line separators) become ``\\xNN``/``\\uNNNN`` and a backslash
``\\\\``, so each record stays one line and reads back unambiguously.
"""

from __future__ import annotations

import logging

from shared.text import breaks_lines

audit = logging.getLogger("wir.codec.audit")


def escape(text: str) -> str:
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif breaks_lines(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


class OneLineFilter(logging.Filter):
    """Formats the record's message once, escaped; handlers then print it as it is."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = escape(record.getMessage())
        record.args = None
        return True


def install_audit_filter() -> None:
    """Idempotent: the filter goes on the logger, so it holds for every handler."""
    if not any(isinstance(f, OneLineFilter) for f in audit.filters):
        audit.addFilter(OneLineFilter())

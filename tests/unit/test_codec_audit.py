"""The codec server's audit records stay one line whatever the request put into them."""

from __future__ import annotations

import logging

import pytest

from services.codec.audit import audit, escape, install_audit_filter


def test_control_characters_and_backslashes_are_escaped() -> None:
    assert escape("olaf.operator") == "olaf.operator"
    assert escape("a\nb\r\x1b[31m\x00") == "a\\x0ab\\x0d\\x1b[31m\\x00"
    assert escape("a\u2028b\x85") == "a\\u2028b\\x85"
    assert escape("C:\\x0a") == "C:\\\\x0a"  # an escape written by the caller stays visible
    assert escape("Müller ß") == "Müller ß"


def test_a_logged_value_cannot_add_a_line(caplog: pytest.LogCaptureFixture) -> None:
    install_audit_filter()
    install_audit_filter()  # once is enough; twice does not escape twice
    with caplog.at_level(logging.INFO, logger="wir.codec.audit"):
        audit.info("decoded for %s (namespace %s)", "x", "default\nINFO forged")
    [record] = [r for r in caplog.records if r.name == "wir.codec.audit"]
    assert record.getMessage() == "decoded for x (namespace default\\x0aINFO forged)"

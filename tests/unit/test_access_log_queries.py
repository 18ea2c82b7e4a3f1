"""The access log of every WIR HTTP process names paths, never query strings: a name
search (``GET /cases?q=…``) must not leave the person's name in data/logs/."""

from __future__ import annotations

import logging

from shared.serving import server_config
from shared.settings import WirSettings


def _line(record: logging.LogRecord) -> str:
    for f in logging.getLogger("uvicorn.access").filters:
        assert not isinstance(f, logging.Filter) or f.filter(record)
    return record.getMessage()


def test_a_search_leaves_no_query_in_the_access_log() -> None:
    server_config("services.cases.app:create_app", WirSettings(), port=0, factory=True)
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/cases?q=Haddádi&limit=20", "1.1", 200),
        None,
    )  # fmt: skip
    line = _line(record)
    assert "Haddádi" not in line and "limit" not in line
    assert "GET /cases?… HTTP/1.1" in line


def test_a_path_without_query_is_logged_as_it_is() -> None:
    server_config("services.cases.app:create_app", WirSettings(), port=0, factory=True)
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/health", "1.1", 200),
        None,
    )  # fmt: skip
    assert "GET /health HTTP/1.1" in _line(record)

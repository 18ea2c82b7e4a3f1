"""Log lines (shared/logs.py): one JSON object each with the request's id, the caller's
login id and the current span, no query string; plain text when asked for."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI, Request
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from shared.auth import Actor
from shared.logs import JsonFormatter, TextFormatter, configure_logging, install_request_ids
from shared.serving import quiet_query_strings
from shared.settings import WirSettings

log = logging.getLogger("wir.test.logs")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Records of ``wir.test.logs`` and ``uvicorn.access`` in JSON into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter("cases"))
    loggers = [log, logging.getLogger("uvicorn.access")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _lines(buffer: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/cases")
    async def search(request: Request, q: str = "") -> dict[str, str]:
        request.state.actor = Actor(user="anna.cm", roles=frozenset())
        log.info("searched")
        return {}

    install_request_ids(app)
    return app


async def test_a_line_in_a_request_carries_its_id_and_user(captured: io.StringIO) -> None:
    transport = httpx.ASGITransport(_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://wir") as client:
        answer = await client.get("/cases?q=Haddádi", headers={"X-Request-Id": "req-42"})
        fresh = await client.get("/cases")
        injected = await client.get("/cases", headers={"X-Request-Id": 'x"\n{"level":"x'})
    assert answer.headers["x-request-id"] == "req-42"
    assert len(fresh.headers["x-request-id"]) == 32
    assert injected.headers["x-request-id"] != 'x"\n{"level":"x'
    first, second, third = _lines(captured)
    assert first["request_id"] == "req-42" and first["user_id"] == "anna.cm"
    assert set(first) >= {"time", "level", "logger", "message", "service"}
    assert (first["level"], first["logger"], first["message"]) == ("info", log.name, "searched")
    assert first["service"] == "cases" and first["time"].endswith("+00:00")
    assert second["request_id"] == fresh.headers["x-request-id"]
    assert third["request_id"] == injected.headers["x-request-id"]
    assert "Haddádi" not in captured.getvalue()


def test_a_line_outside_a_request_has_no_request_fields(captured: io.StringIO) -> None:
    log.warning("alone")
    [line] = _lines(captured)
    assert "request_id" not in line and "user_id" not in line and "trace_id" not in line


def test_a_line_under_a_span_names_the_trace_and_span(captured: io.StringIO) -> None:
    context = SpanContext(
        trace_id=0x4BF92F3577B34DA6A3CE929D0E0E4736,
        span_id=0x00F067AA0BA902B7,
        is_remote=False,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )
    with trace.use_span(NonRecordingSpan(context)):
        log.info("traced")
    [line] = _lines(captured)
    assert line["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert line["span_id"] == "00f067aa0ba902b7"


def test_the_access_log_line_has_no_query_string(captured: io.StringIO) -> None:
    quiet_query_strings()
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/cases?q=Haddádi", "1.1", 200
    )
    [line] = _lines(captured)
    assert "Haddádi" not in line["message"] and "GET /cases?… HTTP/1.1" in line["message"]


def test_an_error_keeps_its_traceback_in_the_same_object(captured: io.StringIO) -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        log.exception("failed")
    [line] = _lines(captured)
    assert line["level"] == "error" and "ValueError: broken" in line["exception"]


def test_text_mode_writes_plain_lines() -> None:
    record = logging.LogRecord(
        "wir.worker", logging.INFO, __file__, 1, "polling %s", ("wir",), None
    )
    line = TextFormatter("worker").format(record)
    assert " wir.worker INFO polling wir" in line and not line.startswith("{")


def test_the_setting_chooses_the_format() -> None:
    root = logging.getLogger()
    kept = list(root.handlers), root.level
    try:
        configure_logging(WirSettings(log_format="text"), service="worker")
        assert isinstance(root.handlers[0].formatter, TextFormatter)
        configure_logging(WirSettings(), service="worker")
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers[:] = kept[0]
        root.setLevel(kept[1])


async def test_the_web_front_end_passes_its_request_id_on_to_the_apis() -> None:
    """A page's calls to the APIs carry the page request's id, so the lines of both name it."""
    from services.web.api import Api

    seen: list[str | None] = []
    api_app = FastAPI()

    @api_app.get("/services")
    async def services(request: Request) -> dict[str, str]:
        seen.append(request.headers.get("x-request-id"))
        return {}

    page_app = FastAPI()

    @page_app.get("/catalogue")
    async def catalogue() -> dict[str, str]:
        transport = httpx.ASGITransport(api_app)
        async with httpx.AsyncClient(transport=transport) as http:
            api = Api(http=http, base_urls={"cases": "http://cases"}, token=None)
            await api.get("cases", "/services")
        return {}

    install_request_ids(page_app)
    transport = httpx.ASGITransport(page_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://web") as client:
        answer = await client.get("/catalogue", headers={"X-Request-Id": "page-7"})
    assert answer.status_code == 200 and seen == ["page-7"]

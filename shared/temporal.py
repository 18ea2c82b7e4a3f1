"""Temporal client factory and the search attributes WIR registers."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.runtime import Runtime
from temporalio.service import RetryConfig

from shared import tracing
from shared.payloads.keys import data_converter
from shared.settings import WirSettings

STAGE = SearchAttributeKey.for_keyword("WirStage")
KIND = SearchAttributeKey.for_keyword("WirKind")
PRIORITY = SearchAttributeKey.for_keyword("WirPriority")
ROUND = SearchAttributeKey.for_keyword("WirRound")
REPORT_DUE = SearchAttributeKey.for_datetime("WirReportDue")
# The readable file number (Aktenzeichen): WIR-2027-00042 for an application, FM-2026-00117
# for a case. It names the file, never the person.
FILE_NUMBER = SearchAttributeKey.for_keyword("WirFileNumber")

SEARCH_ATTRIBUTES = (STAGE, KIND, PRIORITY, ROUND, REPORT_DUE, FILE_NUMBER)


async def connect_temporal(
    settings: WirSettings, *, lazy: bool = False, runtime: Runtime | None = None
) -> Client:
    """A client with the data converter that every WIR process must use: pydantic JSON,
    encrypted with the payload keys (shared/payloads/codec.py) before it reaches Temporal.

    Services connect lazily: they start while Temporal is down and answer 503 until it is
    back, instead of failing to start. A call that finds the server unreachable gives up
    after ``temporal_retry_seconds`` (the SDK's default is 10 s), so a request waiting on it
    gets its 503 soon. ``runtime``: the worker's, which exports the SDK's metrics
    (workflows/worker.py); none: the SDK's default runtime.
    """
    retry = RetryConfig(max_elapsed_time_millis=int(settings.temporal_retry_seconds * 1000))
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
        lazy=lazy,
        retry_config=retry,
        runtime=runtime,
        # spans of starts, signals and updates, and of the worker built on this client
        interceptors=tracing.temporal_interceptors(),
    )

"""The stream's settings fit the publishing activity (docs/events-subscribing.md)."""

from __future__ import annotations

from datetime import timedelta

from shared.settings import WirSettings
from workflows.events import PUBLISH_RETRY, PUBLISH_TIMEOUT


def test_a_retried_publish_falls_inside_the_duplicate_window() -> None:
    # A stored event whose ack was lost is published again after at most one attempt's
    # timeout plus one retry interval; the stream must still remember its Nats-Msg-Id.
    assert PUBLISH_RETRY.maximum_interval is not None
    retry_after = PUBLISH_TIMEOUT + PUBLISH_RETRY.maximum_interval
    window = timedelta(seconds=WirSettings().stream_duplicate_window_seconds)
    assert retry_after * 10 < window


def test_redeliveries_are_bounded_and_spaced() -> None:
    settings = WirSettings()
    assert 1 < settings.consumer_max_deliver < 100
    delays = settings.consumer_backoff_seconds
    assert delays == sorted(delays) and delays[0] > 0
    assert settings.stream_max_age_days >= 30  # subscribers can replay a month at least

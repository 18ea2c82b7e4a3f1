"""Webhooks reach public addresses only, unless private networks are allowed."""

from __future__ import annotations

import pytest

from services.notifications.recipients.destinations import (
    DestinationRefused,
    check_before_call,
    check_registration,
)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8003/deliveries",
        "http://10.0.0.5:5432/",
        "http://192.168.1.1/",
        "http://[::1]:8001/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost:8001/",
        "http://api.localhost/",
        "http://0.0.0.0/",
    ],
)
def test_non_public_addresses_are_refused_at_registration(url: str) -> None:
    with pytest.raises(DestinationRefused):
        check_registration(url, allow_private=False)
    check_registration(url, allow_private=True)


def test_public_addresses_and_names_pass_registration() -> None:
    check_registration("https://93.184.215.14/hook", allow_private=False)
    check_registration("https://hooks.example.org/wir", allow_private=False)


async def test_a_name_that_resolves_to_loopback_is_refused_before_the_call() -> None:
    # "localhost" resolves without a network; any name resolving privately is refused alike
    with pytest.raises(DestinationRefused):
        await check_before_call("http://localhost:9/", allow_private=False)
    await check_before_call("http://localhost:9/", allow_private=True)

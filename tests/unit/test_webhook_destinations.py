"""Webhooks reach public addresses only, unless private networks are allowed."""

from __future__ import annotations

import pytest

from services.notifications.recipients.destinations import (
    DestinationRefused,
    Resolver,
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


# IPv6 addresses that stand for an IPv4 address: a NAT64, 6to4 or Teredo relay (or the
# kernel, for the mapped and compatible forms) would carry the call to the IPv4 address.
EMBEDDED_PRIVATE = [
    "::127.0.0.1",  # IPv4-compatible
    "::a9fe:a9fe",  # IPv4-compatible 169.254.169.254
    "::ffff:0:7f00:1",  # IPv4-translated
    "::ffff:10.0.0.5",  # IPv4-mapped
    "64:ff9b::7f00:1",  # NAT64 well-known prefix
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::c0a8:101",
    "64:ff9b:1::808:808",  # local-use NAT64: no trustworthy position, never public
    "2002:7f00:1::",  # 6to4
    "2002:a00:5::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1 (inverted bits)
    "2001:0:a00:5:8000:63bf:3fff:fdd2",  # Teredo, server 10.0.0.5
]


@pytest.mark.parametrize("address", EMBEDDED_PRIVATE)
def test_ipv6_forms_embedding_a_private_ipv4_address_are_refused(address: str) -> None:
    with pytest.raises(DestinationRefused):
        check_registration(f"http://[{address}]:8003/deliveries", allow_private=False)


@pytest.mark.parametrize("address", ["::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"])
def test_ipv6_forms_embedding_a_public_ipv4_address_pass(address: str) -> None:
    check_registration(f"http://[{address}]/hook", allow_private=False)


def _resolving_to(*addresses: str) -> Resolver:
    async def resolver(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolver


@pytest.mark.parametrize("address", [*EMBEDDED_PRIVATE, "127.0.0.1", "fe80::1%eth0"])
async def test_a_name_resolving_to_an_embedded_private_address_is_refused(address: str) -> None:
    with pytest.raises(DestinationRefused):
        await check_before_call(
            "https://hooks.example.test/wir",
            allow_private=False,
            resolver=_resolving_to("93.184.215.14", address),
        )


async def test_literal_addresses_are_checked_again_before_the_call() -> None:
    # a webhook stored before the guard knew the form (or written to the table directly)
    for address in EMBEDDED_PRIVATE:
        with pytest.raises(DestinationRefused):
            await check_before_call(f"http://[{address}]/", allow_private=False)


async def test_a_name_resolving_to_public_addresses_passes() -> None:
    await check_before_call(
        "https://hooks.example.test/wir",
        allow_private=False,
        resolver=_resolving_to("93.184.215.14", "2606:4700::1111"),
    )
    with pytest.raises(DestinationRefused):
        await check_before_call(
            "https://hooks.example.test/wir", allow_private=False, resolver=_resolving_to()
        )

"""Where webhooks may point: public addresses only, unless the operator allows others.

A webhook URL is chosen by whoever registers it, and the notifications service calls it from
inside the network. Without this check, a URL like ``http://169.254.169.254/`` (a cloud
metadata service) or ``http://10.0.0.5:5432/`` would make WIR a proxy into the network
(server-side request forgery). Literal addresses and ``localhost`` are refused when the
webhook is registered and again before each call; every name is resolved again right before
each call, so a name that later resolves to a private address is refused then.
``WIR_WEBHOOK_ALLOW_PRIVATE_NETWORKS`` lifts the rule for intranet receivers and test setups.

An IPv6 address may carry an IPv4 address inside it, and a network with NAT64, 6to4 or
Teredo relays turns a call to the IPv6 address into one to the IPv4 address: so every
embedded IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, the NAT64 well-known
prefix, 6to4, both Teredo addresses) must be public as well as the IPv6 address itself.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> the addresses the host resolves to (tests inject one that stays on the machine)
Resolver = Callable[[str, int], Awaitable[list[str]]]

_LOW32 = 0xFFFFFFFF
# ::/96 (IPv4-compatible, deprecated) and ::ffff:0:0/96 (IPv4-translated, RFC 2765)
_COMPATIBLE = ipaddress.IPv6Network("::/96")
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
# NAT64: the well-known prefix (RFC 6052) carries the IPv4 address in the last 32 bits
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Local-use NAT64 (RFC 8215): where the IPv4 address sits depends on the operator's prefix
# length, so no position can be trusted; nothing in it is a public receiver.
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


class DestinationRefused(Exception):
    """The URL points at an address webhooks may not reach."""


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for (none for a plain IPv6 address)."""
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address in _COMPATIBLE or address in _TRANSLATED or address in _NAT64:
        return [ipaddress.IPv4Address(int(address) & _LOW32)]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)  # (server, client), the client already un-inverted
    return []


def public(address: Address) -> bool:
    """Whether ``address`` and every IPv4 address embedded in it are globally reachable."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64_LOCAL:
            return False
        inner = embedded_ipv4(address)
        if address.ipv4_mapped is not None or address in _COMPATIBLE:
            # Stands for the IPv4 address alone (::/96 itself is not global as IPv6).
            return bool(inner) and all(public(v4) for v4 in inner)
        if not all(public(v4) for v4 in inner):
            return False
    return address.is_global and not address.is_multicast


def check_registration(url: str, *, allow_private: bool) -> None:
    """Refuse what is visibly not public (literal addresses, localhost): at registration,
    and again before each call."""
    if allow_private:
        return
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        raise DestinationRefused(f"{host} is this machine; webhooks go to public addresses")
    address = _literal(host)
    if address is not None and not public(address):
        raise DestinationRefused(f"{host} is not a public address; webhooks go to public ones")


async def resolve(host: str, port: int) -> list[str]:
    """The system resolver: every address ``host`` has now."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def check_before_call(url: str, *, allow_private: bool, resolver: Resolver = resolve) -> None:
    """Refuse the URL if its literal address, or any address its host resolves to now,
    is not public."""
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    check_registration(url, allow_private=False)
    if _literal(host) is not None:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = await resolver(host, port)
    except OSError as exc:
        raise DestinationRefused(f"{host} does not resolve: {exc}") from exc
    if not addresses:
        raise DestinationRefused(f"{host} does not resolve")
    for found in addresses:
        address = _literal(found.split("%")[0])  # drop an IPv6 zone id
        if address is None or not public(address):
            raise DestinationRefused(f"{host} resolves to {found}, not a public address")

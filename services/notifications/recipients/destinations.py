"""Where webhooks may point: public addresses only, unless the operator allows others.

A webhook URL is chosen by whoever registers it, and the notifications service calls it from
inside the network. Without this check, a URL like ``http://169.254.169.254/`` (a cloud
metadata service) or ``http://10.0.0.5:5432/`` would make WIR a proxy into the network
(server-side request forgery). Literal addresses and ``localhost`` are refused when the
webhook is registered; every name is resolved again right before each call, so a name that
later resolves to a private address is refused then. ``WIR_WEBHOOK_ALLOW_PRIVATE_NETWORKS``
lifts the rule for intranet receivers and test setups.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class DestinationRefused(Exception):
    """The URL points at an address webhooks may not reach."""


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_registration(url: str, *, allow_private: bool) -> None:
    """Refuse, at registration, what is visibly not public (literal addresses, localhost)."""
    if allow_private:
        return
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        raise DestinationRefused(f"{host} is this machine; webhooks go to public addresses")
    address = _literal(host)
    if address is not None and not _public(address):
        raise DestinationRefused(f"{host} is not a public address; webhooks go to public ones")


async def check_before_call(url: str, *, allow_private: bool) -> None:
    """Resolve the URL's host now and refuse it if any of its addresses is not public."""
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    check_registration(url, allow_private=False)
    if _literal(host) is not None:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise DestinationRefused(f"{host} does not resolve: {exc}") from exc
    for info in infos:
        address = _literal(str(info[4][0]))
        if address is None or not _public(address):
            raise DestinationRefused(f"{host} resolves to {info[4][0]}, not a public address")

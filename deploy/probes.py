"""Readiness checks: is something listening, does it answer; and a free port."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import partial

#: A readiness check: true once the process does what it was started for.
Probe = Callable[[], bool]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1.0) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def listens(host: str, port: int) -> tuple[Probe, str]:
    return partial(tcp_open, host, port), f"accept connections on {host}:{port}"


def answers(url: str) -> tuple[Probe, str]:
    return partial(http_ok, url), f"answer GET {url} with 200"

"""Where the pages reach the APIs: one base URL per service the web front end calls."""

from __future__ import annotations

from shared.settings import WirSettings

SERVICES = ("applications", "cases", "notifications", "coordination")


def service_urls(settings: WirSettings) -> dict[str, str]:
    """Each API's base URL as the pages call it: ``WIR_WEB_<SERVICE>_URL`` where the settings
    have one, else ``http://<WIR_HOST>:<the service's port>`` (the coordination service at
    ``WIR_COORDINATION_PORT``, 8005, as ``make up`` starts it; the settings have no
    ``web_coordination_url`` yet)."""
    urls: dict[str, str] = {}
    for name in SERVICES:
        configured = getattr(settings, f"web_{name}_url", None)
        port = getattr(settings, f"{name}_port")
        urls[name] = str(configured).rstrip("/") if configured else f"http://{settings.host}:{port}"
    return urls

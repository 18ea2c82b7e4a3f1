"""Where the pages reach the APIs: one base URL per service the web front end calls."""

from __future__ import annotations

from shared.settings import WirSettings

SERVICES = ("applications", "cases", "notifications", "coordination")


def service_urls(settings: WirSettings) -> dict[str, str]:
    """Each API's base URL as the pages call it: ``WIR_WEB_<SERVICE>_URL`` where set, else
    ``http://<WIR_HOST>:<the service's port>`` (``WirSettings.web_api_url``)."""
    return {name: settings.web_api_url(name) for name in SERVICES}

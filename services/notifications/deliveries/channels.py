"""The two ways out: e-mail over SMTP and signed webhook calls. Each raises
:class:`DeliveryError` with a short reason when the other side did not take the message."""

from __future__ import annotations

import time
from email.message import EmailMessage

import aiosmtplib
import httpx

from services.notifications.deliveries.signing import sign
from services.notifications.recipients.destinations import (
    DestinationRefused,
    Resolver,
    check_before_call,
    resolve,
)
from services.notifications.settings import NotificationSettings
from shared.bus import CONTENT_TYPE


class DeliveryError(Exception):
    """The message was not taken; the reason is kept in the delivery log."""


def webhook_client() -> httpx.AsyncClient:
    """The HTTP client webhook calls go out with. It ignores ``HTTP(S)_PROXY`` and the like
    from the environment (a proxy would connect to addresses the guard never checked) and
    follows no redirect (its target was not checked either)."""
    return httpx.AsyncClient(trust_env=False, follow_redirects=False)


class Channels:
    def __init__(
        self,
        settings: NotificationSettings,
        http: httpx.AsyncClient,
        *,
        resolver: Resolver = resolve,
    ) -> None:
        self._settings = settings
        self._http = http
        self._resolver = resolver

    @property
    def email_enabled(self) -> bool:
        return self._settings.smtp_host is not None

    async def send_email(
        self, *, to: str, subject: str, body: str, language: str, delivery_id: str
    ) -> None:
        s = self._settings
        if s.smtp_host is None:
            raise DeliveryError("no SMTP server configured")
        message = EmailMessage()
        message["From"] = s.smtp_from
        message["To"] = to
        message["Subject"] = subject
        # Lets the receiving side (and a re-send) recognise the same notification.
        message["Message-ID"] = f"<{delivery_id}@wir.notifications>"
        message.set_content(body)
        message["Content-Language"] = language  # after set_content, which clears Content-*
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                start_tls=s.smtp_starttls,
                username=s.smtp_username,
                password=s.smtp_password,
                timeout=s.smtp_timeout_seconds,
            )
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.code}: {exc.message[:200]}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP: {type(exc).__name__}: {str(exc)[:200]}") from exc

    async def post_webhook(self, *, url: str, secret: str, body: str, delivery_id: str) -> None:
        payload = body.encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": CONTENT_TYPE,
            "Wir-Delivery-Id": delivery_id,
            "Wir-Timestamp": str(timestamp),
            "Wir-Signature": sign(secret=secret, timestamp=timestamp, body=payload),
        }
        try:
            await check_before_call(
                url,
                allow_private=self._settings.webhook_allow_private_networks,
                resolver=self._resolver,
            )
        except DestinationRefused as exc:
            raise DeliveryError(f"refused: {exc}") from exc
        try:
            response = await self._http.post(
                url,
                content=payload,
                headers=headers,
                timeout=self._settings.webhook_timeout_seconds,
                # A redirect's target was never checked: it could point anywhere inside.
                follow_redirects=False,
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"HTTP: {type(exc).__name__}: {str(exc)[:200]}") from exc
        if response.is_redirect:
            raise DeliveryError(f"HTTP {response.status_code}: redirects are not followed")
        if not response.is_success:
            raise DeliveryError(f"HTTP {response.status_code}")

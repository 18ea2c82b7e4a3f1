"""Settings of the notifications service only (``WIR_*`` variables, on top of WirSettings)."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.consumers import NOTIFICATIONS
from shared.settings import WirSettings


class NotificationSettings(WirSettings):
    # SMTP relay for e-mail. Unset: no e-mail is sent (in-app notifications and webhooks go on).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "WIR Hessen <wir-noreply@localhost>"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 10.0

    # The service's durable consumer on the stream WIR. The NATS permissions grant the
    # contract's name (shared.contracts.consumers); another name is for tests only.
    notifications_durable: str = NOTIFICATIONS

    webhook_timeout_seconds: float = 10.0
    # Webhooks may call loopback, private, link-local and other non-public addresses
    # (services/notifications/recipients/destinations.py). Off: only public addresses.
    webhook_allow_private_networks: bool = False
    # A receiver refuses a webhook whose signed timestamp is older than this (replays).
    webhook_tolerance_seconds: int = 300

    # Retries of a failed delivery: initial delay, doubling up to the maximum; given up
    # (recorded as failed, event wir.notification.delivery_failed) after give_up seconds.
    notification_retry_initial_seconds: float = Field(default=30.0, gt=0)
    notification_retry_max_seconds: float = Field(default=3600.0, gt=0)
    notification_give_up_seconds: float = Field(default=24 * 3600.0, gt=0)
    notification_dispatch_interval_seconds: float = Field(default=1.0, gt=0)


def notification_settings(settings: WirSettings | None) -> NotificationSettings:
    if isinstance(settings, NotificationSettings):
        return settings
    if settings is None:
        return NotificationSettings()
    return NotificationSettings(**settings.model_dump(exclude_unset=True))

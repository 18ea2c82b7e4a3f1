"""Events of the notifications service itself (``wir.notification.*``)."""

from __future__ import annotations

from typing import ClassVar, Literal

from shared.contracts.envelope import EventData, register


class NotificationEvent(EventData):
    delivery_id: str
    # The WIR event the delivery was about and its type.
    source_event_id: str
    source_event_type: str
    channel: Literal["email", "webhook"]
    # A recipient's or webhook's id in the notifications service, never an address.
    recipient_id: str

    def entity_id(self) -> str:
        return self.delivery_id


@register
class NotificationDeliveryFailed(NotificationEvent):
    """A notification could not be delivered within the configured time and was given up;
    staff can re-send it from the delivery log."""

    event_type: ClassVar[str] = "wir.notification.delivery_failed"
    attempts: int
    # What went wrong, e.g. `HTTP 503` or `SMTP 550`; no message content.
    error: str

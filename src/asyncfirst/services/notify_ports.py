"""What jobs need to tell people things: an outbox on the same transaction as their work,
the team's webhooks, the delivery log, and the transports that send (HTTP and SMTP).

Storage ports are implemented on SQLite and PostgreSQL in ``adapters/db``; transports in
``adapters/notify`` (httpx, smtplib). A transport never raises for a failed send: it returns
a ``SendOutcome`` that the delivery log keeps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from asyncfirst.domain.notifications import Notification

__all__ = [
    "DeliveryRecord",
    "DeliveryRepository",
    "DeliveryStatus",
    "DueDelivery",
    "MailMessage",
    "MailTransport",
    "NewWebhook",
    "NotificationOutbox",
    "SendOutcome",
    "StoredNotification",
    "WebhookFormat",
    "WebhookRecord",
    "WebhookRepository",
    "WebhookRequest",
    "WebhookTransport",
]

WebhookFormat = Literal["slack", "mattermost", "matrix", "json"]
DeliveryStatus = Literal["pending", "delivered", "failed", "gave_up"]


class NotificationOutbox(Protocol):
    def enqueue(self, notification: Notification) -> bool:
        """Keep the notification for delivery; False (and nothing kept) when its key exists."""
        ...


# --- Webhooks ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewWebhook:
    team: str
    format: WebhookFormat
    url: str  # the incoming-webhook URL; for Matrix the homeserver's base URL
    created_by: str
    created_at: datetime
    matrix_room_id: str | None = None
    matrix_access_token: str | None = field(default=None, repr=False)
    secret: str | None = field(default=None, repr=False)  # generic JSON only


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    id: int
    team: str
    format: WebhookFormat
    url: str
    active: bool
    created_by: str
    created_at: datetime
    removed_at: datetime | None = None
    matrix_room_id: str | None = None
    matrix_access_token: str | None = field(default=None, repr=False)
    secret: str | None = field(default=None, repr=False)


class WebhookRepository(Protocol):
    def add(self, webhook: NewWebhook) -> int: ...

    def get(self, webhook_id: int) -> WebhookRecord | None: ...

    def listed(self, team: str | None = None) -> list[WebhookRecord]:
        """Active webhooks (of ``team``, or of every team), oldest first."""
        ...

    def remove(self, webhook_id: int, at: datetime) -> bool:
        """Mark it inactive (its log stays); False when it already was."""
        ...


# --- The delivery log ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredNotification:
    id: int
    notification: Notification


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A delivery claimed for sending; ``attempts`` already counts this attempt."""

    id: int
    notification: Notification
    attempts: int
    webhook: WebhookRecord | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    notification_key: str
    kind: str
    webhook_id: int | None
    email: str | None
    attempts: int
    status: DeliveryStatus
    last_response: str | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DeliveryRepository(Protocol):
    def unfanned(self, limit: int) -> list[StoredNotification]:
        """Notifications not yet fanned out to channels, oldest first."""
        ...

    def addresses(self, team: str, people: Sequence[str]) -> dict[str, str | None]:
        """Each person's first charter email (None without one); all active members of
        ``team`` when ``people`` is empty."""
        ...

    def add(
        self, notification_id: int, at: datetime, *, webhook_id: int | None = None,
        email: str | None = None,
    ) -> bool:  # fmt: skip
        """A pending delivery due at ``at``; False when that channel already has one."""
        ...

    def mark_fanned_out(self, notification_id: int, at: datetime) -> None: ...

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[DueDelivery]:
        """Pending or failed deliveries due by ``now``: count an attempt on each and hide
        them until ``lease_until`` (a worker that dies mid-send lets them come back)."""
        ...

    def record(
        self, delivery_id: int, status: DeliveryStatus, at: datetime, *,
        response: str | None, error: str | None, next_attempt_at: datetime | None,
    ) -> None: ...  # fmt: skip

    def log(self, webhook_id: int, limit: int) -> list[DeliveryRecord]:
        """A webhook's deliveries, newest first."""
        ...


# --- Transports ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """``response``: ``HTTP 204`` or the SMTP reply; ``error``: why it failed, in words."""

    ok: bool
    response: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookRequest:
    method: Literal["POST", "PUT"]
    url: str
    headers: Mapping[str, str]
    body: bytes


class WebhookTransport(Protocol):
    def send(self, request: WebhookRequest) -> SendOutcome:
        """Send it once; a 2xx answer is ``ok``. Never raises for a network failure."""
        ...


@dataclass(frozen=True, slots=True)
class MailMessage:
    to: str
    subject: str
    text: str
    message_id: str  # derived from the notification key: a resent mail is the same message


class MailTransport(Protocol):
    def send(self, message: MailMessage) -> SendOutcome:
        """Hand it to the SMTP server once. Never raises for a network failure."""
        ...

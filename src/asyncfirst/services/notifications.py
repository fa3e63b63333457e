"""Delivering notifications: fan out from the outbox, send what is due, retry, give up.

``deliver_due`` is the one use case; the background job runner calls it every little while
(in-process with SQLite, a procrastinate task with PostgreSQL). It is synchronous and holds
no transaction while it sends:

1. **Fan out** (one transaction): each notification not yet fanned out gets one pending
   delivery per active webhook of its team, and, while SMTP is configured, one per email
   address: a ``digest`` goes to its recipients (every active member of the team when it
   names none); any other kind goes by email only to the people it names.
2. **Claim** (one transaction): deliveries that are pending or failed and due get their
   attempt counted and are hidden for ``policy.lease`` (10 minutes), so another worker does
   not send them at the same time; a worker that dies mid-send lets them come back after.
   On PostgreSQL the claim skips rows another worker has locked.
3. **Send** through the ports (``WebhookTransport``, ``MailTransport``), outside any
   transaction, and **record** each outcome in a short transaction of its own: delivered;
   or failed with the next attempt after an exponential backoff with jitter
   (``RetryPolicy``: 30 s, 1, 2, 4, 8, 16, 32 min, then every hour, each plus up to 25 %);
   or, after ``max_attempts`` (10, about three hours), given up, which is logged.

Delivery is at least once: a receiver may see a retry of something it already took (the
worker died before recording). Matrix drops those itself (the transaction id comes from
the notification key); JSON receivers can drop a repeated ``key``.
"""

from __future__ import annotations

import logging
import random as _random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from asyncfirst.domain.notifications import Notification
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.notify_payloads import email_message, webhook_request
from asyncfirst.services.notify_ports import (
    DeliveryStatus,
    DueDelivery,
    MailTransport,
    SendOutcome,
    WebhookTransport,
)
from asyncfirst.services.ports import Clock

__all__ = ["DeliveryReport", "RetryPolicy", "Transports", "deliver_due", "emailed_to"]

log = logging.getLogger("asyncfirst.notifications")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff after the n-th failed attempt: ``first_delay * factor**(n-1)``, at most
    ``max_delay``, plus up to ``jitter`` of it at random; give up after ``max_attempts``."""

    first_delay: timedelta = timedelta(seconds=30)
    factor: float = 2.0
    max_delay: timedelta = timedelta(hours=1)
    jitter: float = 0.25
    max_attempts: int = 10
    lease: timedelta = timedelta(minutes=10)

    def delay(self, attempts: int, draw: float) -> timedelta:
        """The wait after ``attempts`` failed attempts; ``draw`` is a random number in [0, 1)."""
        base = min(self.first_delay * self.factor ** max(attempts - 1, 0), self.max_delay)
        return base * (1 + self.jitter * draw)


@dataclass(frozen=True, slots=True)
class Transports:
    """How deliveries leave: HTTP for webhooks; SMTP for email (None: email is off)."""

    webhooks: WebhookTransport
    mail: MailTransport | None = None
    close: Callable[[], None] = lambda: None  # releases connections (HTTP pool)


@dataclass(slots=True)
class DeliveryReport:
    fanned_out: int = 0  # notifications given their deliveries
    queued: int = 0  # deliveries created
    attempted: int = 0
    delivered: int = 0
    failed: int = 0  # will be retried
    gave_up: int = 0
    without_email: list[str] = field(default_factory=list)  # people a mail could not reach

    def to_dict(self) -> dict[str, Any]:
        return {
            "fanned_out": self.fanned_out, "queued": self.queued, "attempted": self.attempted,
            "delivered": self.delivered, "failed": self.failed, "gave_up": self.gave_up,
            "without_email": list(self.without_email),
        }  # fmt: skip


def emailed_to(notification: Notification) -> tuple[str, ...] | None:
    """Who gets it by email: its recipients; for a digest naming none, the whole team (());
    None when it is not emailed at all."""
    if notification.kind == "digest":
        return notification.recipients
    return notification.recipients or None


def _fan_out(uow: HubUnitOfWork, now: datetime, email: bool, batch: int, report: DeliveryReport) -> None:  # fmt: skip
    for stored in uow.deliveries.unfanned(batch):
        n = stored.notification
        for hook in uow.webhooks.listed(n.team):
            report.queued += uow.deliveries.add(stored.id, now, webhook_id=hook.id)
        people = emailed_to(n) if email else None
        if people is not None:
            for person, address in uow.deliveries.addresses(n.team, people).items():
                if address is None:
                    report.without_email.append(person)
                else:
                    report.queued += uow.deliveries.add(stored.id, now, email=address)
        uow.deliveries.mark_fanned_out(stored.id, now)
        report.fanned_out += 1


def _send(due: DueDelivery, transport: Transports, now: datetime, base_url: str | None) -> SendOutcome:  # fmt: skip
    if due.webhook is not None:
        if not due.webhook.active:
            return SendOutcome(False, None, "the webhook was removed")
        request = webhook_request(
            due.webhook, due.notification, delivery_id=due.id, now=now, base_url=base_url
        )
        return transport.webhooks.send(request)
    if transport.mail is None:
        return SendOutcome(False, None, "email is not configured (set ASYNCFIRST_SMTP_HOST)")
    return transport.mail.send(email_message(due.notification, due.email or "", base_url))


def deliver_due(
    uow_factory: Callable[[], HubUnitOfWork],
    clock: Clock,
    transport: Transports,
    *,
    policy: RetryPolicy = RetryPolicy(),  # frozen: one shared default is safe
    random: Callable[[], float] = _random.random,
    base_url: str | None = None,
    batch: int = 100,
) -> DeliveryReport:
    """Fan out new notifications, send up to ``batch`` due deliveries, record each outcome.

    ``uow_factory`` is the hub's (``HubContext.unit_of_work``); ``random`` draws the jitter
    (inject a fixed one in tests); ``base_url`` (``ASYNCFIRST_PUBLIC_URL``) makes links
    absolute. Safe to run in several workers at once.
    """
    report = DeliveryReport()
    with uow_factory() as uow:
        _fan_out(uow, clock.now(), transport.mail is not None, batch, report)
        uow.commit()
    now = clock.now()
    with uow_factory() as uow:
        due = uow.deliveries.claim_due(now, now + policy.lease, batch)
        uow.commit()
    for delivery in due:
        report.attempted += 1
        outcome = _send(delivery, transport, clock.now(), base_url)
        finished = clock.now()
        status: DeliveryStatus
        next_at: datetime | None = None
        removed = delivery.webhook is not None and not delivery.webhook.active
        if outcome.ok:
            status, report.delivered = "delivered", report.delivered + 1
        elif removed or delivery.attempts >= policy.max_attempts:
            status, report.gave_up = "gave_up", report.gave_up + 1
            log.warning(
                "gave up delivering %s to %s after %d attempts: %s",
                delivery.notification.key, _channel(delivery), delivery.attempts, outcome.error,
            )  # fmt: skip
        else:
            status, report.failed = "failed", report.failed + 1
            next_at = finished + policy.delay(delivery.attempts, random())
        with uow_factory() as uow:
            uow.deliveries.record(
                delivery.id, status, finished,
                response=outcome.response, error=outcome.error, next_attempt_at=next_at,
            )  # fmt: skip
            uow.commit()
    return report


def _channel(delivery: DueDelivery) -> str:
    return f"webhook {delivery.webhook.id}" if delivery.webhook else f"<{delivery.email}>"

"""Use cases of a team's outgoing webhooks: add, list, remove, read the delivery log.

Who may: ``webhook.manage`` (a team's) and ``webhook.edit`` (one webhook) in
``services/access.py``: the team's lead or an org admin. A member gets 403 on a team's
list; someone who may not manage a webhook gets the 404 of a missing one.

A generic JSON webhook gets a signing secret, generated here and shown once, in the answer
to its creation; a Matrix one takes a room id and an access token, never shown again.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from asyncfirst.domain.errors import InputError
from asyncfirst.services.access import Actor, TeamRef, WebhookRef, can, not_found, require
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.notify_ports import (
    DeliveryRecord,
    NewWebhook,
    WebhookFormat,
    WebhookRecord,
)
from asyncfirst.services.ports import Clock
from asyncfirst.services.thread_views import utc_text

__all__ = [
    "FORMATS",
    "LOG_MAX",
    "WebhookView",
    "add_webhook",
    "list_webhooks",
    "remove_webhook",
    "webhook_deliveries",
]

FORMATS: tuple[WebhookFormat, ...] = ("slack", "mattermost", "matrix", "json")
URL_MAX = 2000
LOG_MAX = 200
_MATRIX_ROOM = re.compile(r"^![^:\s]+:[^\s]+$")


@dataclass(frozen=True, slots=True)
class WebhookView:
    record: WebhookRecord
    secret: str | None = None  # only in the answer to its creation

    def to_dict(self) -> dict[str, Any]:
        r = self.record
        shown: dict[str, Any] = {
            "id": r.id, "team": r.team, "format": r.format, "url": _shown_url(r),
            "matrix_room_id": r.matrix_room_id, "active": r.active, "created_by": r.created_by,
            "created_at": utc_text(r.created_at),
            "removed_at": utc_text(r.removed_at) if r.removed_at else None,
        }  # fmt: skip
        if self.secret is not None:
            shown["secret"] = self.secret
        return shown


def _shown_url(record: WebhookRecord) -> str:
    """Slack and Mattermost URLs carry their secret in the path: show only where they go."""
    if record.format in ("slack", "mattermost"):
        parts = urlsplit(record.url)
        return f"{parts.scheme}://{parts.netloc}/…"
    return record.url


def _delivery(d: DeliveryRecord) -> dict[str, Any]:
    return {
        "id": d.id, "notification": d.notification_key, "kind": d.kind,
        "channel": f"webhook:{d.webhook_id}" if d.webhook_id is not None else f"email:{d.email}",
        "status": d.status, "attempts": d.attempts, "last_response": d.last_response,
        "last_error": d.last_error,
        "next_attempt_at": utc_text(d.next_attempt_at) if d.next_attempt_at else None,
        "delivered_at": utc_text(d.delivered_at) if d.delivered_at else None,
        "created_at": utc_text(d.created_at), "updated_at": utc_text(d.updated_at),
    }  # fmt: skip


def _url(url: str, field: str) -> str:
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(text) > URL_MAX:
        raise InputError(
            f'"{text[:100]}" is not a web address; give an https:// URL of at most '
            f"{URL_MAX} characters",
            field=field,
        )
    return text


def add_webhook(
    uow: HubUnitOfWork, clock: Clock, actor: Actor, team: str, format: str, url: str, *,
    matrix_room_id: str | None = None, matrix_access_token: str | None = None,
) -> WebhookView:  # fmt: skip
    """Add a webhook to ``team``; a JSON one's answer holds its secret, this once."""
    if format not in FORMATS:
        raise InputError(f'format "{format}" is not one of: {", ".join(FORMATS)}', field="format")
    kind: WebhookFormat = next(f for f in FORMATS if f == format)
    address = _url(url, "url")
    room = token = secret = None
    if kind == "matrix":
        room = (matrix_room_id or "").strip()
        if not _MATRIX_ROOM.match(room):
            raise InputError(
                f'matrix_room_id "{room}" is not a room id like !abc123:example.org',
                field="matrix_room_id",
            )
        token = (matrix_access_token or "").strip()
        if not token:
            raise InputError(
                "a Matrix webhook needs the access token of the account that posts",
                field="matrix_access_token",
            )
    elif matrix_room_id or matrix_access_token:
        raise InputError(
            f"matrix_room_id and matrix_access_token are for Matrix webhooks, not {kind}",
            field="matrix_room_id",
        )
    if kind == "json":
        secret = "whsec_" + secrets.token_urlsafe(32)
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "webhook.manage", TeamRef(team))
        new = NewWebhook(team, kind, address, actor.person_id, clock.now(), room, token, secret)
        webhook_id = uow.webhooks.add(new)
        record = uow.webhooks.get(webhook_id)
        uow.commit()
    if record is None:  # pragma: no cover - it was just written
        raise RuntimeError(f"webhook {webhook_id} vanished")
    return WebhookView(record, secret)


def list_webhooks(uow: HubUnitOfWork, actor: Actor, team: str | None = None) -> list[WebhookView]:
    """The active webhooks the actor may manage (of ``team`` when given, which they must)."""
    with uow:
        if team is not None:
            if not uow.threads.team_exists(team):
                raise not_found(TeamRef(team))
            require(actor, "webhook.manage", TeamRef(team))
        found = uow.webhooks.listed(team)
    return [
        WebhookView(w) for w in found if can(actor, "webhook.manage", TeamRef(w.team))
    ]  # fmt: skip


def _visible(uow: HubUnitOfWork, actor: Actor, webhook_id: int) -> WebhookRecord:
    record = uow.webhooks.get(webhook_id)
    ref = WebhookRef(webhook_id, record.team if record else "")
    if record is None:
        raise not_found(ref)
    require(actor, "webhook.edit", ref)
    return record


def remove_webhook(uow: HubUnitOfWork, clock: Clock, actor: Actor, webhook_id: int) -> None:
    """Stop delivering to it (pending deliveries give up); its delivery log stays readable."""
    with uow:
        _visible(uow, actor, webhook_id)
        uow.webhooks.remove(webhook_id, clock.now())
        uow.commit()


def webhook_deliveries(
    uow: HubUnitOfWork, actor: Actor, webhook_id: int, limit: int = 50
) -> dict[str, Any]:
    """The webhook and its newest ``limit`` deliveries (at most ``LOG_MAX``)."""
    if not 1 <= limit <= LOG_MAX:
        raise InputError(f"limit {limit} is not between 1 and {LOG_MAX}", field="limit")
    with uow:
        record = _visible(uow, actor, webhook_id)
        log = uow.deliveries.log(webhook_id, limit)
    return {
        "webhook": WebhookView(record).to_dict(),
        "deliveries": [_delivery(d) for d in log],
    }

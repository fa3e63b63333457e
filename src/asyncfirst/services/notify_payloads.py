"""What goes over the wire for a notification: one request per webhook format, one email.

- ``slack``/``mattermost``: ``POST url`` with ``{"text": ...}`` (an incoming webhook), the
  link in each one's own markup (Slack ``<url|label>``, Mattermost Markdown).
- ``matrix``: ``PUT {homeserver}/_matrix/client/v3/rooms/{room}/send/m.room.message/{txn}``
  with ``Authorization: Bearer <access token>``; ``txn`` is derived from the notification
  key and the webhook id, so a retry is the same transaction and Matrix keeps it once.
- ``json``: ``POST url`` with the notification as JSON, signed:
  ``X-Asyncfirst-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>`` and
  ``X-Asyncfirst-Timestamp: <unix seconds>``; ``verify_signature`` is the receiver's check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from html import escape
from urllib.parse import quote

from asyncfirst.domain.notifications import Notification
from asyncfirst.services.notify_ports import MailMessage, WebhookRecord, WebhookRequest

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "absolute_link",
    "email_message",
    "json_body",
    "matrix_txn_id",
    "sign",
    "verify_signature",
    "webhook_request",
]

SIGNATURE_HEADER = "X-Asyncfirst-Signature"
TIMESTAMP_HEADER = "X-Asyncfirst-Timestamp"
_JSON = "application/json"


def absolute_link(link: str | None, base_url: str | None) -> str | None:
    """A path on the service made absolute with the service's public URL (when known)."""
    if link is None or base_url is None or not link.startswith("/"):
        return link
    return base_url.rstrip("/") + link


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=`` + the hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` under ``secret``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str, timestamp: str, body: bytes, signature: str, now: datetime, tolerance: int = 300
) -> bool:
    """The receiver's check: the signature matches and the timestamp is within ``tolerance``
    seconds of ``now`` (a replayed old request is refused)."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now.timestamp() - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)


def matrix_txn_id(key: str, webhook_id: int) -> str:
    """The Matrix transaction id: the same for every retry of one notification to one room."""
    return "asyncfirst-" + hashlib.sha256(f"{webhook_id}:{key}".encode()).hexdigest()[:32]


def _plain(n: Notification, link: str | None) -> str:
    return f"{n.subject}\n{n.text}" + (f"\n{link}" if link else "")


def json_body(n: Notification, link: str | None, delivery_id: int) -> bytes:
    """The generic JSON payload (keys sorted, so the signed bytes are stable)."""
    payload = {
        "delivery": delivery_id,
        "key": n.key,
        "kind": n.kind,
        "team": n.team,
        "subject": n.subject,
        "text": n.text,
        "link": link,
        "recipients": list(n.recipients),
        "data": dict(n.data),
        "created_at": n.created_at.isoformat(),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def webhook_request(
    webhook: WebhookRecord, n: Notification, *, delivery_id: int, now: datetime,
    base_url: str | None = None,
) -> WebhookRequest:  # fmt: skip
    """The request that delivers ``n`` to ``webhook``, signed at ``now`` when it is JSON."""
    link = absolute_link(n.link, base_url)
    if webhook.format == "slack":
        text = f"*{n.subject}*\n{n.text}" + (f"\n<{link}|Open in asyncfirst>" if link else "")
        return _post_json(webhook.url, {"text": text})
    if webhook.format == "mattermost":
        text = f"**{n.subject}**\n{n.text}" + (f"\n[Open in asyncfirst]({link})" if link else "")
        return _post_json(webhook.url, {"text": text})
    if webhook.format == "matrix":
        return _matrix(webhook, n, link)
    body = json_body(n, link, delivery_id)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": _JSON,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(webhook.secret or "", timestamp, body),
        "X-Asyncfirst-Event": n.kind,
        "X-Asyncfirst-Delivery": str(delivery_id),
    }
    return WebhookRequest("POST", webhook.url, headers, body)


def _post_json(url: str, payload: dict[str, str]) -> WebhookRequest:
    return WebhookRequest("POST", url, {"Content-Type": _JSON}, json.dumps(payload).encode())


def _matrix(webhook: WebhookRecord, n: Notification, link: str | None) -> WebhookRequest:
    room = quote(webhook.matrix_room_id or "", safe="")
    txn = matrix_txn_id(n.key, webhook.id)
    url = f"{webhook.url.rstrip('/')}/_matrix/client/v3/rooms/{room}/send/m.room.message/{txn}"
    html = f"<strong>{escape(n.subject)}</strong><br>{escape(n.text)}" + (
        f'<br><a href="{escape(link)}">Open in asyncfirst</a>' if link else ""
    )
    content = {
        "msgtype": "m.text",
        "body": _plain(n, link),
        "format": "org.matrix.custom.html",
        "formatted_body": html,
    }
    headers = {
        "Content-Type": _JSON,
        "Authorization": f"Bearer {webhook.matrix_access_token or ''}",
    }
    return WebhookRequest("PUT", url, headers, json.dumps(content).encode())


def email_message(n: Notification, to: str, base_url: str | None = None) -> MailMessage:
    """A plain-text email; its Message-ID is derived from the notification key and address."""
    digest = hashlib.sha256(f"{n.key}\n{to}".encode()).hexdigest()[:32]
    link = absolute_link(n.link, base_url)
    text = n.text + (f"\n\nOpen in asyncfirst: {link}" if link else "") + "\n"
    return MailMessage(to, n.subject, text, f"<{digest}@asyncfirst.notifications>")

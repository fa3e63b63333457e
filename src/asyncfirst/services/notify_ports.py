"""What jobs need to tell people things: an outbox on the same transaction as their work."""

from __future__ import annotations

from typing import Protocol

from asyncfirst.domain.notifications import Notification

__all__ = ["NotificationOutbox"]


class NotificationOutbox(Protocol):
    def enqueue(self, notification: Notification) -> bool:
        """Keep the notification for delivery; False (and nothing kept) when its key exists."""
        ...

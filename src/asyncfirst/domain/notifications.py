"""A notification: something the hub tells a team or a person, once.

Jobs (reminders, escalations, check-in prompts, hand-offs, digests, pulses) produce
notifications; the outbox keeps each ``key`` once, so a job that runs twice (a retried
worker, two schedulers) has its effect once. Delivery to webhooks and email happens later,
from the outbox, with retries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

__all__ = ["Notification", "NotificationKind"]

NotificationKind = Literal[
    "reminder", "escalation", "checkin_prompt", "handoff", "digest", "pulse", "decision"
]


@dataclass(frozen=True, slots=True)
class Notification:
    """``key`` names the effect (``reminder:thread:12:kenji``): the same key is kept once."""

    key: str
    kind: NotificationKind
    team: str  # the charter team id whose channels hear it
    subject: str
    text: str
    created_at: datetime  # aware, UTC
    recipients: tuple[str, ...] = ()  # person ids, for email and personal channels
    link: str | None = None  # a path on the service, e.g. /api/threads/12
    data: Mapping[str, str | int | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError("Notification.created_at must be aware")

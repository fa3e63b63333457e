"""Threads as people read them: plain data, each deadline in the recipient's zone and UTC.

The JSON API serialises these with ``to_dict``; a later HTML page renders the same views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from asyncfirst.services.hub_ports import QueueRow, RecipientState, ReplyRecord, ThreadRecord

__all__ = ["DueView", "QueueItem", "ThreadView", "utc_text"]


def utc_text(instant: datetime) -> str:
    """``2026-11-24T08:30:00Z``: an instant in UTC, as the API shows it."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class DueView:
    """A deadline: the instant, and the zone of the person it is counted for."""

    instant: datetime
    zone: str

    def to_dict(self) -> dict[str, str]:
        return {
            "local": self.instant.astimezone(ZoneInfo(self.zone)).isoformat(),
            "utc": utc_text(self.instant),
            "zone": self.zone,
        }


def _recipient(state: RecipientState) -> dict[str, Any]:
    return {
        "person": state.person,
        "name": state.name,
        "respond_by": DueView(state.respond_by, state.zone).to_dict(),
        "answered": state.answered_at is not None,
        "answered_at": utc_text(state.answered_at) if state.answered_at else None,
    }


@dataclass(frozen=True, slots=True)
class ThreadView:
    thread: ThreadRecord
    replies: tuple[ReplyRecord, ...] | None = None  # None: not asked for (lists)

    @property
    def next_due(self) -> datetime | None:
        """The earliest respond-by among those who have not answered yet."""
        open_ = [r.respond_by for r in self.thread.recipients if r.answered_at is None]
        return min(open_, default=None)

    def to_dict(self) -> dict[str, Any]:
        t, due = self.thread, self.next_due
        data: dict[str, Any] = {
            "id": t.id,
            "team": t.team,
            "kind": t.kind,
            "title": t.title,
            "body": t.body,
            "author": {"id": t.author, "name": t.author_name},
            "created_at": utc_text(t.created_at),
            "next_due_utc": utc_text(due) if due else None,
            "recipients": [
                _recipient(r) for r in sorted(t.recipients, key=lambda r: (r.respond_by, r.person))
            ],
        }
        if self.replies is not None:
            data["replies"] = [
                {"id": r.id, "author": {"id": r.author, "name": r.author_name}, "body": r.body,
                 "created_at": utc_text(r.created_at)}
                for r in self.replies
            ]  # fmt: skip
        return data


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A thread waiting for the person's answer, with its deadline in their zone."""

    row: QueueRow
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        r = self.row
        return {
            "thread_id": r.thread_id,
            "team": r.team,
            "kind": r.kind,
            "title": r.title,
            "author": r.author,
            "created_at": utc_text(r.created_at),
            "respond_by": DueView(r.respond_by, r.zone).to_dict(),
            "overdue": self.overdue,
        }

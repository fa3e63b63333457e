"""Job: tell the receiving team about each hand-off when its day starts.

A hand-off is routed when it is posted (``services.handoffs``) to the team whose day
starts next, with that start stored. This job announces it to that team once the start
has come, while it is unacknowledged and at most ``CATCH_UP`` late. Key:
``handoff:<id>``, so once per hand-off.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asyncfirst.domain.notifications import Notification
from asyncfirst.services.handoff_ports import HandoffRecord
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs.common import local_text

__all__ = ["CATCH_UP", "handoff_key", "route_handoffs"]

CATCH_UP = timedelta(hours=12)


def handoff_key(handoff_id: int) -> str:
    return f"handoff:{handoff_id}"


def _announcement(h: HandoffRecord, members: tuple[str, ...], now: datetime) -> Notification:
    lines = [
        f"Hand-off from {h.from_team} ({h.author_name}), written {local_text(h.created_at, h.to_zone)}:",
        h.note,
    ]
    if h.open_items:
        lines.append("Open items:")
        lines.extend(f"- {item}" for item in h.open_items)
    return Notification(
        key=handoff_key(h.id),
        kind="handoff",
        team=h.to_team,
        subject=f"Hand-off from {h.from_team}: {len(h.open_items)} open item(s)",
        text="\n".join(lines),
        created_at=now,
        recipients=members,
        link=f"/api/v1/teams/{h.to_team}/handoffs",
        data={"handoff_id": h.id, "from_team": h.from_team},
    )


def route_handoffs(hub: HubContext) -> int:
    """Announce hand-offs whose receiving day has started; how many were kept."""
    now = hub.clock.now()
    kept = 0
    with hub.unit_of_work() as uow:
        due = [
            h
            for team in hub.org.teams
            for h in uow.handoffs.to_team(team.id)
            if h.acknowledged_at is None and h.to_starts_at <= now < h.to_starts_at + CATCH_UP
        ]
        if not due:
            return 0
        outbox = uow.outbox
        for h in sorted(due, key=lambda h: h.id):
            members = tuple(p.id for p in hub.org.members(h.to_team))
            kept += outbox.enqueue(_announcement(h, members, now))
        uow.commit()
    return kept

"""Hand-offs as people read them: a team's inbox and outbox, and one hand-off.

Each hand-off shows the receiving team's day start both in UTC and in that team's own
zone (``to_starts_local``), so the sender sees when it will be read and the receiver
sees it in their own time. Who reads what is ``handoff.list``/``handoff.read`` in
``services/access.py``: a team's list for those who read the team, each hand-off for
those who read its sending or its receiving team.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from asyncfirst.domain.zones import zone
from asyncfirst.services.access import Actor, HandoffRef, TeamRef, can, not_found, require
from asyncfirst.services.handoff_ports import HandoffRecord
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.thread_views import utc_text

__all__ = ["Direction", "HandoffList", "HandoffView", "inbox", "outbox", "ref_of", "visible"]

Direction = Literal["in", "out"]


def ref_of(record: HandoffRecord) -> HandoffRef:
    return HandoffRef(record.id, record.from_team, record.to_team)


@dataclass(frozen=True, slots=True)
class HandoffView:
    record: HandoffRecord

    def to_dict(self) -> dict[str, Any]:
        r = self.record
        acked = r.acknowledged_by is not None and r.acknowledged_at is not None
        return {
            "id": r.id,
            "from_team": r.from_team,
            "to_team": r.to_team,
            "author": {"id": r.author, "name": r.author_name},
            "note": r.note,
            "open_items": list(r.open_items),
            "created_at": utc_text(r.created_at),
            "to_starts_at": utc_text(r.to_starts_at),
            "to_zone": r.to_zone,
            "to_starts_local": r.to_starts_at.astimezone(zone(r.to_zone)).isoformat(),
            "acknowledged_by": (
                {"id": r.acknowledged_by, "name": r.acknowledged_by_name} if acked else None
            ),
            "acknowledged_at": utc_text(r.acknowledged_at) if r.acknowledged_at else None,
        }


@dataclass(frozen=True, slots=True)
class HandoffList:
    team: str
    direction: Direction
    handoffs: tuple[HandoffView, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "direction": self.direction,
            "handoffs": [h.to_dict() for h in self.handoffs],
        }


def visible(uow: HubUnitOfWork, actor: Actor, handoff_id: int) -> HandoffRecord:
    """The hand-off if the actor may read it; otherwise the same 404 as a missing one."""
    record = uow.handoffs.get(handoff_id)
    if record is None:
        raise not_found(HandoffRef(handoff_id, "", ""))
    require(actor, "handoff.read", ref_of(record))
    return record


def _listed(uow: HubUnitOfWork, actor: Actor, team: str, direction: Direction) -> HandoffList:
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "handoff.list", TeamRef(team))
        rows = uow.handoffs.to_team(team) if direction == "in" else uow.handoffs.from_team(team)
    views = tuple(HandoffView(r) for r in rows if can(actor, "handoff.read", ref_of(r)))
    return HandoffList(team, direction, views)


def inbox(uow: HubUnitOfWork, actor: Actor, team: str) -> HandoffList:
    """Hand-offs sent to ``team``, newest first."""
    return _listed(uow, actor, team, "in")


def outbox(uow: HubUnitOfWork, actor: Actor, team: str) -> HandoffList:
    """Hand-offs ``team`` sent, newest first."""
    return _listed(uow, actor, team, "out")

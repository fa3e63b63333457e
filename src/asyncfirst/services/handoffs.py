"""Use cases of follow-the-sun hand-offs: post an end-of-day note, acknowledge one.

**Routing.** A hand-off leaves the author's own team (``handoff.post``: its members only)
and goes to the team whose day starts next after the moment it is posted
(``domain.handoffs.next_team``: each team's charter hours, weekends and public holidays;
ties by charter order). The receiving team's day start is stored in UTC with its zone.

**Acknowledging.** A member of the receiving team acknowledges it (``handoff.ack``): a
member of the sending team gets 403, anyone who may not read it the 404 of a missing one.
The first acknowledgement stands; acknowledging again changes nothing.

Reads (a team's inbox and outbox) live in ``handoff_views``.
"""

from __future__ import annotations

from collections.abc import Sequence

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.handoffs import next_team
from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Actor, TeamRef, require
from asyncfirst.services.handoff_ports import NewHandoff
from asyncfirst.services.handoff_views import HandoffView, ref_of, visible
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.ports import Clock

__all__ = ["ITEMS_MAX", "ITEM_MAX", "NOTE_MAX", "acknowledge", "post_handoff"]

NOTE_MAX = 20_000
ITEM_MAX = 500
ITEMS_MAX = 50


def _items(open_items: Sequence[str]) -> tuple[str, ...]:
    items = tuple(item.strip() for item in open_items)
    if len(items) > ITEMS_MAX:
        raise InputError(f"{len(items)} open items; at most {ITEMS_MAX}", field="open_items")
    for index, item in enumerate(items):
        if not item:
            raise InputError(f"open item {index + 1} is empty", field="open_items", index=index)
        if len(item) > ITEM_MAX:
            raise InputError(
                f"open item {index + 1} is {len(item)} characters; at most {ITEM_MAX}",
                field="open_items", index=index,
            )  # fmt: skip
    return items


def post_handoff(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    note: str,
    open_items: Sequence[str] = (),
) -> HandoffView:
    """Hand the actor's team's day over to the team whose day starts next."""
    person = org.person(actor.person_id)
    text = note.strip()
    if not text:
        raise InputError("the hand-off note is empty", field="note")
    if len(text) > NOTE_MAX:
        raise InputError(f"the note is {len(text)} characters; at most {NOTE_MAX}", field="note")
    items = _items(open_items)
    now = clock.now()
    to_team, starts_at = next_team(org, person.team_id, now)
    handoff = NewHandoff(
        person.team_id, to_team.id, person.id, text, items, now, starts_at, to_team.zone
    )
    with uow:
        require(actor, "handoff.post", TeamRef(person.team_id))
        handoff_id = uow.handoffs.add(handoff)
        record = visible(uow, actor, handoff_id)
        uow.commit()
    return HandoffView(record)


def acknowledge(uow: HubUnitOfWork, clock: Clock, actor: Actor, handoff_id: int) -> HandoffView:
    """Acknowledge a hand-off to the actor's team; the first acknowledgement stands."""
    with uow:
        record = visible(uow, actor, handoff_id)
        require(actor, "handoff.ack", ref_of(record))
        if record.acknowledged_at is None:
            uow.handoffs.acknowledge(handoff_id, actor.person_id, clock.now())
            record = visible(uow, actor, handoff_id)
            uow.commit()
    return HandoffView(record)

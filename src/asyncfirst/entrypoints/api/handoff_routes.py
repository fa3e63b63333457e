"""The API's hand-off routes: each parses, calls one use case or query, returns plain data.

Which fields a response holds is decided in ``services/handoff_views.py``, not here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from asyncfirst.entrypoints.api.deps import ActorDep, HubDep, threaded
from asyncfirst.entrypoints.api.schemas import ERROR_RESPONSES, HandoffIn
from asyncfirst.services.handoff_views import Direction, inbox, outbox
from asyncfirst.services.handoffs import acknowledge, post_handoff

__all__ = ["handoffs"]

handoffs = APIRouter(prefix="/api/v1", tags=["hand-offs"], responses=ERROR_RESPONSES)

TeamPath = Path(description="A team id from the charter, e.g. design", max_length=64)
HandoffPath = Path(description="The hand-off's id", ge=1, le=2**31 - 1)
DirectionQuery = Annotated[
    Direction, Query(description="in: hand-offs to the team; out: hand-offs it sent.")
]


@handoffs.post(
    "/handoffs",
    status_code=status.HTTP_201_CREATED,
    summary="Hand your team's day over to the team whose day starts next",
)
@threaded
def new_handoff(hub: HubDep, actor: ActorDep, handoff: HandoffIn) -> dict[str, Any]:
    view = post_handoff(
        hub.unit_of_work(), hub.clock, hub.org, actor, handoff.note, handoff.open_items
    )
    return view.to_dict()


@handoffs.get(
    "/teams/{team}/handoffs",
    summary="A team's hand-offs, received (in) or sent (out), newest first",
)
@threaded
def team_handoffs(
    hub: HubDep, actor: ActorDep, team: str = TeamPath, direction: DirectionQuery = "in"
) -> dict[str, Any]:
    read = inbox if direction == "in" else outbox
    return read(hub.read_unit_of_work(), actor, team).to_dict()


@handoffs.post(
    "/handoffs/{handoff_id}/ack",
    summary="Acknowledge a hand-off to your team (its members only; the first one stands)",
)
@threaded
def acknowledge_handoff(
    hub: HubDep, actor: ActorDep, handoff_id: int = HandoffPath
) -> dict[str, Any]:
    return acknowledge(hub.unit_of_work(), hub.clock, actor, handoff_id).to_dict()

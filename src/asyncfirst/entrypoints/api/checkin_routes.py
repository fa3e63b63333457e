"""The API's check-in routes: each parses, calls one use case or query, returns plain data.

Which fields a response holds is decided in ``services/checkin_views.py``, not here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from asyncfirst.entrypoints.api.deps import ActorDep, HubDep, threaded
from asyncfirst.entrypoints.api.schemas import ERROR_RESPONSES, CheckinIn
from asyncfirst.services.checkin_views import my_checkins, team_feed, team_mood
from asyncfirst.services.checkins import post_checkin

__all__ = ["checkins"]

checkins = APIRouter(prefix="/api/v1", tags=["check-ins"], responses=ERROR_RESPONSES)

TeamPath = Path(description="A team id from the charter, e.g. design", max_length=64)
Days = Annotated[int, Query(ge=1, le=90, description="How many days back to read.")]


@checkins.post(
    "/checkins",
    status_code=status.HTTP_201_CREATED,
    summary="Check in for your local working day (201); again the same day replaces it (200)",
    responses={200: {"description": "Today's check-in, replaced"}},
)
@threaded
def new_checkin(
    hub: HubDep, actor: ActorDep, checkin: CheckinIn, response: Response
) -> dict[str, Any]:
    c = checkin
    view = post_checkin(
        hub.unit_of_work(), hub.clock, hub.org, actor, c.answers, c.blockers, c.mood, c.day_mode
    )
    if not view.created:
        response.status_code = status.HTTP_200_OK
    return view.to_dict()


@checkins.get("/me/checkins", summary="Your own check-ins, newest first, with mood and day mode")
@threaded
def own_checkins(hub: HubDep, actor: ActorDep, days: Days = 28) -> dict[str, Any]:
    views = my_checkins(hub.read_unit_of_work(), hub.clock, actor, days)
    return {"person": actor.person_id, "checkins": [view.to_dict() for view in views]}


@checkins.get(
    "/teams/{team}/checkins",
    summary="A team's check-ins and open blockers; nobody's mood or day mode but your own",
)
@threaded
def team_checkins(
    hub: HubDep, actor: ActorDep, team: str = TeamPath, days: Days = 7
) -> dict[str, Any]:
    return team_feed(hub.read_unit_of_work(), hub.clock, actor, team, days).to_dict()


@checkins.get(
    "/teams/{team}/mood",
    summary="The team's mood: mean and distribution, withheld under the privacy threshold",
)
@threaded
def team_mood_summary(
    hub: HubDep, actor: ActorDep, team: str = TeamPath, days: Days = 7
) -> dict[str, Any]:
    return team_mood(hub.read_unit_of_work(), hub.clock, actor, team, hub.privacy, days).to_dict()

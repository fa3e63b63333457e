"""The API's reflection routes: each parses, calls one use case or query, returns plain data.

Which fields a response holds is decided in ``services/pulse_views.py`` and
``services/pulses.py``, not here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from asyncfirst.entrypoints.api.deps import ActorDep, HubDep, threaded
from asyncfirst.entrypoints.api.schemas import ERROR_RESPONSES, BandIn, PulseIn
from asyncfirst.services.pulse_views import pulse_results
from asyncfirst.services.pulses import answer_pulse, recalibrate_band

__all__ = ["pulses"]

pulses = APIRouter(prefix="/api/v1", tags=["reflection"], responses=ERROR_RESPONSES)

TeamPath = Path(description="A team id from the charter, e.g. design", max_length=64)
WeekQuery = Annotated[
    date | None,
    Query(description="The Monday of a pulse week; by default the latest one."),
]


@pulses.post(
    "/pulse",
    status_code=status.HTTP_201_CREATED,
    summary="Answer your team's pulse in a pulse week (201); again that week replaces it (200)",
)
@threaded
def new_pulse_answer(
    hub: HubDep, actor: ActorDep, answer: PulseIn, response: Response
) -> dict[str, Any]:
    receipt = answer_pulse(
        hub.unit_of_work(), hub.clock, hub.org, actor, answer.verdict, answer.suggestion
    )
    if receipt.replaced:
        response.status_code = status.HTTP_200_OK
    return receipt.to_dict()


@pulses.get(
    "/teams/{team}/pulse",
    summary="A pulse's results as counts and nameless suggestions (withheld under five people)",
)
@threaded
def team_pulse(
    hub: HubDep, actor: ActorDep, team: str = TeamPath, week: WeekQuery = None
) -> dict[str, Any]:
    results = pulse_results(
        hub.read_unit_of_work(), hub.clock, hub.org, actor, team, hub.privacy, week
    )
    return results.to_dict()


@pulses.post(
    "/teams/{team}/band",
    summary="Recalibrate the team's async band (its lead or an org admin), with a reason",
)
@threaded
def recalibrate(hub: HubDep, actor: ActorDep, band: BandIn, team: str = TeamPath) -> dict[str, Any]:
    change = recalibrate_band(
        hub.unit_of_work(), hub.clock, hub.org, actor, team, band.low, band.high, band.reason
    )
    return change.to_dict()

"""The Org time map: team × team overlap, golden hours in the reader's zone, what moved
them this week (holidays, clock changes), and the rotating all-hands with each zone's
burden (``services.time_map_view``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from asyncfirst.domain.zones import zone
from asyncfirst.entrypoints.web.render import render
from asyncfirst.entrypoints.web.session import HubDep, SignedInDep
from asyncfirst.entrypoints.web.view_caches import time_maps, warm_caches
from asyncfirst.services.time_map_view import parse_week

__all__ = ["router"]

router = APIRouter(lifespan=warm_caches)


@router.get("/time-map")
def time_map(request: Request, hub: HubDep, me: SignedInDep, week: str | None = None) -> Response:
    today = hub.clock.now().astimezone(zone(me.zone)).date()
    monday = parse_week(week, today)
    view = time_maps(request.app, hub).time_map(monday, me.zone)
    return render(request, "time_map.html", {"map": view, "hours": range(24)})

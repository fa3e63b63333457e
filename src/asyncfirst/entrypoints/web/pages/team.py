"""The Team page: balance against the band, trend, advice, check-ins, decisions, hand-offs
and the latest pulse (``services.team_view``). ``/team`` shows the reader's own team."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from asyncfirst.entrypoints.web.local_time import local_time
from asyncfirst.entrypoints.web.render import render
from asyncfirst.entrypoints.web.session import HubDep, SignedInDep
from asyncfirst.entrypoints.web.view_caches import balances, warm_caches
from asyncfirst.services.access import TeamRef, can
from asyncfirst.services.team_view import team_page

__all__ = ["router"]

router = APIRouter(lifespan=warm_caches)


@router.get("/team")
def my_team(me: SignedInDep) -> Response:
    return RedirectResponse(f"/team/{me.person.team}", status_code=303)


@router.get("/team/{team_id}")
def team(request: Request, team_id: str, hub: HubDep, me: SignedInDep) -> Response:
    page = team_page(hub, me.actor, team_id, balances(request.app, hub))
    teams = [t for t in hub.org.teams if can(me.actor, "team.read", TeamRef(t.id))]
    return render(
        request,
        "team.html",
        {
            "page": page,
            "teams": teams,
            "local": local_time(me.zone),
            "team_names": {t.id: t.name for t in hub.org.teams},
        },
    )

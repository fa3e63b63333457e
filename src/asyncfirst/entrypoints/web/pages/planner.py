"""The Planner: propose a meeting, see fair slots on every attendee's clock with the relay
and async alternatives (``services.planner_view``), and confirm one to schedule it
(``services.meetings.schedule_meeting``), after which it is on each attendee's My day.

Proposing is a read (a GET form, bookmarkable); scheduling is a POST with the CSRF token.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.zones import zone
from asyncfirst.entrypoints.web.local_time import local_time
from asyncfirst.entrypoints.web.render import render
from asyncfirst.entrypoints.web.session import CsrfDep, HubDep, SignedInDep
from asyncfirst.services.meetings import schedule_meeting, show_meeting
from asyncfirst.services.planner_view import (
    DURATIONS,
    KINDS,
    MeetingProposal,
    PlannerResult,
    attendee_choices,
    plan_meeting,
)

__all__ = ["router"]

router = APIRouter()


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f'start day "{text}" is not a date (YYYY-MM-DD)', field="start") from None


@router.get("/planner")
def planner(
    request: Request,
    hub: HubDep,
    me: SignedInDep,
    title: str = "",
    attendees: Annotated[list[str] | None, Query()] = None,
    duration: int = 30,
    kind: str = "workshop",
    why_sync: str = "",
    start: str | None = None,
    scheduled: int | None = None,
) -> Response:
    tomorrow = hub.clock.now().astimezone(zone(me.zone)).date() + timedelta(days=1)
    chosen = tuple(dict.fromkeys(attendees or ()))
    proposal = MeetingProposal(title, chosen, duration, kind, why_sync, _day(start, tomorrow))
    result: PlannerResult | None = None
    error = ""
    if "title" in request.query_params:
        try:
            result = plan_meeting(hub.org, proposal, hub.clock.now())
        except InputError as exc:
            error = exc.message
    confirmed = (
        show_meeting(hub.unit_of_work(), me.actor, scheduled) if scheduled is not None else None
    )
    context = {
        "proposal": proposal, "result": result, "error": error, "kinds": KINDS,
        "durations": DURATIONS, "choices": attendee_choices(hub.org), "confirmed": confirmed,
        "local": local_time(me.zone), "local_in": lambda at, tz: local_time(tz)(at),
    }  # fmt: skip
    return render(request, "planner.html", context, status_code=422 if error else 200)


@router.post("/planner/schedule")
def schedule(
    hub: HubDep,
    me: CsrfDep,
    title: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    why_sync: Annotated[str, Form()],
    starts_at: Annotated[str, Form()],
    duration: Annotated[int, Form()],
    attendees: Annotated[list[str], Form()],
) -> Response:
    try:
        start = datetime.fromisoformat(starts_at)
    except ValueError:
        raise InputError(f'"{starts_at}" is not a start time', field="starts_at") from None
    if start.tzinfo is None:
        raise InputError("the start time has no UTC offset", field="starts_at")
    if duration not in DURATIONS:
        raise InputError(f"duration must be one of {DURATIONS} minutes", field="duration")
    view = schedule_meeting(
        hub.unit_of_work(), hub.clock, hub.org, me.actor, team=me.person.team, title=title,
        kind=kind, why_sync=why_sync, starts_at=start,
        ends_at=start + timedelta(minutes=duration), attendees=attendees,
    )  # fmt: skip
    return RedirectResponse(f"/planner?scheduled={view.record.id}", status_code=303)

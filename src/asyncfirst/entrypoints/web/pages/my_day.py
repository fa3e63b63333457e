"""My day: today and tomorrow in my zone, what is due from me, today's check-in, and the
decisions waiting for me; posting the check-in and answering a decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from asyncfirst.domain.errors import InputError
from asyncfirst.entrypoints.web.render import render
from asyncfirst.entrypoints.web.session import CsrfDep, HubDep, SignedInDep
from asyncfirst.services.checkins import post_checkin
from asyncfirst.services.decisions import respond
from asyncfirst.services.my_day_page import check_day_of, checkin_fields, my_day
from asyncfirst.services.web_sessions import SignedIn

__all__ = ["router"]

router = APIRouter()

NOTICES = {
    "checkin": "Your check-in for today is saved.",
    "decision": "Your answer is recorded.",
}


def _page(
    request: Request, hub: HubDep, me: SignedIn, *, error: str = "", status: int = 200
) -> HTMLResponse:
    view = my_day(hub.read_unit_of_work, hub.clock, hub.org, me.actor)
    notice = NOTICES.get(request.query_params.get("saved", ""), "")
    return render(
        request, "my_day.html", {"day": view, "notice": notice, "error": error}, status_code=status
    )


@router.get("/day")
def my_day_page(request: Request, hub: HubDep, me: SignedInDep) -> HTMLResponse:
    return _page(request, hub, me)


@router.get("/day/{person}")
def someone_elses_day(request: Request, hub: HubDep, me: SignedInDep, person: str) -> Response:
    """My day is its person's alone (it shows their mood): 403 for anyone else, 404 if unknown."""
    check_day_of(hub.read_unit_of_work(), me.actor, person)
    return RedirectResponse("/day", status_code=303)


@router.post("/day/check-in")
async def post_my_checkin(request: Request, hub: HubDep, me: CsrfDep) -> Response:
    form = await request.form()
    answers = {}
    for field, question in checkin_fields(hub.org, me.actor).items():
        value = form.get(field)
        if isinstance(value, str):
            answers[question] = value
    blockers = form.get("blockers")
    mood_text = form.get("mood")
    mode = form.get("day_mode")
    try:
        mood = int(mood_text) if isinstance(mood_text, str) and mood_text.strip() else None
    except ValueError:
        mood = 0  # refused below with the service's own words
    try:
        post_checkin(
            hub.unit_of_work(), hub.clock, hub.org, me.actor, answers,
            blockers if isinstance(blockers, str) else "", mood,
            mode if isinstance(mode, str) and mode else None,
        )  # fmt: skip
    except InputError as error:
        return _page(request, hub, me, error=error.message, status=422)
    return RedirectResponse("/day?saved=checkin#check-in", status_code=303)


@router.post("/day/decisions/{decision_id}")
def answer_decision(
    request: Request,
    hub: HubDep,
    me: CsrfDep,
    decision_id: int,
    choice: Annotated[str, Form()] = "",
) -> Response:
    try:
        respond(hub.unit_of_work(), hub.clock, hub.org, me.actor, decision_id, choice)
    except InputError as error:
        return _page(request, hub, me, error=error.message, status=422)
    return RedirectResponse("/day?saved=decision#decisions", status_code=303)

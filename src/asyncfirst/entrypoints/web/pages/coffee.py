"""The Coffee page: opt in or out, pause for a few weeks, next week's pairing and its slot
on everyone's clock, past pairings (``services.coffee_view``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from asyncfirst.domain.errors import InputError
from asyncfirst.entrypoints.web.render import render
from asyncfirst.entrypoints.web.session import CsrfDep, HubDep, SignedInDep
from asyncfirst.services.coffee_view import coffee_page, set_coffee

__all__ = ["router"]

router = APIRouter()

_CHOICES = {"in": (True, 0), "out": (False, 0), "pause": (True, None)}


@router.get("/coffee")
def coffee(request: Request, hub: HubDep, me: SignedInDep, saved: str = "") -> Response:
    page = coffee_page(hub, me.actor)
    return render(request, "coffee.html", {"page": page, "saved": saved == "1"})


@router.post("/coffee")
def choose(
    hub: HubDep,
    me: CsrfDep,
    choice: Annotated[str, Form()],
    pause_weeks: Annotated[int, Form()] = 2,
) -> Response:
    if choice not in _CHOICES:
        raise InputError(f'choice "{choice}" is not one of: in, out, pause', field="choice")
    opted_in, weeks = _CHOICES[choice]
    set_coffee(
        hub.unit_of_work(), hub.clock, hub.org, me.actor, opted_in=opted_in,
        pause_weeks=pause_weeks if weeks is None else weeks,
    )  # fmt: skip
    return RedirectResponse("/coffee?saved=1", status_code=303)

"""What routes ask FastAPI for: the hub's context and the authenticated actor."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from asyncfirst.domain.access_errors import UnauthenticatedError
from asyncfirst.services.access import Actor
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import authenticate

__all__ = ["ActorDep", "HubDep", "current_actor", "hub"]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A personal API token: `Authorization: Bearer afk_…`",
)


def hub(request: Request) -> HubContext:
    return cast(HubContext, request.app.state.hub)


HubDep = Annotated[HubContext, Depends(hub)]


def current_actor(
    context: HubDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The person behind ``Authorization: Bearer <token>``; 401 in our shape otherwise."""
    if credentials is None:
        raise UnauthenticatedError(
            "send a personal API token in the header Authorization: Bearer afk_…"
        )
    return authenticate(context.unit_of_work(), context.clock, credentials.credentials)


ActorDep = Annotated[Actor, Depends(current_actor)]

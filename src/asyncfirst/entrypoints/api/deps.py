"""What routes ask FastAPI for: the hub's context and the authenticated actor."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from asyncfirst.domain.access_errors import UnauthenticatedError
from asyncfirst.entrypoints.api.ratelimit import TokenLimits
from asyncfirst.services.access import Actor
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import TOKEN_PREFIX_LENGTH, authenticate

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
    request: Request,
    context: HubDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The person behind ``Authorization: Bearer <token>``; 401 in our shape otherwise.

    Token use is rate-limited (``ratelimit.TokenLimits``): per token prefix, and bad tokens
    per client address; over a limit the answer is 429 with Retry-After.
    """
    if credentials is None:
        raise UnauthenticatedError(
            "send a personal API token in the header Authorization: Bearer afk_…"
        )
    token = credentials.credentials.strip()
    limits: TokenLimits | None = getattr(request.app.state, "token_limits", None)
    address = request.client.host if request.client else "unknown"
    if limits is not None:
        limits.before(address, token[:TOKEN_PREFIX_LENGTH])
    try:
        return authenticate(context.unit_of_work(), context.clock, token)
    except UnauthenticatedError:
        if limits is not None:
            limits.failed(address)
        raise


ActorDep = Annotated[Actor, Depends(current_actor)]

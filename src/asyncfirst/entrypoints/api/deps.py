"""What routes ask FastAPI for: the hub's context and the authenticated actor."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Annotated, ParamSpec, TypeVar, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from asyncfirst.domain.access_errors import UnauthenticatedError
from asyncfirst.entrypoints.api.ratelimit import TokenLimits
from asyncfirst.services.access import Actor
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import TOKEN_PREFIX_LENGTH, AuthCache, authenticate

__all__ = ["ActorDep", "HubDep", "auth_cache", "current_actor", "hub", "threaded"]

P = ParamSpec("P")
R = TypeVar("R")


def threaded(route: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """A blocking route, run on the thread pool by an async one of the same signature.

    FastAPI runs a plain ``def`` route on the thread pool and then, since its return
    value is checked against the response model (from ``-> dict[str, Any]``), goes back to
    the pool a second time for that check; an ``async`` route has it checked in place. So
    this wrapper saves one hop (a thread hand-over) per request; FastAPI reads the
    parameters and the response model through ``__wrapped__``.
    """

    @functools.wraps(route)
    async def in_thread(*args: P.args, **kwargs: P.kwargs) -> R:
        return await run_in_threadpool(route, *args, **kwargs)

    return in_thread


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A personal API token: `Authorization: Bearer afk_…`",
)


async def hub(request: Request) -> HubContext:
    # async: a plain function would cost a hop to the thread pool on every request
    return cast(HubContext, request.app.state.hub)


HubDep = Annotated[HubContext, Depends(hub)]


def auth_cache(request: Request) -> AuthCache | None:
    """The app's cache of checked tokens (``create_app`` makes one)."""
    return cast(AuthCache | None, getattr(request.app.state, "auth_cache", None))


async def current_actor(
    request: Request,
    context: HubDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The person behind ``Authorization: Bearer <token>``; 401 in our shape otherwise.

    Token use is rate-limited (``ratelimit.TokenLimits``): per token prefix, and bad tokens
    per client address; over a limit the answer is 429 with Retry-After. A token checked
    in the last few seconds is taken from the app's ``AuthCache`` (see
    ``tokens.AUTH_CACHE_SECONDS``); otherwise it is looked up in the database, on the
    thread pool.
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
    cache = auth_cache(request)
    actor = cache.actor(token) if cache is not None else None
    if actor is not None:
        return actor
    try:
        actor = await run_in_threadpool(authenticate, context.unit_of_work(), context.clock, token)
    except UnauthenticatedError:
        if limits is not None:
            limits.failed(address)
        raise
    if cache is not None:
        cache.remember(token, actor)
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]

"""The API's routes: each parses, calls one use case, and returns its plain data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request, Response, status

from asyncfirst import __version__
from asyncfirst.entrypoints.api.deps import ActorDep, HubDep, auth_cache, threaded
from asyncfirst.entrypoints.api.schemas import (
    ERROR_RESPONSES,
    IdPath,
    ReplyIn,
    RouteIn,
    ThreadIn,
    TokenIn,
)
from asyncfirst.services.access import require
from asyncfirst.services.paging import PAGE_DEFAULT, PAGE_MAX
from asyncfirst.services.routing import route_work
from asyncfirst.services.threads import (
    page_queue,
    page_threads,
    post_thread,
    reply,
    show_thread,
)
from asyncfirst.services.tokens import issue_token_as, profile, revoke_token

__all__ = ["api", "public"]

public = APIRouter(tags=["service"])
api = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

TeamPath = Path(description="A team id from the charter, e.g. coding", max_length=64)


@public.get("/health", summary="Whether the service is up")
async def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@api.get("/me", tags=["me"], summary="Who the token belongs to")
@threaded
def me(hub: HubDep, actor: ActorDep) -> dict[str, Any]:
    return profile(hub.read_unit_of_work(), actor)


LimitQuery = Query(
    PAGE_DEFAULT, ge=1, le=PAGE_MAX, description=f"Threads per page, 1 to {PAGE_MAX}."
)
CursorQuery = Query(
    None,
    min_length=1,
    max_length=40,
    description="The previous page's next_cursor; leave out for the first page.",
)


@api.get(
    "/me/queue",
    tags=["me"],
    summary="What you still have to answer, soonest due first, a page at a time",
    description=(
        "Threads waiting for your answer, by your respond-by (then thread id). At most "
        "`limit` items; `total` counts them all; `next_cursor` (null on the last page) asks "
        "for the next page."
    ),
)
@threaded
def queue(
    hub: HubDep, actor: ActorDep, limit: int = LimitQuery, cursor: str | None = CursorQuery
) -> dict[str, Any]:
    page = page_queue(hub.read_unit_of_work(), hub.clock, actor, limit, cursor)
    return {
        "person": actor.person_id,
        "items": [item.to_dict() for item in page.items],
        "total": page.total,
        "next_cursor": page.next_cursor,
    }


@api.get(
    "/teams/{team}/threads",
    tags=["threads"],
    summary="A team's threads, by due time, a page at a time",
    description=(
        "Waiting threads first, by their earliest open respond-by; then answered ones, "
        "newest first. At most `limit` threads; `next_cursor` (null on the last page) asks "
        "for the next page. A thread whose earliest respond-by changes between two pages "
        "(someone answered) may move past or back over the cursor."
    ),
)
@threaded
def team_threads(
    hub: HubDep,
    actor: ActorDep,
    team: str = TeamPath,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
) -> dict[str, Any]:
    page = page_threads(hub.read_unit_of_work(), actor, team, limit, cursor)
    return {
        "team": team,
        "threads": [view.to_dict() for view in page.threads],
        "next_cursor": page.next_cursor,
    }


@api.post(
    "/teams/{team}/threads",
    tags=["threads"],
    status_code=status.HTTP_201_CREATED,
    summary="Post an update or a question; each recipient gets a respond-by in their own time",
)
@threaded
def new_thread(
    hub: HubDep, actor: ActorDep, thread: ThreadIn, team: str = TeamPath
) -> dict[str, Any]:
    view = post_thread(
        hub.unit_of_work(), hub.clock, hub.org, actor, team, thread.kind, thread.title,
        thread.body, thread.recipients, thread.respond_within_hours,
    )  # fmt: skip
    return view.to_dict()


@api.get("/threads/{thread_id}", tags=["threads"], summary="A thread with its replies")
@threaded
def get_thread(hub: HubDep, actor: ActorDep, thread_id: IdPath) -> dict[str, Any]:
    return show_thread(hub.read_unit_of_work(), actor, thread_id).to_dict()


@api.post(
    "/threads/{thread_id}/replies",
    tags=["threads"],
    status_code=status.HTTP_201_CREATED,
    summary="Reply; a recipient's first reply marks them answered",
)
@threaded
def new_reply(hub: HubDep, actor: ActorDep, thread_id: IdPath, body: ReplyIn) -> dict[str, Any]:
    return reply(hub.unit_of_work(), hub.clock, actor, thread_id, body.body)


@api.post(
    "/route", tags=["router"], summary="Async, sync or hybrid for a piece of work, with reasons"
)
@threaded
def route(actor: ActorDep, work: RouteIn) -> dict[str, Any]:
    require(actor, "route.use")
    result = route_work(
        work.text, kind=work.kind, urgency=work.urgency, people=work.people,
        sensitive=work.sensitive, rounds=work.rounds, critical=work.critical,
    )  # fmt: skip
    return result.to_dict()


@api.post(
    "/tokens",
    tags=["tokens"],
    status_code=status.HTTP_201_CREATED,
    summary="Issue a personal API token (shown once)",
)
@threaded
def new_token(hub: HubDep, actor: ActorDep, request: TokenIn) -> dict[str, Any]:
    person = request.person or actor.person_id
    return issue_token_as(hub.unit_of_work(), hub.clock, actor, person).to_dict()


@api.delete(
    "/tokens/{prefix}",
    tags=["tokens"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a token by its prefix (afk_ and 8 more characters)",
)
def delete_token(hub: HubDep, actor: ActorDep, request: Request, prefix: str) -> Response:
    revoke_token(hub.unit_of_work(), hub.clock, actor, prefix)
    cache = auth_cache(request)
    if cache is not None:  # refused from now on in this process (others: within its TTL)
        cache.forget_prefix(prefix)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

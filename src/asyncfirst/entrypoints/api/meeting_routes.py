"""The API's meeting and calendar-feed routes: each parses, calls one use case, returns plain data.

Who may do what is decided in ``services/access.py``; what a meeting shows in
``services/meetings.py``; the feed's iCalendar in ``adapters/ics_feed.py`` (through
``bootstrap_api``). ``GET /feeds/<secret>.ics`` takes no header: calendar apps cannot send
one, so the secret in the path is the credential; it is left out of the OpenAPI document.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from asyncfirst import bootstrap_api
from asyncfirst.domain.access_errors import NotFoundError
from asyncfirst.domain.meetings import MEETING_KINDS
from asyncfirst.entrypoints.api.deps import ActorDep, HubDep, threaded
from asyncfirst.entrypoints.api.errors import error_response
from asyncfirst.entrypoints.api.schemas import ERROR_RESPONSES, IdPath
from asyncfirst.services.feeds import issue_feed, read_feed, revoke_feed
from asyncfirst.services.meetings import (
    cancel_meeting,
    confirm_decision_meeting,
    meetings_for,
    schedule_meeting,
    show_meeting,
)

__all__ = ["feeds", "meetings"]

meetings = APIRouter(prefix="/api/v1", tags=["meetings"], responses=ERROR_RESPONSES)
feeds = APIRouter(tags=["feeds"])

DEFAULT_RANGE = timedelta(days=28)


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    team: str = Field(max_length=64, description="The team the meeting belongs to, e.g. design.")
    title: str = Field(min_length=1, max_length=200)
    kind: Literal[
        "alignment", "workshop", "kickoff", "troubleshooting", "pairing", "coffee", "decision"
    ] = Field(description="One of: " + ", ".join(MEETING_KINDS))
    why_sync: str = Field(
        min_length=1, max_length=5_000, description="Why this needs a meeting, not a thread."
    )
    starts_at: datetime = Field(description="With an offset, e.g. 2026-12-01T08:00:00Z.")
    ends_at: datetime = Field(description="With an offset; after starts_at, at most 8 hours.")
    attendees: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="Person or team ids; the organiser (you) always attends.",
    )


FromQuery = Annotated[
    datetime | None,
    Query(alias="from", description="Start of the range, with an offset (default: now)."),
]
ToQuery = Annotated[
    datetime | None,
    Query(alias="to", description="End of the range, with an offset (default: 28 days later)."),
]
PersonQuery = Annotated[
    str | None,
    Query(max_length=64, description="Whose meetings (default: yours); their lead or an admin."),
]


@meetings.post(
    "/meetings",
    status_code=status.HTTP_201_CREATED,
    summary="Schedule a meeting of a team; every attendee's zone and local times come back",
)
@threaded
def new_meeting(hub: HubDep, actor: ActorDep, meeting: MeetingIn) -> dict[str, Any]:
    m = meeting
    view = schedule_meeting(
        hub.unit_of_work(), hub.clock, hub.org, actor, team=m.team, title=m.title, kind=m.kind,
        why_sync=m.why_sync, starts_at=m.starts_at, ends_at=m.ends_at, attendees=m.attendees,
    )  # fmt: skip
    return view.to_dict()


@meetings.get("/meetings", summary="Your meetings (or a person's) in a range, by start time")
@threaded
def list_meetings(
    hub: HubDep,
    actor: ActorDep,
    start: FromQuery = None,
    end: ToQuery = None,
    person: PersonQuery = None,
) -> dict[str, Any]:
    first = start or hub.clock.now()
    last = end or first + DEFAULT_RANGE
    who = person or actor.person_id
    views = meetings_for(hub.read_unit_of_work(), actor, who, first, last)
    return {
        "person": who,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "meetings": [view.to_dict() for view in views],
    }


@meetings.get("/meetings/{meeting_id}", summary="A meeting with its attendees and local times")
@threaded
def get_meeting(hub: HubDep, actor: ActorDep, meeting_id: IdPath) -> dict[str, Any]:
    return show_meeting(hub.read_unit_of_work(), actor, meeting_id).to_dict()


@meetings.delete(
    "/meetings/{meeting_id}",
    summary="Cancel a meeting (its organiser, its team's lead, an org admin); feeds show it cancelled",
)
@threaded
def delete_meeting(hub: HubDep, actor: ActorDep, meeting_id: IdPath) -> dict[str, Any]:
    return cancel_meeting(hub.unit_of_work(), hub.clock, actor, meeting_id).to_dict()


@meetings.post(
    "/decisions/{decision_id}/meeting",
    status_code=status.HTTP_201_CREATED,
    summary="A decider confirms an escalated decision's proposed meeting (again: the same, 200)",
)
@threaded
def confirm_meeting(
    hub: HubDep, actor: ActorDep, decision_id: IdPath, response: Response
) -> dict[str, Any]:
    confirmed = confirm_decision_meeting(hub.unit_of_work(), hub.clock, hub.org, actor, decision_id)
    if not confirmed.created:
        response.status_code = status.HTTP_200_OK
    return confirmed.view.to_dict()


@meetings.post(
    "/me/feed",
    tags=["me"],
    status_code=status.HTTP_201_CREATED,
    summary="A new secret calendar-feed URL (shown once); your older feed URLs stop working",
)
@threaded
def new_feed(hub: HubDep, actor: ActorDep, request: Request) -> dict[str, Any]:
    issued = issue_feed(hub.unit_of_work(), hub.clock, actor)
    return issued.to_dict(str(request.base_url))


@meetings.delete(
    "/me/feed",
    tags=["me"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Stop your calendar feed: every feed URL of yours answers 404 from now on",
)
def delete_feed(hub: HubDep, actor: ActorDep) -> Response:
    revoke_feed(hub.unit_of_work(), hub.clock, actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _not_modified(request: Request, etag: str, modified: datetime) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return when.tzinfo is not None and modified <= when


@feeds.get("/feeds/{secret}.ics", include_in_schema=False)
def calendar_feed(hub: HubDep, request: Request, secret: str) -> Response:
    try:
        feed = read_feed(hub.read_unit_of_work(), hub.clock, hub.org, secret)
    except NotFoundError:  # answered here, in JSON, whatever error pages the web app installs
        return error_response(status.HTTP_404_NOT_FOUND, "not_found", "not found")
    body = bootstrap_api.feed_ics_writer()(feed)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    modified = feed.last_modified.astimezone(UTC).replace(microsecond=0)
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": "private, max-age=300",
    }
    if _not_modified(request, etag, modified):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    headers["Content-Disposition"] = 'inline; filename="asyncfirst.ics"'
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

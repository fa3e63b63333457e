"""The API's decision routes: each parses, calls one use case, and returns its plain data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, status

from asyncfirst.entrypoints.api.deps import ActorDep, HubDep, threaded
from asyncfirst.entrypoints.api.schemas import (
    ERROR_RESPONSES,
    DecisionIn,
    DecisionResponseIn,
    IdPath,
)
from asyncfirst.services.decisions import (
    open_decision,
    page_decisions,
    respond,
    show_decision,
    withdraw,
)
from asyncfirst.services.paging import PAGE_DEFAULT, PAGE_MAX

__all__ = ["decisions"]

decisions = APIRouter(prefix="/api/v1", tags=["decisions"], responses=ERROR_RESPONSES)

TeamPath = Path(description="A team id from the charter, e.g. design", max_length=64)


@decisions.post(
    "/teams/{team}/decisions",
    status_code=status.HTTP_201_CREATED,
    summary="Open a decision; each decider gets a decide-by in their own working time",
)
@threaded
def new_decision(
    hub: HubDep, actor: ActorDep, decision: DecisionIn, team: str = TeamPath
) -> dict[str, Any]:
    d = decision
    view = open_decision(
        hub.unit_of_work(), hub.clock, hub.org, actor, team, title=d.title, body=d.body,
        mode=d.mode, deciders=d.deciders, options=d.options, quorum=d.quorum,
        decide_within_hours=d.decide_within_hours, decide_within_days=d.decide_within_days,
        urgent=d.urgent, critical=d.critical, max_rounds=d.max_rounds, thread_id=d.thread_id,
    )  # fmt: skip
    return view.to_dict()


LimitQuery = Query(
    PAGE_DEFAULT, ge=1, le=PAGE_MAX, description=f"Decisions per page, 1 to {PAGE_MAX}."
)
CursorQuery = Query(
    None,
    min_length=1,
    max_length=40,
    description="The previous page's next_cursor; leave out for the first page.",
)


@decisions.get(
    "/teams/{team}/decisions",
    summary="A team's decisions, open ones first, a page at a time",
    description=(
        "Open decisions first, by decide-by; then the others, newest first. At most `limit` "
        "decisions; `next_cursor` (null on the last page) asks for the next page. A decision "
        "closed between two pages may move past or back over the cursor."
    ),
)
@threaded
def team_decisions(
    hub: HubDep,
    actor: ActorDep,
    team: str = TeamPath,
    limit: int = LimitQuery,
    cursor: str | None = CursorQuery,
) -> dict[str, Any]:
    views, next_cursor = page_decisions(hub.read_unit_of_work(), actor, team, limit, cursor)
    return {
        "team": team,
        "decisions": [view.to_dict() for view in views],
        "next_cursor": next_cursor,
    }


@decisions.get("/decisions/{decision_id}", summary="A decision with its deciders and responses")
@threaded
def get_decision(hub: HubDep, actor: ActorDep, decision_id: IdPath) -> dict[str, Any]:
    return show_decision(hub.read_unit_of_work(), actor, decision_id).to_dict()


@decisions.post(
    "/decisions/{decision_id}/responses",
    status_code=status.HTTP_201_CREATED,
    summary="A decider's vote, consent or objection; may decide or escalate the decision",
)
@threaded
def new_response(
    hub: HubDep, actor: ActorDep, decision_id: IdPath, response: DecisionResponseIn
) -> dict[str, Any]:
    view = respond(hub.unit_of_work(), hub.clock, hub.org, actor, decision_id, response.choice)
    return view.to_dict()


@decisions.post("/decisions/{decision_id}/withdraw", summary="Withdraw an open decision")
@threaded
def withdraw_decision(hub: HubDep, actor: ActorDep, decision_id: IdPath) -> dict[str, Any]:
    return withdraw(hub.unit_of_work(), hub.clock, actor, decision_id).to_dict()

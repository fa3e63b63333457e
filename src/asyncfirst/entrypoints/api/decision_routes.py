"""The API's decision routes: each parses, calls one use case, and returns its plain data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, status

from asyncfirst.entrypoints.api.deps import ActorDep, HubDep, threaded
from asyncfirst.entrypoints.api.schemas import (
    ERROR_RESPONSES,
    DecisionIn,
    DecisionResponseIn,
    IdPath,
)
from asyncfirst.services.decisions import (
    list_decisions,
    open_decision,
    respond,
    show_decision,
    withdraw,
)

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


@decisions.get("/teams/{team}/decisions", summary="A team's decisions, open ones first")
@threaded
def team_decisions(hub: HubDep, actor: ActorDep, team: str = TeamPath) -> dict[str, Any]:
    views = list_decisions(hub.read_unit_of_work(), actor, team)
    return {"team": team, "decisions": [view.to_dict() for view in views]}


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

"""The API's webhook routes: a team's outgoing webhooks and their delivery log.

Who may is ``webhook.manage``/``webhook.edit`` in ``services/access.py`` (a team's lead or
an org admin); what a response holds is ``services/webhooks.py``. Delivery itself runs in
the background job (``services/notifications.deliver_due``), never in a request.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from asyncfirst.entrypoints.api.deps import ActorDep, HubDep, threaded
from asyncfirst.entrypoints.api.schemas import ERROR_RESPONSES
from asyncfirst.services.webhooks import (
    LOG_MAX,
    add_webhook,
    list_webhooks,
    remove_webhook,
    webhook_deliveries,
)

__all__ = ["WebhookIn", "webhooks"]

webhooks = APIRouter(prefix="/api/v1", tags=["webhooks"], responses=ERROR_RESPONSES)

WebhookPath = Path(description="The webhook's id", ge=1, le=2**31 - 1)


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    team: str = Field(max_length=64, description="A team id from the charter, e.g. coding")
    format: Literal["slack", "mattermost", "matrix", "json"] = Field(
        description="slack/mattermost: an incoming-webhook URL; matrix: the homeserver's base "
        "URL with a room id and access token; json: any URL, requests signed with HMAC-SHA256."
    )
    url: str = Field(max_length=2000)
    matrix_room_id: str | None = Field(default=None, max_length=255, examples=["!abc:example.org"])
    matrix_access_token: str | None = Field(default=None, max_length=1000)


@webhooks.post(
    "/webhooks",
    status_code=status.HTTP_201_CREATED,
    summary="Add a team's webhook (its lead or an org admin); a JSON one's secret is shown once",
)
@threaded
def new_webhook(hub: HubDep, actor: ActorDep, webhook: WebhookIn) -> dict[str, Any]:
    view = add_webhook(
        hub.unit_of_work(), hub.clock, actor, webhook.team, webhook.format, webhook.url,
        matrix_room_id=webhook.matrix_room_id, matrix_access_token=webhook.matrix_access_token,
    )  # fmt: skip
    return view.to_dict()


@webhooks.get("/webhooks", summary="The active webhooks you may manage (of one team, or all)")
@threaded
def all_webhooks(
    hub: HubDep,
    actor: ActorDep,
    team: Annotated[str | None, Query(max_length=64, description="Only this team's")] = None,
) -> dict[str, Any]:
    found = list_webhooks(hub.read_unit_of_work(), actor, team)
    return {"webhooks": [view.to_dict() for view in found]}


@webhooks.delete(
    "/webhooks/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a webhook: nothing more is sent to it; its delivery log stays",
)
def delete_webhook(hub: HubDep, actor: ActorDep, webhook_id: int = WebhookPath) -> Response:
    remove_webhook(hub.unit_of_work(), hub.clock, actor, webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@webhooks.get(
    "/webhooks/{webhook_id}/deliveries",
    summary="A webhook's delivery log, newest first: status, attempts, last answer and error",
)
@threaded
def deliveries(
    hub: HubDep,
    actor: ActorDep,
    webhook_id: int = WebhookPath,
    limit: Annotated[int, Query(ge=1, le=LOG_MAX)] = 50,
) -> dict[str, Any]:
    return webhook_deliveries(hub.read_unit_of_work(), actor, webhook_id, limit)

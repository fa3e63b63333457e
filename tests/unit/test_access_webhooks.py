"""The webhook rows of the one authorisation table: a team's lead or an org admin."""

from __future__ import annotations

import pytest

from asyncfirst.domain.access_errors import ForbiddenError, NotFoundError
from asyncfirst.services.access import Actor, Role, TeamRef, WebhookRef, can, require

LEAD = Actor("kenji", frozenset({Role("team_lead", "coding"), Role("member", "coding")}))
MEMBER = Actor("yuki", frozenset({Role("member", "coding")}))
OTHER_LEAD = Actor("maria", frozenset({Role("team_lead", "qa"), Role("member", "qa")}))
ADMIN = Actor("amelie", frozenset({Role("org_admin"), Role("member", "design")}))


@pytest.mark.parametrize(
    ("actor", "allowed"), [(LEAD, True), (ADMIN, True), (MEMBER, False), (OTHER_LEAD, False)]
)
def test_who_manages_the_coding_teams_webhooks(actor: Actor, allowed: bool) -> None:
    assert can(actor, "webhook.manage", TeamRef("coding")) is allowed
    assert can(actor, "webhook.edit", WebhookRef(3, "coding")) is allowed


def test_a_refused_team_is_403_and_a_refused_webhook_looks_missing() -> None:
    with pytest.raises(ForbiddenError, match='yuki may not webhook manage for team "coding"'):
        require(MEMBER, "webhook.manage", TeamRef("coding"))
    with pytest.raises(NotFoundError, match=r"^webhook 3 not found$"):
        require(OTHER_LEAD, "webhook.edit", WebhookRef(3, "coding"))


def test_the_rules_take_only_their_own_resource() -> None:
    assert not can(ADMIN, "webhook.manage", WebhookRef(3, "coding"))
    assert not can(ADMIN, "webhook.edit", TeamRef("coding"))

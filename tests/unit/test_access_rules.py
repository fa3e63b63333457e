"""The authorisation rules, one decision per row, without a database."""

from __future__ import annotations

import pytest

from asyncfirst.domain.access_errors import ForbiddenError, NotFoundError
from asyncfirst.services.access import (
    Action,
    Actor,
    HandoffRef,
    PersonRef,
    Role,
    TeamRef,
    ThreadRef,
    can,
    require,
)

MEMBER_QA = Actor("james", frozenset({Role("member", "qa")}))
MEMBER_DESIGN = Actor("chloe", frozenset({Role("member", "design")}))
LEAD_DESIGN = Actor("maria", frozenset({Role("member", "qa"), Role("team_lead", "design")}))
ADMIN = Actor("kenji", frozenset({Role("member", "coding"), Role("org_admin")}))
DESIGN_THREAD = ThreadRef(1, "design", author="chloe", recipients=frozenset({"bastien"}))
DESIGN_TO_CODING = HandoffRef(3, "design", "coding")
ASKS_JAMES = ThreadRef(2, "design", author="chloe", recipients=frozenset({"james"}))

MATRIX: list[tuple[Actor, Action, object, bool]] = [
    (MEMBER_QA, "team.read", TeamRef("qa"), True),
    (MEMBER_QA, "team.read", TeamRef("design"), False),
    (MEMBER_DESIGN, "team.read", TeamRef("design"), True),
    (LEAD_DESIGN, "team.read", TeamRef("design"), True),
    (LEAD_DESIGN, "team.read", TeamRef("coding"), False),
    (ADMIN, "team.read", TeamRef("design"), True),
    (MEMBER_QA, "team.post", TeamRef("design"), True),
    (MEMBER_QA, "thread.read", DESIGN_THREAD, False),
    (MEMBER_QA, "thread.read", ASKS_JAMES, True),  # a recipient from another team
    (MEMBER_QA, "thread.reply", ASKS_JAMES, True),
    (MEMBER_DESIGN, "thread.reply", DESIGN_THREAD, True),
    (LEAD_DESIGN, "thread.read", DESIGN_THREAD, True),
    (ADMIN, "thread.reply", DESIGN_THREAD, True),
    (MEMBER_QA, "token.issue", PersonRef("james", "qa"), True),
    (MEMBER_QA, "token.issue", PersonRef("maria", "qa"), False),
    (LEAD_DESIGN, "token.issue", PersonRef("chloe", "design"), False),  # her mood is hers
    (LEAD_DESIGN, "token.issue", PersonRef("james", "qa"), False),
    (ADMIN, "token.issue", PersonRef("chloe", "design"), False),
    (ADMIN, "token.issue", PersonRef(ADMIN.person_id, "qa"), True),
    (MEMBER_QA, "me.read", None, True),
    (MEMBER_QA, "route.use", None, True),
    (MEMBER_DESIGN, "handoff.post", TeamRef("design"), True),
    (MEMBER_QA, "handoff.post", TeamRef("design"), False),
    (MEMBER_QA, "handoff.read", DESIGN_TO_CODING, False),
    (MEMBER_DESIGN, "handoff.read", DESIGN_TO_CODING, True),
    (ADMIN, "handoff.ack", DESIGN_TO_CODING, True),  # a coding member
    (MEMBER_DESIGN, "handoff.ack", DESIGN_TO_CODING, False),  # the sender's team
    (LEAD_DESIGN, "handoff.list", TeamRef("design"), True),
    (MEMBER_DESIGN, "pulse.answer", TeamRef("design"), True),
    (LEAD_DESIGN, "pulse.answer", TeamRef("design"), False),  # leads it, not a member
    (MEMBER_QA, "pulse.results", TeamRef("design"), False),
    (LEAD_DESIGN, "pulse.results", TeamRef("design"), True),
    (MEMBER_DESIGN, "band.recalibrate", TeamRef("design"), False),
    (LEAD_DESIGN, "band.recalibrate", TeamRef("design"), True),
    (LEAD_DESIGN, "band.recalibrate", TeamRef("qa"), False),
    (ADMIN, "band.recalibrate", TeamRef("qa"), True),
]


@pytest.mark.parametrize(("actor", "action", "resource", "allowed"), MATRIX)
def test_the_matrix(actor: Actor, action: Action, resource: object, allowed: bool) -> None:
    assert can(actor, action, resource) is allowed  # type: ignore[arg-type]


def test_a_resource_of_the_wrong_kind_is_refused() -> None:
    assert not can(ADMIN, "thread.read", TeamRef("design"))
    assert not can(MEMBER_DESIGN, "thread.read", TeamRef("design"))
    assert not can(MEMBER_DESIGN, "team.read", None)


def test_refused_reads_are_not_found_and_refused_actions_forbidden() -> None:
    with pytest.raises(NotFoundError, match=r'^team "design" not found$'):
        require(MEMBER_QA, "team.read", TeamRef("design"))
    with pytest.raises(NotFoundError, match=r"^thread 1 not found$"):
        require(MEMBER_QA, "thread.reply", DESIGN_THREAD)
    with pytest.raises(ForbiddenError, match='james may not token issue for person "maria"'):
        require(MEMBER_QA, "token.issue", PersonRef("maria", "qa"))
    require(ADMIN, "thread.reply", DESIGN_THREAD)  # allowed: returns quietly

"""The meeting and calendar-feed rows of the authorisation table, without a database."""

from __future__ import annotations

import pytest

from asyncfirst.domain.access_errors import ForbiddenError, NotFoundError
from asyncfirst.services.access import (
    Action,
    Actor,
    DecisionRef,
    MeetingRef,
    PersonRef,
    Role,
    TeamRef,
    can,
    require,
)

MEMBER_QA = Actor("james", frozenset({Role("member", "qa")}))
MEMBER_DESIGN = Actor("chloe", frozenset({Role("member", "design")}))
LEAD_DESIGN = Actor("maria", frozenset({Role("member", "qa"), Role("team_lead", "design")}))
ADMIN = Actor("kenji", frozenset({Role("member", "coding"), Role("org_admin")}))
DESIGN_MEETING = MeetingRef(1, "design", organiser="amelie", attendees=frozenset({"james"}))
ESCALATED = DecisionRef(4, "design", "amelie", deciders=frozenset({"chloe"}))

MATRIX: list[tuple[Actor, Action, object, bool]] = [
    (MEMBER_DESIGN, "meeting.schedule", TeamRef("design"), True),
    (MEMBER_QA, "meeting.schedule", TeamRef("design"), False),
    (LEAD_DESIGN, "meeting.schedule", TeamRef("design"), True),
    (ADMIN, "meeting.schedule", TeamRef("qa"), True),
    (MEMBER_QA, "meeting.read", DESIGN_MEETING, True),  # an attendee from another team
    (MEMBER_DESIGN, "meeting.read", DESIGN_MEETING, True),  # reads the team
    (Actor("ava", frozenset({Role("member", "qa")})), "meeting.read", DESIGN_MEETING, False),
    (MEMBER_QA, "meeting.cancel", DESIGN_MEETING, False),  # attends, did not organise
    (MEMBER_DESIGN, "meeting.cancel", DESIGN_MEETING, False),
    (Actor("amelie"), "meeting.cancel", DESIGN_MEETING, True),  # the organiser
    (LEAD_DESIGN, "meeting.cancel", DESIGN_MEETING, True),
    (ADMIN, "meeting.cancel", DESIGN_MEETING, True),
    (MEMBER_QA, "meeting.list", PersonRef("james", "qa"), True),
    (MEMBER_QA, "meeting.list", PersonRef("chloe", "design"), False),
    (LEAD_DESIGN, "meeting.list", PersonRef("chloe", "design"), True),
    (MEMBER_DESIGN, "decision.meeting", ESCALATED, True),
    (LEAD_DESIGN, "decision.meeting", ESCALATED, False),  # leads, does not decide
    (MEMBER_QA, "feed.issue", PersonRef("james", "qa"), True),
    (ADMIN, "feed.issue", PersonRef("james", "qa"), False),  # a feed is one's own only
]


@pytest.mark.parametrize(("actor", "action", "resource", "allowed"), MATRIX)
def test_the_meeting_rows(actor: Actor, action: Action, resource: object, allowed: bool) -> None:
    assert can(actor, action, resource) is allowed  # type: ignore[arg-type]


def test_hidden_meetings_are_not_found_and_cancelling_a_visible_one_is_forbidden() -> None:
    outsider = Actor("ava", frozenset({Role("member", "qa")}))
    with pytest.raises(NotFoundError, match=r"^meeting 1 not found$"):
        require(outsider, "meeting.read", DESIGN_MEETING)
    with pytest.raises(NotFoundError, match=r'^team "design" not found$'):
        require(MEMBER_QA, "meeting.schedule", TeamRef("design"))
    with pytest.raises(ForbiddenError, match="james may not meeting cancel for meeting 1"):
        require(MEMBER_QA, "meeting.cancel", DESIGN_MEETING)

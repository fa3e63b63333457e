"""The first start of ``serve``: the demo charter, its roles and threads, and the admin's token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from asyncfirst import bootstrap_api, bootstrap_db
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import working_minutes_between
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.checkin_views import my_checkins, team_feed
from asyncfirst.services.decision_views import DecisionView
from asyncfirst.services.decisions import list_decisions
from asyncfirst.services.handoff_views import outbox
from asyncfirst.services.hub_demo import (
    DEMO_CHECKINS,
    DEMO_DECIDE_WITHIN_HOURS,
    DEMO_THREADS,
    applied_source,
    seed_demo,
)
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.meetings import meetings_for
from asyncfirst.services.threads import list_threads, my_queue
from asyncfirst.services.tokens import authenticate
from tests.integration.api.conftest import SettableClock


@pytest.fixture
def empty_hub(
    database_url: str, demo_org: Organisation, clock: SettableClock
) -> Iterator[HubContext]:
    bootstrap_db.upgrade_database(database_url)
    context = bootstrap_api.hub_context(demo_org, database_url, clock)
    try:
        yield context
    finally:
        context.close()


def test_seed_fills_an_empty_database(
    empty_hub: HubContext, database_url: str, demo_org: Organisation
) -> None:
    assert applied_source(bootstrap_db.charter_unit_of_work(database_url)) is None
    issued = seed_demo(bootstrap_db.charter_unit_of_work(database_url), empty_hub, demo_org)
    assert applied_source(bootstrap_db.charter_unit_of_work(database_url)) == "demo"

    admin = authenticate(empty_hub.unit_of_work(), empty_hub.clock, issued.token)
    assert admin.person_id == issued.person == "amelie"
    assert admin.is_admin and admin.leads("design") and admin.belongs_to("design")
    seen = {
        team: [v.thread.title for v in list_threads(empty_hub.unit_of_work(), admin, team)]
        for team in ("design", "coding", "qa")
    }
    assert sum(map(len, seen.values())) == len(DEMO_THREADS)
    assert {t for _h, _a, team, _k, title, _b in DEMO_THREADS for t in [title]} == {
        title for titles in seen.values() for title in titles
    }
    queue = my_queue(empty_hub.unit_of_work(), empty_hub.clock, admin)
    assert [item.row.title for item in queue] == ["Empty state for the onboarding list"]


def test_seed_shows_checkins_decisions_a_handoff_and_meetings(
    empty_hub: HubContext, database_url: str, demo_org: Organisation
) -> None:
    """Friday 18:00 Paris: an open decision a few working hours from escalation, a decided
    and an escalated one (its meeting confirmed), private moods, a hand-off in flight, and
    the coding team's alignment, all visible through the same use cases the API calls."""
    issued = seed_demo(bootstrap_db.charter_unit_of_work(database_url), empty_hub, demo_org)
    hub, now = empty_hub, empty_hub.clock.now()
    admin = authenticate(hub.unit_of_work(), hub.clock, issued.token)

    feeds = {
        team: team_feed(hub.unit_of_work(), hub.clock, admin, team).to_dict()
        for team in ("design", "coding", "qa")
    }
    authors = {row["person"]["id"] for feed in feeds.values() for row in feed["checkins"]}
    assert authors == {person for person, *_rest in DEMO_CHECKINS}
    assert '"mood"' not in json.dumps(feeds)  # moods stay with their authors
    haruto = Actor("haruto", frozenset({Role("member", "coding")}))
    own = my_checkins(hub.unit_of_work(), hub.clock, haruto)
    assert [(c.own.mood, c.own.day_mode) for c in own] == [(2, "low-energy")]

    by_state: dict[str, list[DecisionView]] = {}
    for team in ("design", "coding", "qa"):
        for view in list_decisions(hub.unit_of_work(), admin, team):
            by_state.setdefault(view.decision.state, []).append(view)
    assert sorted(by_state) == ["decided", "escalated", "open"]
    (pending,) = by_state["open"]
    assert now < pending.decision.decide_by <= now + timedelta(days=4)
    assert all(
        0
        < working_minutes_between(demo_org.person(d.person).schedule, now, d.decide_by)
        <= DEMO_DECIDE_WITHIN_HOURS * 60
        for d in pending.decision.deciders
    )
    assert by_state["decided"][0].decision.decided_option == "yes"
    (escalated,) = by_state["escalated"]

    (handoff,) = outbox(hub.unit_of_work(), admin, "qa").handoffs
    assert handoff.record.to_team != "qa" and handoff.record.acknowledged_at is None

    kenji = Actor("kenji", frozenset({Role("member", "coding")}))
    meetings = meetings_for(hub.unit_of_work(), kenji, "kenji", now, now + timedelta(days=14))
    (alignment,) = meetings
    assert alignment.record.kind == "alignment" and alignment.record.starts_at > now
    assert {a.person for a in alignment.record.attendees} == {
        p.id for p in demo_org.members("coding")
    }
    maria = Actor("maria", frozenset({Role("member", "qa")}))
    (confirmed,) = meetings_for(hub.unit_of_work(), maria, "maria", now, now + timedelta(days=14))
    assert confirmed.record.decision_id == escalated.decision.id
    assert confirmed.record.starts_at == escalated.decision.meeting_start

"""``open_for_decider`` (My day) reads the open decisions of one decider and only that
decider's responses in each one's current round, not everyone's of every round."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.domain.model import Organisation
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.decision_ports import DeciderDue, DecisionChange, NewDecision
from asyncfirst.services.hub_ports import HubContext

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def hub(database_url: str, demo_org: Organisation) -> Iterator[HubContext]:
    bootstrap_db.upgrade_database(database_url)
    apply_charter(demo_org, "demo", uow=bootstrap_db.charter_unit_of_work(database_url),
                  clock=bootstrap.clock(), changed_by="tests")  # fmt: skip
    context = bootstrap_api.hub_context(demo_org, database_url)
    try:
        yield context
    finally:
        context.close()


def _decision(title: str) -> NewDecision:
    return NewDecision(
        team="coding", author="kenji", title=title, body="b", thread_id=None, mode="vote",
        options=("a", "b"), quorum=2, decide_by=AT + timedelta(days=3), urgent=False,
        critical=False, max_rounds=3, created_at=AT,
    )  # fmt: skip


def test_only_the_deciders_own_responses_of_the_current_round(hub: HubContext) -> None:
    deciders = [DeciderDue(p, AT + timedelta(days=2), "Asia/Tokyo") for p in ("ren", "yuki")]
    with hub.unit_of_work() as uow:
        voted = uow.decisions.add_decision(_decision("voted"), deciders)
        later = uow.decisions.add_decision(_decision("second round"), deciders)
        closed = uow.decisions.add_decision(_decision("closed"), deciders)
        others = uow.decisions.add_decision(_decision("not ren's"), deciders[1:])
        for decision, person, choice, round_ in [
            (voted, "ren", "a", 1), (voted, "yuki", "b", 1), (voted, "ren", "b", 1),
            (later, "ren", "a", 1), (later, "yuki", "a", 1), (later, "yuki", "b", 2),
            (closed, "ren", "a", 1), (others, "yuki", "a", 1),
        ]:  # fmt: skip
            uow.decisions.add_response(decision, person, choice, round_, AT)
        uow.decisions.change(later, DecisionChange("open", 2))
        uow.decisions.change(closed, DecisionChange("decided", 1, decided_option="a"))
        uow.commit()
    with hub.read_unit_of_work() as uow:
        found = uow.decisions.open_for_decider("ren")
        full = uow.decisions.decision(voted)
    assert [r.title for r in found] == ["voted", "second round"]
    assert [(r.person, r.choice, r.round) for r in found[0].responses] == [
        ("ren", "a", 1), ("ren", "b", 1)
    ]  # fmt: skip
    assert found[1].responses == ()  # ren answered round 1 only; it is round 2 now
    assert [d.person for d in found[0].deciders] == ["ren", "yuki"]
    assert full is not None and len(full.responses) == 3  # other reads still see every one
    assert replace(found[0], responses=full.responses) == full

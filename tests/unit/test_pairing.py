"""Coffee pairing: the matching is the exact optimum, and each rule decides where it should."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Person
from asyncfirst.scheduling.pairing import (
    APPETITE_WEIGHT,
    CROSS_TEAM_BONUS,
    FRESH_PAIR_BONUS,
    ISOLATION_BONUS,
    Pairing,
    pair_people,
    pair_weight,
)
from asyncfirst.scheduling.shared_time import (
    pair_key,
    shared_minutes,
    shared_windows,
    stretched_working_time,
)

OFFICE = WorkingHours.office("09:00", "17:00")
ALWAYS = 600.0  # minutes of shared time: plenty


def person(pid: str, team: str = "t", appetite: float = 0.5, **kw: object) -> Person:
    return Person(
        id=pid,
        name=pid.upper(),
        team_id=team,
        zone=str(kw.pop("zone", "Europe/Paris")),
        hours=kw.pop("hours", OFFICE),  # type: ignore[arg-type]
        holidays=None,
        social_appetite=appetite,
        **kw,  # type: ignore[arg-type]
    )


def everyone_shares(
    people: Sequence[Person], minutes: float = ALWAYS
) -> dict[frozenset[str], float]:
    return {pair_key(a.id, b.id): minutes for i, a in enumerate(people) for b in people[i + 1 :]}


def grouped(pairing: Pairing) -> set[frozenset[str]]:
    return {frozenset(g.members) for g in pairing.groups}


def placed_once(pairing: Pairing, people: Sequence[Person]) -> None:
    """Everyone is in exactly one group or listed once as unpaired."""
    seen = [m for g in pairing.groups for m in g.members] + [pid for pid, _ in pairing.unpaired]
    assert sorted(seen) == sorted(p.id for p in people)
    assert all(len(g.members) in (2, 3) for g in pairing.groups)


# --- the exact optimum, by brute force ---------------------------------------------------


def brute_force(
    ids: Sequence[str], allowed: set[frozenset[str]], weight: Mapping[frozenset[str], float]
) -> tuple[int, float]:
    """The best (number of pairs, total weight) over every matching of allowed pairs."""
    best = (0, 0.0)

    def extend(free: list[str], pairs: int, total: float) -> None:
        nonlocal best
        if not free:
            candidate = (pairs, round(total, 2))
            best = max(best, candidate)
            return
        first, rest = free[0], free[1:]
        extend(rest, pairs, total)  # ``first`` stays unmatched
        for partner in rest:
            key = frozenset((first, partner))
            if key in allowed:
                remaining = [p for p in rest if p != partner]
                extend(remaining, pairs + 1, total + weight[key])

    extend(list(ids), 0, 0.0)
    return best


@st.composite
def instances(
    draw: st.DrawFn,
) -> tuple[list[Person], dict[frozenset[str], float], list, int, frozenset[str]]:  # type: ignore[type-arg]
    n = draw(st.integers(2, 8))
    people = [
        person(
            f"p{k}",
            team=draw(st.sampled_from("abc")),
            appetite=draw(st.integers(1, 100)) / 100,
        )
        for k in range(n)
    ]
    keys = [pair_key(a.id, b.id) for i, a in enumerate(people) for b in people[i + 1 :]]
    shared = {k: draw(st.sampled_from([0.0, 15.0, 29.5, 30.0, 45.0, ALWAYS])) for k in keys}
    rounds = draw(st.lists(st.lists(st.sampled_from(keys), max_size=3), max_size=6))
    avoid = draw(st.integers(0, 4))
    isolated = frozenset(draw(st.lists(st.sampled_from([p.id for p in people]), max_size=3)))
    return people, shared, rounds, avoid, isolated


@settings(max_examples=300, deadline=None)
@given(instances())
def test_matching_weight_equals_the_brute_force_optimum(instance: tuple) -> None:  # type: ignore[type-arg]
    people, shared, history, avoid, isolated = instance
    by_id = {p.id: p for p in people}
    recent = {key for groups in history[-avoid:] for key in groups} if avoid else set()
    ever = {key for groups in history for key in groups}
    allowed = {k for k, minutes in shared.items() if minutes >= 30 and k not in recent}
    weight = {
        k: pair_weight(*(by_id[m] for m in sorted(k)), isolated=isolated, met_before=k in ever)
        for k in allowed
    }

    result = pair_people(people, shared, history, avoid_rounds=avoid, isolated=isolated)

    pairs, optimum = brute_force([p.id for p in people], allowed, weight)
    assert len(result.groups) == pairs
    assert result.matching_weight == pytest.approx(optimum)
    placed_once(result, people)
    for group in result.groups:  # every pair inside a group is allowed: shared time, no repeat
        members = list(group.members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                assert pair_key(a, b) in allowed
    if len(people) % 2 == 0 and pairs == len(people) // 2:  # a perfect matching: pairs only
        assert all(len(g.members) == 2 for g in result.groups)
        assert result.total_weight == pytest.approx(optimum)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from([3, 5, 7, 9]), st.integers(0, 10_000))
def test_an_odd_count_gives_exactly_one_group_of_three(n: int, seed: int) -> None:
    people = [person(f"p{k}", team="ab"[k % 2], appetite=(k + 1) / 10) for k in range(n)]
    result = pair_people(people, everyone_shares(people), seed=seed)
    sizes = sorted(len(g.members) for g in result.groups)
    assert sizes == [2] * (n // 2 - 1) + [3]
    assert result.unpaired == ()
    placed_once(result, people)
    trio = next(g for g in result.groups if len(g.members) == 3)
    assert any("joined as a third" in r for r in trio.reasons)


def test_pairs_from_the_last_rounds_are_avoided_and_allowed_again_later() -> None:
    a, b, c, d = person("a", "x"), person("b", "x"), person("c", "y"), person("d", "y")
    people, shared = [a, b, c, d], everyone_shares([a, b, c, d])
    last_round = [frozenset("ac"), frozenset("bd")]

    fresh = pair_people(people, shared, [last_round], avoid_rounds=4)
    assert grouped(fresh) == {frozenset("ad"), frozenset("bc")}  # still cross-team, no repeat

    # the same pairs 4 rounds ago are still avoided; 5 rounds ago they may meet again
    assert grouped(pair_people(people, shared, [last_round, [], [], []])) == grouped(fresh)
    two = [a, c]
    blocked = pair_people(two, shared, [[frozenset("ac")], [], [], []], avoid_rounds=4)
    assert blocked.groups == ()
    assert (
        blocked.unpaired[0][1]
        == "already met everyone they share working time with (C) in the last 4 rounds"
    )
    again = pair_people(two, shared, [[frozenset("ac")], [], [], [], []], avoid_rounds=4)
    assert grouped(again) == {frozenset("ac")}
    assert "last met 5 rounds ago" in again.groups[0].reasons[0]


def test_a_past_group_of_three_counts_as_three_pairs() -> None:
    a, b, c = person("a", "x"), person("b", "y"), person("c", "z")
    result = pair_people([a, b, c], everyone_shares([a, b, c]), [[frozenset("abc")]])
    assert result.groups == ()
    assert len(result.unpaired) == 3


def test_pairs_without_thirty_minutes_of_shared_time_never_meet() -> None:
    a, b, c = person("a", "x"), person("b", "y"), person("c", "z")
    shared = {pair_key("a", "b"): 29.9, pair_key("a", "c"): 30.0, pair_key("b", "c"): 0.0}
    result = pair_people([a, b, c], shared)
    assert grouped(result) == {frozenset("ac")}
    assert result.unpaired == (
        ("b", "shares less than 30 minutes of working time (stretch included) "
              "with every other opt-in person this week"),
    )  # fmt: skip


def test_a_leftover_who_cannot_meet_both_members_stays_unpaired_with_the_reason() -> None:
    a, b, c = person("a", "x"), person("b", "y"), person("c", "z")
    shared = {pair_key("a", "b"): ALWAYS, pair_key("a", "c"): ALWAYS}  # c never meets b
    result = pair_people([a, b, c], shared)
    assert len(result.groups) == 1 and len(result.groups[0].members) == 2
    ((who, why),) = result.unpaired
    assert who in "bc"
    assert "already in a group of three or paired with someone they cannot meet" in why


def test_the_isolation_bonus_decides_who_is_matched() -> None:
    # b can meet a (same team, barely keen) or c (another team, very keen); a and c cannot meet
    a, b, c = person("a", "x", 0.1), person("b", "x", 0.5), person("c", "y", 1.0)
    shared = {pair_key("a", "b"): ALWAYS, pair_key("b", "c"): ALWAYS}

    assert grouped(pair_people([a, b, c], shared)) == {frozenset("bc")}
    helped = pair_people([a, b, c], shared, isolated=frozenset("a"))
    assert grouped(helped) == {frozenset("ab")}
    assert "A is at risk of isolation" in helped.groups[0].reasons
    assert helped.unpaired[0][0] == "c"


def test_the_cross_team_bonus_decides_how_people_are_matched() -> None:
    # Both cross-team pairings met 6 rounds ago (allowed again, but no longer fresh); the
    # same-team pairs are fresh. Different teams must still win.
    a, b, c, d = person("a", "x"), person("b", "x"), person("c", "y"), person("d", "y")
    old = [[frozenset("ac"), frozenset("bd")], [frozenset("ad"), frozenset("bc")]]
    history = [*old, [], [], [], []]
    result = pair_people([a, b, c, d], everyone_shares([a, b, c, d]), history)
    assert all(len({m[0] for m in g.members}) == 2 for g in result.groups)
    assert grouped(result) <= {frozenset("ac"), frozenset("bd"), frozenset("ad"), frozenset("bc")}
    assert all("different teams (x, y)" in g.reasons[0] for g in result.groups)


def test_more_people_matched_beats_heavier_pairs() -> None:
    # a path a - b - c - d - e - f: the two fresh cross-team pairs b-c and d-e weigh more
    # together than the three old same-team pairs, but would leave a and f out
    teams = dict(zip("abcdef", "xxyyxx", strict=True))
    people = [person(pid, team, 0.01) for pid, team in teams.items()]
    path = ["ab", "bc", "cd", "de", "ef"]
    shared = {frozenset(edge): ALWAYS for edge in path}
    history = [[frozenset("ab"), frozenset("cd"), frozenset("ef")], [], [], [], []]
    result = pair_people(people, shared, history)
    assert grouped(result) == {frozenset("ab"), frozenset("cd"), frozenset("ef")}
    by_id = {p.id: p for p in people}
    middle = sum(
        pair_weight(by_id[x], by_id[y], isolated=frozenset(), met_before=False)
        for x, y in ("bc", "de")
    )
    assert middle > result.matching_weight


def test_weights_keep_their_documented_priorities() -> None:
    assert ISOLATION_BONUS > CROSS_TEAM_BONUS + APPETITE_WEIGHT + FRESH_PAIR_BONUS
    assert CROSS_TEAM_BONUS > APPETITE_WEIGHT > FRESH_PAIR_BONUS
    a, b = person("a", "x", 0.8), person("b", "y", 0.6)
    assert pair_weight(a, b, isolated=frozenset(), met_before=False) == pytest.approx(
        1.0 + CROSS_TEAM_BONUS + APPETITE_WEIGHT * 1.4 + FRESH_PAIR_BONUS
    )


def test_one_person_alone_and_bad_input() -> None:
    result = pair_people([person("a")], {})
    assert result.unpaired == (("a", "the only person who opted in"),)
    assert pair_people([], {}).groups == ()
    with pytest.raises(ValueError, match="distinct"):
        pair_people([person("a"), person("a")], {})


# --- shared time with stretch ------------------------------------------------------------

MONDAY = date(2026, 11, 30)


def test_stretch_widens_each_working_interval_on_working_days_only() -> None:
    plain = person("p", zone="Europe/Paris")
    stretchy = person("s", zone="Europe/Paris", stretch_minutes=60)
    weekly = sum(iv.minutes for iv in stretched_working_time(plain, MONDAY))
    assert weekly == 5 * 8 * 60
    widened = stretched_working_time(stretchy, MONDAY)
    assert sum(iv.minutes for iv in widened) == 5 * 10 * 60  # an hour each side, no weekend
    monday = widened[0]
    assert monday == Interval(  # 08:00–18:00 Paris (UTC+1)
        datetime(2026, 11, 30, 7, tzinfo=UTC), datetime(2026, 11, 30, 17, tzinfo=UTC)
    )


def test_shared_time_between_tokyo_and_new_york_is_none_even_with_stretch() -> None:
    # the demo's numbers: Kenji's stretch reaches back to 08:00 Tokyo (23:00 UTC) and
    # Maria's forward to 18:00 New York (23:00 UTC): the two windows touch, never overlap
    tokyo_hours = WorkingHours.office("09:30", "18:30")
    tokyo = person("k", zone="Asia/Tokyo", hours=tokyo_hours, stretch_minutes=90)
    new_york = person("m", zone="America/New_York", stretch_minutes=60)
    paris = person("p", zone="Europe/Paris")
    assert shared_windows(tokyo, new_york, MONDAY) == []
    minutes = shared_minutes([tokyo, new_york, paris], MONDAY)
    assert minutes[pair_key("k", "m")] == 0
    # Paris 09:00-17:00 is 08:00-16:00 UTC; Tokyo until 18:30 + 90 min is 11:00 UTC
    assert minutes[pair_key("k", "p")] == 5 * 3 * 60
    # New York 09:00-17:00 less an hour of stretch is 13:00 UTC; Paris leaves at 16:00 UTC
    assert minutes[pair_key("m", "p")] == 5 * 3 * 60


def test_stretch_can_create_shared_time_where_working_hours_have_none() -> None:
    tokyo = person("k", zone="Asia/Tokyo", stretch_minutes=90)  # 09:00-17:00, from 07:30
    new_york = person("m", zone="America/New_York", stretch_minutes=60)  # until 18:00
    windows = shared_windows(tokyo, new_york, MONDAY)
    # Tokyo Tue-Fri 07:30-08:00 = New York Mon-Thu 17:30-18:00 (UTC-5 and UTC+9)
    assert [iv.minutes for iv in windows] == [30.0] * 4
    assert windows[0].start == datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    assert shared_minutes([tokyo], MONDAY) == {}

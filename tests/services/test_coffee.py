"""A coffee round on the demo organisation: who takes part, who meets whom, and when."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from asyncfirst.domain.errors import InputError, UnknownEntityError
from asyncfirst.domain.intervals import Interval, intersect
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import working_time
from asyncfirst.services.coffee import coffee_round, load_history, save_history

WEEK = date(2026, 11, 30)
OPTED_OUT = {"elise", "noah"}


def members(result_groups: object) -> list[set[str]]:
    return [{p.id for p in g.members} for g in result_groups]  # type: ignore[attr-defined]


def test_only_people_who_opted_in_take_part(demo_org: Organisation) -> None:
    result = coffee_round(demo_org, WEEK)
    placed = [p.id for g in result.groups for p in g.members] + [p.id for p, _ in result.unpaired]
    opted_in = {p.id for p in demo_org.people if p.social_appetite > 0}
    assert sorted(placed) == sorted(opted_in)  # everyone once, no one twice
    assert OPTED_OUT.isdisjoint(placed)
    assert {p.id for p in result.opted_out} == OPTED_OUT
    assert result.unpaired == ()  # 13 people: six groups, one of them of three
    assert sorted(len(g.members) for g in result.groups) == [2, 2, 2, 2, 2, 3]


def test_every_slot_is_inside_or_within_the_stretch_of_every_member(
    demo_org: Organisation,
) -> None:
    for week in (WEEK, date(2026, 3, 16), date(2026, 6, 29)):  # winter, the DST gap, summer
        result = coffee_round(demo_org, week)
        for group in result.groups:
            assert group.slot is not None, group.slot_note
            slot = group.slot.interval
            assert slot.minutes == 30
            for person in group.members:
                pad = timedelta(minutes=person.stretch_minutes)
                work = working_time(person.schedule, slot.start - timedelta(days=1), slot.end)
                stretched = [Interval(iv.start - pad, iv.end + pad) for iv in work]
                assert any(iv.start <= slot.start and slot.end <= iv.end for iv in stretched), (
                    f"{person.id} at {slot.start} in {week}"
                )
            assert all(a.blocked is None for a in group.slot.attendees)


def test_tokyo_and_new_york_never_meet_over_many_rounds(demo_org: Organisation) -> None:
    history: list[list[list[str]]] = []
    monday = date(2026, 10, 19)  # across the European and American DST ends
    for _ in range(8):
        result = coffee_round(demo_org, monday, history=history)
        for group in result.groups:
            zones = {p.zone for p in group.members}
            assert not {"Asia/Tokyo", "America/New_York"} <= zones, group.members
        history.append(result.history_entry())
        monday += timedelta(days=7)


def test_recent_pairs_are_not_repeated_across_rounds(demo_org: Organisation) -> None:
    first = coffee_round(demo_org, WEEK)
    second = coffee_round(demo_org, WEEK + timedelta(days=7), history=[first.history_entry()])
    before = {frozenset(pair) for g in members(first.groups) for pair in _pairs(g)}
    after = {frozenset(pair) for g in members(second.groups) for pair in _pairs(g)}
    assert before.isdisjoint(after)
    assert all("first coffee together" in g.reasons[0] for g in second.groups)


def _pairs(group: set[str]) -> list[tuple[str, str]]:
    ids = sorted(group)
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]


def test_someone_on_leave_all_week_is_unpaired_with_the_reason(demo_org: Organisation) -> None:
    result = coffee_round(demo_org, date(2026, 12, 28))  # Ren's year-end leave
    unpaired = {p.id: why for p, why in result.unpaired}
    assert "ren" in unpaired
    assert "shares less than 30 minutes of working time" in unpaired["ren"]


def test_isolated_people_are_named_in_the_reasons(demo_org: Organisation) -> None:
    result = coffee_round(demo_org, WEEK, isolated=frozenset({"haruto"}))
    group = next(g for g in result.groups if "haruto" in {p.id for p in g.members})
    assert "Haruto Suzuki is at risk of isolation" in group.reasons
    with pytest.raises(UnknownEntityError):
        coffee_round(demo_org, WEEK, isolated=frozenset({"nobody"}))


def test_a_different_seed_only_changes_ties(demo_org: Organisation) -> None:
    rounds = [coffee_round(demo_org, WEEK, seed=seed) for seed in range(6)]
    assert len({r.matching_weight for r in rounds}) == 1  # the optimum does not move
    assert len({tuple(r.history_entry()[0]) for r in rounds}) > 1  # but ties break differently
    assert all(len(r.groups) == 6 and not r.unpaired for r in rounds)


def test_json_shape(demo_org: Organisation) -> None:
    data = json.loads(json.dumps(coffee_round(demo_org, WEEK).to_dict()))
    assert set(data) == {
        "week", "avoid_rounds", "slot_minutes", "total_weight", "matching_weight", "groups",
        "unpaired", "opted_out",
    }  # fmt: skip
    assert (data["week"], data["avoid_rounds"], data["slot_minutes"]) == ("2026-11-30", 4, 30)
    assert sorted(data["opted_out"]) == ["elise", "noah"]
    group = data["groups"][0]
    assert set(group) == {"members", "weight", "reasons", "slot", "slot_note"}
    assert set(group["members"][0]) == {"id", "name", "team", "zone"}
    assert set(group["slot"]) == {"start", "end", "local_times", "attendees"}
    assert len(group["slot"]["attendees"]) == len(group["members"])
    city_time = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d [A-Z][\w ]+"
    for g in data["groups"]:
        assert re.fullmatch(rf"{city_time}( = {city_time})*", g["slot"]["local_times"])
    mixed = next(g for g in data["groups"] if len({m["zone"] for m in g["members"]}) > 1)
    assert " = " in mixed["slot"]["local_times"]


def test_history_round_trip(tmp_path: Path, demo_org: Organisation) -> None:
    path = tmp_path / "coffee.json"
    assert load_history(path) == []  # absent: nothing happened yet
    first = coffee_round(demo_org, WEEK)
    save_history(path, [first.history_entry()])
    assert load_history(path) == [first.history_entry()]
    second = coffee_round(demo_org, WEEK + timedelta(days=7), history=load_history(path))
    save_history(path, [*load_history(path), second.history_entry()])
    assert load_history(path) == [first.history_entry(), second.history_entry()]
    assert json.loads(path.read_text("utf-8"))["rounds"][1] == second.history_entry()


@pytest.mark.parametrize(
    "text", ["not json", '{"rounds": [[["a", 1]]]}', '[["a", "b"]]', '{"rounds": "x"}']
)
def test_a_broken_history_file_is_an_input_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "coffee.json"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match="coffee history"):
        load_history(path)


def test_bad_input(demo_org: Organisation) -> None:
    with pytest.raises(InputError, match="Tuesday"):
        coffee_round(demo_org, date(2026, 12, 1))
    with pytest.raises(InputError, match="avoid-rounds"):
        coffee_round(demo_org, WEEK, avoid_rounds=-1)


def test_slot_lies_in_shared_working_time_of_paris_and_new_york(demo_org: Organisation) -> None:
    result = coffee_round(demo_org, WEEK)
    for group in result.groups:
        assert group.slot is not None
        zones = {p.zone for p in group.members}
        if zones == {"Europe/Paris", "America/New_York"} and not any(
            p.stretch_minutes for p in group.members
        ):
            shared = intersect(
                *(working_time(p.schedule, group.slot.start, group.slot.end) for p in group.members)
            )
            assert sum(iv.minutes for iv in shared) == 30

"""Large-neighbourhood search: never worse than its start, the same for a seed, and a
plan the validator accepts; on a small week it finds what greedy missed."""

from __future__ import annotations

import random

from asyncfirst.scheduling.greedy import greedy_choices, objective_of
from asyncfirst.scheduling.lns import improve, neighbourhood
from asyncfirst.scheduling.plan import Plan
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import Choice, components, placement_of
from asyncfirst.scheduling.week_table import WeekInput
from tests.unit.test_week_model_phases import MONDAY, org, requests, week_input


def plan_of(week: WeekInput, choices: list[Choice]) -> Plan:
    return Plan(week.week, tuple(placement_of(c) for c in choices), solver="cp-sat")


def test_lns_places_what_greedy_could_not_and_stays_valid() -> None:
    week = week_input()
    start, _ = greedy_choices(week)
    better = improve(week, start, rounds=4, size=3, seed=1)
    assert objective_of(week, better) < objective_of(week, start)
    assert sorted(c[0].request.id for c in better) == ["ana-lea", "ana-mia"]
    assert validate(plan_of(week, better), org(), requests(), week=MONDAY).violations == []


def test_lns_is_never_worse_and_deterministic_for_a_seed() -> None:
    week = week_input()
    start, _ = greedy_choices(week)
    runs = [improve(week, start, rounds=3, size=1, seed=7) for _ in range(2)]
    assert objective_of(week, runs[0]) <= objective_of(week, start)
    assert [(c[0].request.id, c[1].start) for c in runs[0]] == [
        (c[0].request.id, c[1].start) for c in runs[1]
    ]


def test_a_neighbourhood_grows_through_shared_people() -> None:
    (group,) = components([t for t in week_input().tables if t.options])
    picked = neighbourhood(group, 2, random.Random(0))  # noqa: S311
    assert len(picked) == 2
    tables = [t for t in group if t.request.id in picked]
    assert set(tables[0].people) & set(tables[1].people)

"""Use case: one round of opt-in virtual coffee, paired across teams and zones.

Who takes part: everyone whose social appetite is above zero. Who meets whom:
``scheduling.pairing`` (a maximum-weight matching on shared working time, team, history,
isolation and appetite). When: the fairest 30-minute time of the week for each group
(``scheduling.slots.rank_slots``) that is inside working hours or within the stretch
allowance of every member, shown in each member's local time.

History is plain data: a list of rounds, oldest first, each a list of groups, each a list
of person ids. ``load_history``/``save_history`` keep it in a small JSON file,
``{"rounds": [[["amelie", "kenji"], ...], ...]}``, until the database arrives.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.domain.worktime import local_week
from asyncfirst.scheduling.bands import Category
from asyncfirst.scheduling.pairing import Group, pair_people
from asyncfirst.scheduling.relay import city
from asyncfirst.scheduling.shared_time import shared_minutes
from asyncfirst.scheduling.slots import Candidate, rank_slots

__all__ = [
    "COFFEE_MINUTES",
    "CoffeeGroup",
    "CoffeeRound",
    "HistoryRounds",
    "coffee_round",
    "load_history",
    "save_history",
]

COFFEE_MINUTES = 30
_ACCEPTABLE = (Category.INSIDE, Category.STRETCH)

HistoryRounds = list[list[list[str]]]
"""Rounds (oldest first) of groups of person ids."""


@dataclass(frozen=True)
class CoffeeGroup:
    """Two or three people, why they were grouped and when they could meet."""

    members: tuple[Person, ...]
    weight: float
    reasons: tuple[str, ...]
    slot: Candidate | None
    slot_note: str | None = None

    @property
    def local_times(self) -> str:
        """E.g. "Tue 09:00 Paris = Tue 17:00 Tokyo" (one entry per zone), or ""."""
        if self.slot is None:
            return ""
        zones = {a.zone: a.local_start for a in self.slot.attendees}
        return " = ".join(f"{start:%a %H:%M} {city(zone)}" for zone, start in zones.items())

    def to_dict(self) -> dict[str, Any]:
        slot = self.slot
        return {
            "members": [_person_dict(p) for p in self.members],
            "weight": self.weight,
            "reasons": list(self.reasons),
            "slot": None
            if slot is None
            else {
                "start": slot.start.isoformat(),
                "end": slot.end.isoformat(),
                "local_times": self.local_times,
                "attendees": [a.to_dict() for a in slot.attendees],
            },
            "slot_note": self.slot_note,
        }


@dataclass(frozen=True)
class CoffeeRound:
    """The groups of one week, who is left alone and why, and who did not opt in.

    ``matching_weight`` is the optimum of the pairs alone; ``total_weight`` adds the pairs
    made when a leftover person joined a group.
    """

    week_monday: date
    avoid_rounds: int
    groups: tuple[CoffeeGroup, ...]
    unpaired: tuple[tuple[Person, str], ...]
    opted_out: tuple[Person, ...]
    total_weight: float
    matching_weight: float

    def history_entry(self) -> list[list[str]]:
        """This round as plain history data: the member ids of each group."""
        return [[p.id for p in g.members] for g in self.groups]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``asyncfirst coffee --json``."""
        return {
            "week": self.week_monday.isoformat(),
            "avoid_rounds": self.avoid_rounds,
            "slot_minutes": COFFEE_MINUTES,
            "total_weight": self.total_weight,
            "matching_weight": self.matching_weight,
            "groups": [g.to_dict() for g in self.groups],
            "unpaired": [{**_person_dict(p), "reason": why} for p, why in self.unpaired],
            "opted_out": [p.id for p in self.opted_out],
        }


def _person_dict(person: Person) -> dict[str, Any]:
    return {"id": person.id, "name": person.name, "team": person.team_id, "zone": person.zone}


def _history(rounds: Sequence[Sequence[Sequence[str]]]) -> list[list[frozenset[str]]]:
    return [[frozenset(group) for group in groups] for groups in rounds]


def _common_week(members: Sequence[Person], week_monday: date) -> Interval | None:
    """The part of the week that lies in every member's own local week."""
    weeks = [local_week(week_monday, p.schedule.tz) for p in members]
    start, end = max(w.start for w in weeks), min(w.end for w in weeks)
    return Interval(start, end) if end > start else None


def _propose(members: Sequence[Person], week_monday: date) -> tuple[Candidate | None, str | None]:
    """The best 30-minute slot inside hours or stretch for everyone, or why there is none."""
    week = _common_week(members, week_monday)
    if week is None:
        return None, "their local weeks do not overlap"
    search = rank_slots(
        members, COFFEE_MINUTES, week.start, week.end, limit=7 * 24 * 4, step_minutes=15
    )
    for candidate in search.candidates:
        if all(a.blocked is None and a.category in _ACCEPTABLE for a in candidate.attendees):
            return candidate, None
    return None, (
        f"no {COFFEE_MINUTES}-minute time this week is inside every member's working hours "
        f"or stretch: {search.explanation}"
    )


def coffee_round(
    org: Organisation,
    week_monday: date,
    *,
    history: Sequence[Sequence[Sequence[str]]] = (),
    isolated: frozenset[str] = frozenset(),
    avoid_rounds: int = 4,
    seed: int = 0,
) -> CoffeeRound:
    """Pair the opt-in people of ``org`` for the week of ``week_monday`` and propose times.

    ``isolated`` names people at risk of isolation (they are matched first); ``seed`` only
    breaks ties between equally good pairings.
    """
    if week_monday.weekday() != 0:
        raise InputError(f"{week_monday.isoformat()} is a {week_monday:%A}; give a Monday")
    if avoid_rounds < 0:
        raise InputError(f"--avoid-rounds must not be negative, got {avoid_rounds}")
    for ident in sorted(isolated):
        org.person(ident)
    opted_in = [p for p in org.people if p.social_appetite > 0]
    pairing = pair_people(
        opted_in,
        shared_minutes(opted_in, week_monday),
        _history(history),
        avoid_rounds=avoid_rounds,
        isolated=isolated,
        seed=seed,
    )
    groups = [_coffee_group(org, g, week_monday) for g in pairing.groups]
    unpaired = [(org.person(pid), why) for pid, why in pairing.unpaired]
    return CoffeeRound(
        week_monday=week_monday,
        avoid_rounds=avoid_rounds,
        groups=tuple(groups),
        unpaired=tuple(unpaired),
        opted_out=tuple(p for p in org.people if p.social_appetite <= 0),
        total_weight=pairing.total_weight,
        matching_weight=pairing.matching_weight,
    )


def _coffee_group(org: Organisation, group: Group, week_monday: date) -> CoffeeGroup:
    members = tuple(org.person(m) for m in group.members)
    slot, note = _propose(members, week_monday)
    return CoffeeGroup(members, group.weight, group.reasons, slot, note)


def load_history(path: Path) -> HistoryRounds:
    """The rounds kept in ``path`` (oldest first); an absent file is an empty history."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable coffee history ({exc})", path=str(path)) from exc
    rounds = data.get("rounds") if isinstance(data, dict) else None
    if not isinstance(rounds, list) or not all(_is_round(r) for r in rounds):
        raise InputError(
            f'{path}: a coffee history is {{"rounds": [[["id", "id"], ...], ...]}}',
            path=str(path),
        )
    return [[list(group) for group in groups] for groups in rounds]


def _is_round(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(group, list) and all(isinstance(m, str) for m in group) for group in value
    )


def save_history(path: Path, rounds: Sequence[Sequence[Sequence[str]]]) -> None:
    """Write ``rounds`` (oldest first) to ``path`` as JSON, replacing what was there."""
    data = {"rounds": [[list(group) for group in groups] for groups in rounds]}
    try:
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write the coffee history ({exc.strerror})") from exc

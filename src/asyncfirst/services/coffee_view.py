"""Use cases of the web Coffee page: opt in or out, pause, and one's pairings.

Who takes part in a week: a person who chose to (``coffee_preferences``) and is not paused
that week; a person who never chose follows the charter (a social appetite above zero).
A week's round is drawn once, by the first look at it (``services.coffee.coffee_round``:
pairs across teams and zones, avoiding the last rounds' pairs), and stored, so everyone
sees the same pairing all week; a choice made after that counts from the next round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.scheduling.relay import city
from asyncfirst.services.access import Actor, require
from asyncfirst.services.coffee import coffee_round
from asyncfirst.services.coffee_ports import CoffeePreference, StoredGroup, StoredRound
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork
from asyncfirst.services.ports import Clock

__all__ = [
    "MAX_PAUSE_WEEKS",
    "CoffeePage",
    "CoffeeStatus",
    "MyPairing",
    "Partner",
    "coffee_page",
    "draw_round",
    "ensure_round",
    "next_monday",
    "participants",
    "set_coffee",
]

MAX_PAUSE_WEEKS = 12
DEFAULT_APPETITE = 0.5  # for someone who opts in while the charter says 0
PAST_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class CoffeeStatus:
    opted_in: bool
    paused_until: date | None
    source: Literal["charter", "chosen"]

    def taking_part(self, week: date) -> bool:
        return self.opted_in and (self.paused_until is None or self.paused_until <= week)

    @property
    def text(self) -> str:
        if not self.opted_in:
            return "You are not taking part in coffee chats."
        if self.paused_until is not None:
            return f"You are paused until the week of {self.paused_until:%a %d %b %Y}."
        origin = " (from your team's charter)" if self.source == "charter" else ""
        return f"You are taking part in coffee chats{origin}."


def _status(person: Person, pref: CoffeePreference | None) -> CoffeeStatus:
    if pref is None:
        return CoffeeStatus(person.social_appetite > 0, None, "charter")
    return CoffeeStatus(pref.opted_in, pref.paused_until, "chosen")


def next_monday(clock: Clock, person: Person) -> date:
    """The first Monday after today in the person's zone."""
    today = clock.now().astimezone(person.schedule.tz).date()
    return today + timedelta(days=7 - today.weekday())


def participants(
    org: Organisation, prefs: Mapping[str, CoffeePreference], week: date
) -> Organisation:
    """``org`` with each person's social appetite set to who takes part in ``week``."""
    people = []
    for person in org.people:
        status = _status(person, prefs.get(person.id))
        if not status.taking_part(week):
            people.append(replace(person, social_appetite=0.0))
        elif person.social_appetite <= 0:
            people.append(replace(person, social_appetite=DEFAULT_APPETITE))
        else:
            people.append(person)
    return Organisation(org.name, org.teams, tuple(people))


def set_coffee(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    *,
    opted_in: bool,
    pause_weeks: int = 0,
) -> CoffeeStatus:
    """Record the actor's own choice: in or out, and paused for ``pause_weeks`` rounds."""
    if not 0 <= pause_weeks <= MAX_PAUSE_WEEKS:
        raise InputError(
            f"a pause is 0 to {MAX_PAUSE_WEEKS} weeks, got {pause_weeks}", field="pause_weeks"
        )
    require(actor, "me.read")
    person = org.person(actor.person_id)
    paused_until = (
        next_monday(clock, person) + timedelta(weeks=pause_weeks)
        if opted_in and pause_weeks
        else None
    )
    with uow:
        uow.coffee.set_preference(person.id, opted_in, paused_until, clock.now())
        uow.commit()
    return CoffeeStatus(opted_in, paused_until, "chosen")


def draw_round(
    org: Organisation,
    week: date,
    prefs: Mapping[str, CoffeePreference],
    history: Sequence[StoredRound],
) -> tuple[StoredGroup, ...]:
    """The week's groups and their slots (UTC), from the choices and the past rounds."""
    result = coffee_round(
        participants(org, prefs, week),
        week,
        history=[[list(g.members) for g in r.groups] for r in history],
    )
    return tuple(
        StoredGroup(
            tuple(p.id for p in g.members),
            g.slot.start if g.slot else None,
            g.slot.end if g.slot else None,
        )
        for g in result.groups
    )


@dataclass(frozen=True, slots=True)
class Partner:
    name: str
    team: str
    city: str
    local: str | None  # the slot on their clock


@dataclass(frozen=True, slots=True)
class MyPairing:
    week: date
    partners: tuple[Partner, ...]
    my_local: str | None  # the slot on my clock, e.g. "Tue 24 Nov 15:00–15:30"
    starts_at: datetime | None


def _local(person: Person, start: datetime | None, end: datetime | None) -> str | None:
    if start is None or end is None:
        return None
    tz = person.schedule.tz
    a, b = start.astimezone(tz), end.astimezone(tz)
    return f"{a:%a %d %b %H:%M}–{b:%H:%M}"


def _mine(org: Organisation, me: Person, stored: StoredRound) -> MyPairing | None:
    group = next((g for g in stored.groups if me.id in g.members), None)
    if group is None:
        return None
    partners = tuple(
        Partner(p.name, org.team(p.team_id).name, city(p.zone),
                _local(p, group.starts_at, group.ends_at))
        for p in (org.person(m) for m in group.members if m != me.id)
    )  # fmt: skip
    return MyPairing(
        stored.week, partners, _local(me, group.starts_at, group.ends_at), group.starts_at
    )


@dataclass(frozen=True)
class CoffeePage:
    status: CoffeeStatus
    next_week: date
    next_pairing: MyPairing | None
    next_note: str
    past: tuple[MyPairing, ...]
    max_pause_weeks: int = MAX_PAUSE_WEEKS


def _why_none(status: CoffeeStatus, week: date) -> str:
    if not status.taking_part(week):
        return "You are not in next week's round."
    return (
        "No pairing for you next week: the round was drawn before you joined, or no one "
        "shared enough working time with you. You take part from the next round."
    )


def ensure_round(hub: HubContext, week: date) -> StoredRound:
    """The stored round of ``week``, drawn and stored first if nobody has yet.

    The draw is computed outside any transaction (it takes about a second for the demo);
    if another request stored the week meanwhile, that round wins and this one is dropped.
    """
    with hub.unit_of_work() as uow:
        stored = uow.coffee.round_of(week)
        if stored is not None:
            return stored
        prefs = uow.coffee.preferences()
        history = uow.coffee.rounds(before=week)
    groups = draw_round(hub.org, week, prefs, history[-PAST_ROUNDS:])
    with hub.unit_of_work() as uow:
        uow.coffee.save_round(week, groups, hub.clock.now())
        uow.commit()
        return uow.coffee.round_of(week) or StoredRound(week, groups)


def coffee_page(hub: HubContext, actor: Actor) -> CoffeePage:
    """The actor's choice, next week's pairing (drawing the round if nobody has yet) and
    their past pairings, newest first."""
    require(actor, "me.read")
    me = hub.org.person(actor.person_id)
    week = next_monday(hub.clock, me)
    stored = ensure_round(hub, week)
    with hub.unit_of_work() as uow:
        prefs = uow.coffee.preferences()
        history = uow.coffee.rounds(before=week)
    status = _status(me, prefs.get(me.id))
    mine = _mine(hub.org, me, stored)
    past = tuple(
        found
        for r in reversed(history[-PAST_ROUNDS:])
        if (found := _mine(hub.org, me, r)) is not None
    )
    return CoffeePage(status, week, mine, "" if mine else _why_none(status, week), past)

"""Synthetic calendars for the demo, tests and benchmarks: realistic ICS, seeded.

``generate_calendars(org, start_monday, weeks, seed)`` plans a whole organisation's
calendars over ``weeks`` weeks from ``start_monday`` and renders one ICS file per person:

- per team (booked by its lead, in the team's zone): a daily stand-up inside the team's
  hours that skips public holidays and the off-site (EXDATE) and has one occurrence moved
  (RECURRENCE-ID); a weekly review (COUNT) with one occurrence cancelled; a biweekly
  sprint planning and retro (UNTIL); fortnightly 1:1s between the lead and each member,
  some with a moved occurrence; an all-day off-site;
- across teams: a weekly sync between a team's lead and the lead of a team in another
  zone, and a few one-off meetings per person, all at the organiser's convenience, so
  they land at awkward hours elsewhere; invitees accept, hedge or decline;
- per person: focus blocks (the charter's, or a habit; TRANSPARENT when unprotected),
  a daily lunch block for most, a free "Hold", public holidays and time off as all-day
  events, and at least one meeting they declined.

Shared events carry one UID and the same bytes in every calendar. Output depends only
on the arguments: the same seed gives byte-identical files.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from asyncfirst.adapters.synthetic.meetings import Agenda, Meeting, Window
from asyncfirst.adapters.synthetic.people import synthetic_organisation
from asyncfirst.adapters.synthetic.person_plan import PersonPlanner
from asyncfirst.adapters.synthetic.render import CalendarRenderer
from asyncfirst.adapters.synthetic.team_plan import plan_team
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation

__all__ = [
    "demo_calendars",
    "generate_calendars",
    "iter_calendars",
    "plan_calendars",
    "synthetic_organisation",
]


def _window(start_monday: date, weeks: int) -> Window:
    if start_monday.weekday() != 0:
        raise InputError(f"{start_monday} is a {start_monday:%A}; calendars start on a Monday")
    if weeks < 1:
        raise InputError(f"weeks must be at least 1, got {weeks}", weeks=weeks)
    return Window(start_monday, weeks)


def plan_calendars(org: Organisation, window: Window, seed: int) -> dict[str, list[Meeting]]:
    """Every person's events (person id -> events), planned but not yet rendered."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    agenda = Agenda()
    planner = PersonPlanner(org, window, rng, agenda)
    for team in org.teams:
        for meeting in plan_team(team, planner.members[team.id], window, rng, agenda):
            planner.add(meeting)
    for team in org.teams:
        planner.cross_team_sync(team.id)
    for person in org.people:
        planner.lunch(person)
        planner.focus(person)
        planner.hold(person)
    for person in org.people:
        planner.one_offs(person)
        planner.days_away(person)
        planner.public_holidays(person)
    for person in org.people:
        planner.ensure_declined(person)
    return planner.calendars


def iter_calendars(
    org: Organisation, start_monday: date, weeks: int, seed: int
) -> Iterator[tuple[str, bytes]]:
    """(person id, ICS bytes) for each person of ``org``, in charter order, one at a time."""
    window = _window(start_monday, weeks)
    calendars = plan_calendars(org, window, seed)
    renderer = CalendarRenderer(window)
    for person in org.people:
        yield person.id, renderer.calendar(person, calendars[person.id])


def generate_calendars(
    org: Organisation, start_monday: date, weeks: int, seed: int
) -> dict[str, bytes]:
    """Every person's ICS calendar over ``weeks`` weeks from ``start_monday``, by person id."""
    return dict(iter_calendars(org, start_monday, weeks, seed))


def demo_calendars(
    org: Organisation, start_monday: date, weeks: int = 4, seed: int = 1
) -> dict[str, bytes]:
    """In-memory calendars so reports run on the demo out of the box (nothing written)."""
    return generate_calendars(org, start_monday, weeks, seed)

"""Use case: everything My day shows, read for the signed-in person (see ``my_day``).

Reads go through the existing use cases (``threads.page_queue``, ``checkin_views.my_checkins``,
``meetings.meetings_for``) so the page and the API never disagree; decisions waiting for
the person are the open ones where they are a decider and have not answered this round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from asyncfirst.domain.access_errors import ForbiddenError
from asyncfirst.domain.checkins import BLOCKERS_QUESTION, DAY_MODES, not_a_working_day
from asyncfirst.domain.decisions import CONSENT_CHOICES
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import local_day_bounds
from asyncfirst.services.access import Actor, DecisionRef, PersonRef, can, not_found, require
from asyncfirst.services.checkin_views import my_checkins
from asyncfirst.services.checkins import questions_of
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.meetings import meetings_for
from asyncfirst.services.my_day import DayTimeline, MeetingSpan, day_timeline, due_text
from asyncfirst.services.page_reads import read_together
from asyncfirst.services.ports import Clock
from asyncfirst.services.threads import page_queue

__all__ = [
    "QUEUE_SHOWN",
    "CheckinForm",
    "DueItem",
    "MyDay",
    "WaitingDecision",
    "check_day_of",
    "checkin_fields",
    "my_day",
]


# My day lists the soonest-due threads waiting for the person, and counts the rest: the page
# stays the same size however many threads wait, and so does its read (the full queue is
# GET /api/v1/me/queue, a page at a time).
QUEUE_SHOWN = 20


@dataclass(frozen=True, slots=True)
class DueItem:
    thread_id: int
    title: str
    kind: str
    team: str
    author: str
    due: str  # "Fri 27 Nov 17:00 (in 3 h)" in the person's zone
    overdue: bool


@dataclass(frozen=True, slots=True)
class WaitingDecision:
    id: int
    title: str
    team: str
    author: str
    mode: str
    choices: tuple[str, ...]
    due: str
    overdue: bool
    urgent: bool
    round: int


@dataclass(frozen=True, slots=True)
class Question:
    field: str  # the form field: q0, q1, …
    text: str
    answer: str


@dataclass(frozen=True, slots=True)
class CheckinForm:
    """Today's check-in as its author sees it (mood and day mode are theirs alone)."""

    local_date: str
    closed: str | None  # why today is not a working day, or None
    questions: tuple[Question, ...]
    blockers: str
    mood: int | None
    day_mode: str | None
    day_modes: tuple[str, ...]
    saved_at: str | None  # "14:05" when today's check-in exists


@dataclass(frozen=True, slots=True)
class MyDay:
    name: str
    zone: str
    now: str  # "Fri 27 Nov 14:05"
    days: tuple[DayTimeline, ...]
    queue: tuple[DueItem, ...]  # the QUEUE_SHOWN soonest due
    queue_more: int  # how many more are waiting, due later
    decisions: tuple[WaitingDecision, ...]
    checkin: CheckinForm


def _waiting(
    uow: HubUnitOfWork, org: Organisation, actor: Actor, now: datetime, zone: str
) -> list[WaitingDecision]:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    found = []
    teams = {team.id for team in org.teams}
    with uow:
        for record in uow.decisions.open_for_decider(actor.person_id):  # not every decision
            deciders = {d.person: d for d in record.deciders}
            mine = deciders.get(actor.person_id)
            if record.team not in teams or record.state != "open" or mine is None:
                continue
            ref = DecisionRef(record.id, record.team, record.author, frozenset(deciders))
            if not can(actor, "decision.respond", ref):
                continue
            answered = any(
                r.person == actor.person_id and r.round == record.round for r in record.responses
            )
            if answered:
                continue
            choices = CONSENT_CHOICES if record.mode == "consent" else record.options
            found.append(
                WaitingDecision(record.id, record.title, record.team, record.author_name,
                                record.mode, tuple(choices), due_text(mine.decide_by, now, tz),
                                mine.decide_by <= now, record.urgent, record.round)
            )  # fmt: skip
    found.sort(key=lambda d: (d.overdue is False, d.due))
    return found


def checkin_fields(org: Organisation, actor: Actor) -> dict[str, str]:
    """The check-in form's question fields (``q0``, ``q1``, …) and the question each asks;
    blockers have their own field."""
    asked = questions_of(org, org.person(actor.person_id).team_id)
    return {f"q{i}": text for i, text in enumerate(q for q in asked if q != BLOCKERS_QUESTION)}


def _checkin(
    unit_of_work: Callable[[], HubUnitOfWork], clock: Clock, org: Organisation, actor: Actor
) -> CheckinForm:
    person = org.person(actor.person_id)
    tz = person.schedule.tz
    today = clock.now().astimezone(tz).date()
    own = next(
        (v.own for v in my_checkins(unit_of_work(), clock, actor, days=1)
         if v.own.row.local_date == today),
        None,
    )  # fmt: skip
    answers = own.row.answers if own is not None else {}
    questions = tuple(
        Question(field, text, answers.get(text, ""))
        for field, text in checkin_fields(org, actor).items()
    )
    saved = None
    if own is not None:
        saved = f"{(own.row.updated_at or own.row.created_at).astimezone(tz):%H:%M}"
    return CheckinForm(
        today.isoformat(), not_a_working_day(person.schedule, today), questions,
        own.row.blockers if own else "", own.mood if own else None,
        own.day_mode if own else None, DAY_MODES, saved,
    )  # fmt: skip


def my_day(
    unit_of_work: Callable[[], HubUnitOfWork], clock: Clock, org: Organisation, actor: Actor
) -> MyDay:
    """The actor's My day: today and tomorrow, the queue, decisions, today's check-in.

    Every read shares one transaction (``read_together``): one ``BEGIN`` instead of four;
    pass a read-only unit of work where there is one.
    """
    require(actor, "me.read")
    person = org.person(actor.person_id)
    tz = person.schedule.tz
    now = clock.now()
    today = now.astimezone(tz).date()
    tomorrow = today + timedelta(days=1)
    start = local_day_bounds(today, tz).start
    end = local_day_bounds(tomorrow, tz).end
    with read_together(unit_of_work) as reads:
        attended = meetings_for(reads(), actor, person.id, start, end)
        queued = page_queue(reads(), clock, actor, QUEUE_SHOWN)
        waiting = _waiting(reads(), org, actor, now, person.zone)
        checkin = _checkin(reads, clock, org, actor)
    meetings = [
        MeetingSpan(m.record.id, m.record.title, m.record.kind, m.record.starts_at,
                    m.record.ends_at, tuple((a.person, a.name, a.zone) for a in m.record.attendees))
        for m in attended
    ]  # fmt: skip
    days = (
        day_timeline(org, person, today, now, meetings, f"Today, {today:%a} {today.day} {today:%b}"),
        day_timeline(org, person, tomorrow, now, meetings,
                     f"Tomorrow, {tomorrow:%a} {tomorrow.day} {tomorrow:%b}"),
    )  # fmt: skip
    queue = tuple(
        DueItem(item.row.thread_id, item.row.title, item.row.kind, item.row.team,
                item.row.author, due_text(item.row.respond_by, now, tz), item.overdue)
        for item in queued.items
    )  # fmt: skip
    local_now = now.astimezone(tz)
    return MyDay(
        person.name, person.zone, f"{local_now:%a} {local_now.day} {local_now:%b} {local_now:%H:%M}",
        days, queue, queued.total - len(queue), tuple(waiting), checkin,
    )  # fmt: skip


def check_day_of(uow: HubUnitOfWork, actor: Actor, person: str) -> None:
    """My day is its person's alone (it shows their mood and day mode): ``ForbiddenError``
    for anyone else who exists, ``NotFoundError`` for an unknown person."""
    with uow:
        info = uow.threads.person(person)
    if info is None or not info.active:
        raise not_found(PersonRef(person, ""))
    if not can(actor, "mood.read", PersonRef(info.key, info.team)):
        raise ForbiddenError(
            f"My day of {info.name} is theirs alone: it shows their mood and day mode, which "
            "only they read. Your own day is on My day.",
            person=info.key,
        )

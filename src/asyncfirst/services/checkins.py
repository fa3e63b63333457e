"""Use cases of check-ins (async stand-ups): post one, and who to prompt now.

**The day.** A check-in belongs to its author's local day (the date in their own zone
when they post). On a day that is not a working day for them (no working hours that
weekday, a public holiday of their calendar, time off) it is refused with an
``InputError`` that says why.

**Once a day, correctable.** Posting again the same local day *replaces* that day's
check-in (answers, blockers, mood, day mode), so a typo or a blocker solved by noon can
be fixed without a second entry; the API answers 201 for a new check-in and 200 for a
replaced one (``CheckinView.created``).

**Prompts.** ``due_prompts`` is pure: the people whose first shift of their local working
day started within the last ``within`` (15 minutes by default). A job that runs it every
``within`` prompts each person once per working day; there is no runner yet.

Reads (the feed, one's own check-ins, the team's mood) live in ``checkin_views``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from asyncfirst.domain.checkins import (
    BLOCKERS_QUESTION,
    DEFAULT_QUESTIONS,
    check_day_mode,
    check_mood,
    first_shift_start,
    not_a_working_day,
)
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Actor, TeamRef, require
from asyncfirst.services.checkin_ports import NewCheckin
from asyncfirst.services.checkin_views import CheckinView, own_checkin
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.ports import Clock

__all__ = ["ANSWER_MAX", "CheckinPrompt", "due_prompts", "post_checkin", "questions_of"]

ANSWER_MAX = 5_000
PROMPT_WINDOW = timedelta(minutes=15)


def questions_of(_org: Organisation, _team: str) -> tuple[str, ...]:
    """The team's check-in questions: the defaults until the charter can set its own."""
    return DEFAULT_QUESTIONS


def _answers(questions: tuple[str, ...], answers: Mapping[str, str]) -> dict[str, str]:
    """Answers keyed by question, in the questions' order; blockers are answered apart."""
    askable = [q for q in questions if q != BLOCKERS_QUESTION]
    unknown = [q for q in answers if q not in askable]
    if unknown:
        raise InputError(
            f"unknown question(s): {', '.join(unknown)}; the questions are: "
            + "; ".join(askable) + f' ("{BLOCKERS_QUESTION}" is answered by blockers)',
            field="answers", value=unknown,
        )  # fmt: skip
    kept = {}
    for question in askable:
        text = answers.get(question, "").strip()
        if len(text) > ANSWER_MAX:
            raise InputError(
                f'the answer to "{question}" is {len(text)} characters; at most {ANSWER_MAX}',
                field="answers",
            )
        if text:
            kept[question] = text
    return kept


def post_checkin(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    answers: Mapping[str, str],
    blockers: str = "",
    mood: int | None = None,
    day_mode: str | None = None,
) -> CheckinView:
    """The actor's check-in for their local day, new or replacing that day's (see above)."""
    person = org.person(actor.person_id)
    schedule = person.schedule
    now = clock.now()
    today = now.astimezone(schedule.tz).date()
    why = not_a_working_day(schedule, today)
    if why is not None:
        raise InputError(
            f"{today.isoformat()} is not a working day for {person.id} ({person.zone}): {why}; "
            "check in on your next working day",
            field="local_date", value=today.isoformat(), reason=why,
        )  # fmt: skip
    kept = _answers(questions_of(org, person.team_id), answers)
    blocked = blockers.strip()
    if len(blocked) > ANSWER_MAX:
        raise InputError(f"blockers is {len(blocked)} characters; at most {ANSWER_MAX}",
                         field="blockers")  # fmt: skip
    if not kept and not blocked:
        raise InputError("the check-in is empty; answer at least one question", field="answers")
    checkin = NewCheckin(
        person.team_id, person.id, today, person.zone, kept, blocked, check_mood(mood),
        check_day_mode(day_mode), now,
    )  # fmt: skip
    with uow:
        require(actor, "checkin.post", TeamRef(person.team_id))
        checkin_id, created = uow.checkins.save(checkin)
        view = own_checkin(uow, actor, today, checkin_id, created)
        uow.commit()
    return view


@dataclass(frozen=True, slots=True)
class CheckinPrompt:
    """Ask ``person`` the team's questions for their local day, from ``at`` (UTC)."""

    person: str
    team: str
    local_date: date
    zone: str
    at: datetime
    questions: tuple[str, ...]


def due_prompts(
    org: Organisation, clock: Clock, within: timedelta = PROMPT_WINDOW
) -> list[CheckinPrompt]:
    """Who to prompt now: first shift start of a local working day in ``(now - within, now]``."""
    now = clock.now()
    since = now - within
    due = []
    for person in org.people:
        schedule = person.schedule
        days = sorted({since.astimezone(schedule.tz).date(), now.astimezone(schedule.tz).date()})
        for day in days:
            start = first_shift_start(schedule, day)
            if start is not None and since < start <= now:
                due.append(
                    CheckinPrompt(person.id, person.team_id, day, person.zone, start,
                                  questions_of(org, person.team_id))
                )  # fmt: skip
    return sorted(due, key=lambda p: (p.at, p.person))

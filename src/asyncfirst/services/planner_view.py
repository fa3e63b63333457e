"""Read model of the web Planner: a proposed meeting's fair slots, relay and async options.

The ranking is ``services.slots.find_slots`` (inside hours first, then the least and the
fairest inconvenience); the relay is the one ``rank_slots`` proposes when no time keeps
everyone inside hours; the async alternative is ``scheduling.async_briefing``: a written
briefing at the start of the first attendee's week and each zone's answer due within its
team's respond-by, counted in its own working time. Every time is shown on each attendee's
own clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.meetings import MEETING_KINDS, MeetingKind
from asyncfirst.domain.model import Organisation, Person, Team
from asyncfirst.domain.worktime import add_working_minutes, working_time
from asyncfirst.scheduling.async_briefing import (
    DEFAULT_RESPOND_BY_HOURS,
    AsyncOccurrence,
    PersonDue,
    ZoneDue,
)
from asyncfirst.scheduling.bands import PersonCost
from asyncfirst.scheduling.relay import city
from asyncfirst.scheduling.series_options import KIND_NEEDS, LiveNeed
from asyncfirst.scheduling.slots import Candidate
from asyncfirst.services.overlap import monday_of
from asyncfirst.services.slots import find_slots

__all__ = [
    "DURATIONS",
    "KINDS",
    "AttendeeTime",
    "MeetingProposal",
    "PlannedSlot",
    "PlannerResult",
    "RelayRow",
    "attendee_choices",
    "plan_meeting",
]

KINDS: tuple[MeetingKind, ...] = tuple(k for k in MEETING_KINDS if k != "coffee")
_NEEDS: dict[str, LiveNeed] = {  # the stored kinds on the series planner's scale
    "alignment": KIND_NEEDS["alignment"], "workshop": KIND_NEEDS["workshop"],
    "kickoff": KIND_NEEDS["kick-off"], "troubleshooting": KIND_NEEDS["troubleshooting"],
    "pairing": LiveNeed.EVERYONE, "decision": KIND_NEEDS["decision"],
}  # fmt: skip
DURATIONS: tuple[int, ...] = (15, 30, 45, 60, 90, 120)
SEARCH_DAYS = 7
SLOT_LIMIT = 5
STEP_MINUTES = 30  # starts on the half hour: half the grid of 15, inside the page budget
SEARCH_LIMIT = 60  # ranked candidates looked at to find SLOT_LIMIT distinct ones
MAX_WHY = 500
MAX_TITLE = 200


@dataclass(frozen=True, slots=True)
class MeetingProposal:
    """What the person proposes; ``check`` says in words what is wrong with it."""

    title: str
    attendees: tuple[str, ...]
    duration_minutes: int
    kind: str
    why_sync: str
    start_day: date

    def check(self, org: Organisation) -> tuple[Person, ...]:
        if not self.title.strip():
            raise InputError("give the meeting a title", field="title")
        if len(self.title) > MAX_TITLE:
            raise InputError(f"the title is over {MAX_TITLE} characters", field="title")
        if self.kind not in KINDS:
            raise InputError(
                f'kind "{self.kind}" is unknown — known: {", ".join(KINDS)}', field="kind"
            )
        if self.duration_minutes not in DURATIONS:
            allowed = ", ".join(map(str, DURATIONS))
            raise InputError(f"duration must be one of {allowed} minutes", field="duration")
        if not self.why_sync.strip():
            raise InputError(
                "say why this needs to be live: every sync meeting says why it is sync",
                field="why_sync",
            )
        if len(self.why_sync) > MAX_WHY:
            raise InputError(f"the reason is over {MAX_WHY} characters", field="why_sync")
        people = org.resolve_all(self.attendees) if self.attendees else ()
        if len(people) < 2:
            raise InputError("choose at least two attendees", field="attendees")
        return people


@dataclass(frozen=True, slots=True)
class AttendeeTime:
    person_id: str
    name: str
    city: str
    local: str  # e.g. "Tue 24 Nov 13:00–13:30"
    status: str  # inside, stretch, out of hours, blocked
    reason: str

    @property
    def inside(self) -> bool:
        return self.status == "inside"


def _attendee(cost: PersonCost) -> AttendeeTime:
    start, end = cost.local_start, cost.local_end
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %H:%M}"
    if cost.blocked is not None:
        status = "blocked"
    elif cost.inside_hours:
        status = "inside"
    elif cost.category.value == "stretch":
        status = "stretch"
    else:
        status = "out of hours"
    return AttendeeTime(
        cost.person_id, cost.name, city(cost.zone), f"{start:%a %d %b %H:%M}–{end_text}", status,
        cost.reason,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlannedSlot:
    rank: int
    start: datetime
    end: datetime
    attendees: tuple[AttendeeTime, ...]
    total_cost: float
    max_cost: float

    @property
    def all_inside(self) -> bool:
        return all(a.inside for a in self.attendees)

    @property
    def value(self) -> str:
        """The form value that confirms this slot: its UTC start."""
        return self.start.isoformat()


def _slot(rank: int, candidate: Candidate) -> PlannedSlot:
    return PlannedSlot(
        rank, candidate.start, candidate.end,
        tuple(_attendee(a) for a in candidate.attendees),
        round(candidate.total_cost, 1), round(candidate.max_cost, 1),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class RelayRow:
    label: str
    attendees: tuple[AttendeeTime, ...]


@dataclass(frozen=True)
class PlannerResult:
    proposal: MeetingProposal
    people: tuple[Person, ...]
    need: LiveNeed
    slots: tuple[PlannedSlot, ...]
    explanation: str
    relay: tuple[RelayRow, ...]
    relay_recap: str | None
    async_option: AsyncOccurrence

    @property
    def advice(self) -> str:
        """Which format fits the kind, in one sentence."""
        kind = self.proposal.kind
        if self.need is LiveNeed.NONE:
            return f"A {kind} travels well in writing: consider the async option below."
        if self.need is LiveNeed.REGIONAL and self.relay:
            return f"A {kind} works in regional groups: the relay keeps everyone in hours."
        if self.slots and self.slots[0].all_inside:
            return f"A {kind} needs everyone live, and the best slot is inside everyone's hours."
        return f"A {kind} needs everyone live: the slots below share the inconvenience fairly."

    def slot(self, start: datetime) -> PlannedSlot | None:
        return next((s for s in self.slots if s.start == start), None)


def _async_option(
    people: Sequence[Person], after: datetime, hours_of: dict[str, float]
) -> AsyncOccurrence:
    """A written briefing when the first attendee is next at work after ``after``, and each
    attendee's answer due within their team's respond-by, in their own working time."""
    starts = [
        iv.start
        for p in people
        for iv in working_time(p.schedule, after, after + timedelta(days=14))[:1]
    ]
    briefing = min(starts, default=after)
    zones: dict[str, list[PersonDue]] = {}
    for person in people:
        hours = hours_of.get(person.team_id, DEFAULT_RESPOND_BY_HOURS)
        due = add_working_minutes(person.schedule, briefing, hours * 60)
        zones.setdefault(person.zone, []).append(
            PersonDue(person.id, person.name, hours, due.astimezone(person.schedule.tz))
        )
    return AsyncOccurrence(
        monday_of(briefing.date()),
        briefing,
        tuple(ZoneDue(z, max(p.due for p in dues), tuple(dues)) for z, dues in zones.items()),
    )


def _spread(candidates: Sequence[Candidate], now: datetime, limit: int) -> list[Candidate]:
    """The best candidates in rank order that start after ``now`` and do not overlap a
    better one already kept (so the options are real alternatives, not 15-minute nudges)."""
    kept: list[Candidate] = []
    for candidate in candidates:
        if candidate.start < now:
            continue
        if any(candidate.start < k.end and k.start < candidate.end for k in kept):
            continue
        kept.append(candidate)
        if len(kept) == limit:
            break
    return kept


def plan_meeting(
    org: Organisation, proposal: MeetingProposal, now: datetime, *, days: int = SEARCH_DAYS
) -> PlannerResult:
    """Rank slots for ``proposal`` over ``days`` days from its start day (none before
    ``now``), with the relay and async alternatives."""
    people = proposal.check(org)
    report = find_slots(
        org, [p.id for p in people], proposal.duration_minutes, proposal.start_day, days,
        limit=SEARCH_LIMIT, step_minutes=STEP_MINUTES,
    )  # fmt: skip
    search = report.search
    relay = search.relay
    relay_rows = (
        tuple(RelayRow(s.label, tuple(_attendee(a) for a in s.attendees)) for s in relay.sessions)
        if relay is not None
        else ()
    )
    horizon_start = datetime.combine(proposal.start_day, time(), UTC)
    briefing = _async_option(
        people, max(now, horizon_start), {t.id: t.respond_by_hours for t in org.teams}
    )
    slots = _spread(search.candidates, now, SLOT_LIMIT)
    return PlannerResult(
        proposal=proposal,
        people=people,
        need=_NEEDS[proposal.kind],
        slots=tuple(_slot(i, c) for i, c in enumerate(slots, start=1)),
        explanation=search.explanation,
        relay=relay_rows,
        relay_recap=relay.recap if relay is not None else None,
        async_option=briefing,
    )


def attendee_choices(org: Organisation) -> Sequence[tuple[Team, tuple[Person, ...]]]:
    """Every team in charter order with its members, for the form."""
    return [(team, org.members(team.id)) for team in org.teams]

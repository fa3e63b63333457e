"""Use cases of meetings: schedule one, cancel one, confirm an escalated decision's proposed
slot, and list a person's meetings with each attendee's zone and local times.

**Scheduling** (``schedule_meeting``; the web planner and the API call it): a team's
member, its lead or an org admin schedules a meeting *of that team*; attendees may come
from any team (person or team ids). The organiser always attends. The rules of its times
are ``domain.meetings.check_meeting_times`` (aware, end after start, at most eight hours,
not in the past), and every meeting says why it is sync.

**From a decision** (``confirm_decision_meeting``): when a decision escalated, the service
proposed the fairest 30-minute slot for its deciders (``services.decisions``). Any decider
confirms it: the meeting is made once, with the deciders, the decision's reason for
escalating as its why, and the decision (and its thread) as pre-read. Confirming again
returns the same meeting.

**Cancelling**: the organiser, the team's lead or an org admin; the meeting stays stored
with ``cancelled_at`` (calendar feeds show it as cancelled); cancelling again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from asyncfirst.domain.errors import InputError, UnknownEntityError
from asyncfirst.domain.meetings import check_meeting_times, meeting_kind
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.services.access import (
    Actor,
    DecisionRef,
    MeetingRef,
    PersonRef,
    TeamRef,
    not_found,
    require,
)
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.meeting_ports import AttendeeZone, MeetingRecord, NewMeeting
from asyncfirst.services.ports import Clock

__all__ = [
    "MAX_ATTENDEES",
    "MAX_RANGE_DAYS",
    "Confirmed",
    "MeetingView",
    "cancel_meeting",
    "confirm_decision_meeting",
    "meeting_ref",
    "meetings_for",
    "schedule_meeting",
    "show_meeting",
]

TITLE_MAX = 200
WHY_MAX = 5_000
MAX_ATTENDEES = 200
MAX_RANGE_DAYS = 366


def _local(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


@dataclass(frozen=True, slots=True)
class MeetingView:
    """A meeting as people read it: UTC times, and each attendee's zone and local times."""

    record: MeetingRecord

    def to_dict(self) -> dict[str, Any]:
        m = self.record
        return {
            "id": m.id,
            "team": m.team,
            "title": m.title,
            "kind": m.kind,
            "why_sync": m.why_sync,
            "starts_at": m.starts_at.isoformat(),
            "ends_at": m.ends_at.isoformat(),
            "organiser": {"id": m.organiser, "name": m.organiser_name},
            "source": m.source,
            "decision_id": m.decision_id,
            "created_at": m.created_at.isoformat(),
            "cancelled_at": None if m.cancelled_at is None else m.cancelled_at.isoformat(),
            "attendees": [
                {
                    "id": a.person,
                    "name": a.name,
                    "zone": a.zone,
                    "local_start": _local(m.starts_at, a.zone),
                    "local_end": _local(m.ends_at, a.zone),
                }
                for a in m.attendees
            ],
        }


@dataclass(frozen=True, slots=True)
class Confirmed:
    """The meeting of a decision, and whether this call made it (False: it existed)."""

    view: MeetingView
    created: bool


def meeting_ref(record: MeetingRecord) -> MeetingRef:
    return MeetingRef(
        record.id, record.team, record.organiser, frozenset(a.person for a in record.attendees)
    )


def _text(value: str, name: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError(f"{name} is empty; write something", field=name)
    if len(text) > limit:
        raise InputError(f"{name} is {len(text)} characters; at most {limit}", field=name)
    return text


def _attendees(
    uow: HubUnitOfWork, org: Organisation, organiser: str, wanted: Sequence[str]
) -> list[Person]:
    """The organiser, then the people named (person or team ids), each once."""
    idents = [w.strip() for w in wanted if w.strip()]
    if len(idents) > MAX_ATTENDEES:
        raise InputError(f"{len(idents)} attendees; at most {MAX_ATTENDEES}", field="attendees")
    unknown = []
    for ident in dict.fromkeys(idents):
        info = None if org.is_team(ident) else uow.threads.person(ident)
        if not org.is_team(ident) and (info is None or not info.active):
            unknown.append(ident)
    if unknown:
        raise UnknownEntityError(
            f"unknown attendee(s): {', '.join(unknown)}; name person or team ids of the charter",
            field="attendees", value=unknown,
        )  # fmt: skip
    people = {organiser: org.person(organiser)}
    for person in org.resolve_all(idents) if idents else ():
        people.setdefault(person.id, person)
    return list(people.values())


def _reread(uow: HubUnitOfWork, meeting_id: int) -> MeetingView:
    record = uow.meetings.meeting(meeting_id)
    if record is None:  # pragma: no cover - just written in the same transaction
        raise RuntimeError(f"meeting {meeting_id} vanished")
    return MeetingView(record)


def schedule_meeting(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    *,
    team: str,
    title: str,
    kind: str,
    why_sync: str,
    starts_at: datetime,
    ends_at: datetime,
    attendees: Sequence[str] = (),
) -> MeetingView:
    """Schedule a meeting of ``team`` organised by the actor (see the module docstring)."""
    title, why = _text(title, "title", TITLE_MAX), _text(why_sync, "why_sync", WHY_MAX)
    known_kind = meeting_kind(kind)
    now = clock.now()
    slot = check_meeting_times(starts_at, ends_at, now)
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "meeting.schedule", TeamRef(team))
        people = _attendees(uow, org, actor.person_id, attendees)
        meeting_id = uow.meetings.add(
            NewMeeting(team, title, known_kind, why, slot.start, slot.end, actor.person_id,
                       "planner", None, now),
            [AttendeeZone(p.id, p.zone) for p in people],
        )  # fmt: skip
        view = _reread(uow, meeting_id)
        uow.commit()
    return view


def _visible(uow: HubUnitOfWork, actor: Actor, meeting_id: int) -> MeetingRecord:
    record = uow.meetings.meeting(meeting_id)
    if record is None:
        raise not_found(MeetingRef(meeting_id, "", ""))
    require(actor, "meeting.read", meeting_ref(record))
    return record


def show_meeting(uow: HubUnitOfWork, actor: Actor, meeting_id: int) -> MeetingView:
    with uow:
        return MeetingView(_visible(uow, actor, meeting_id))


def cancel_meeting(uow: HubUnitOfWork, clock: Clock, actor: Actor, meeting_id: int) -> MeetingView:
    """Cancel a meeting (its organiser, its team's lead, an org admin); again changes nothing."""
    with uow:
        record = _visible(uow, actor, meeting_id)
        require(actor, "meeting.cancel", meeting_ref(record))
        if record.cancelled_at is None:
            uow.meetings.cancel(meeting_id, clock.now())
            record = _visible(uow, actor, meeting_id)
            uow.commit()
    return MeetingView(record)


def _aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(f"{name} {value.isoformat()} has no time zone; give an offset", field=name)


def meetings_for(
    uow: HubUnitOfWork, actor: Actor, person: str, start: datetime, end: datetime
) -> list[MeetingView]:
    """The person's meetings (not cancelled) overlapping ``[start, end)``, by start time.

    Read by the person themself, their team's lead or an org admin (``meeting.list``)."""
    _aware(start, "from")
    _aware(end, "to")
    if end <= start:
        raise InputError(f"to {end.isoformat()} is not after from {start.isoformat()}", field="to")
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise InputError(f"the range is longer than {MAX_RANGE_DAYS} days", field="to")
    with uow:
        info = uow.threads.person(person)
        if info is None or not info.active:
            raise not_found(PersonRef(person, ""))
        require(actor, "meeting.list", PersonRef(info.key, info.team))
        records = uow.meetings.attended_by(person, start, end)
    return [MeetingView(r) for r in records]


def confirm_decision_meeting(
    uow: HubUnitOfWork, clock: Clock, org: Organisation, actor: Actor, decision_id: int
) -> Confirmed:
    """A decider confirms the meeting an escalated decision proposed (once; again: the same)."""
    with uow:
        record = uow.decisions.decision(decision_id)
        if record is None:
            raise not_found(DecisionRef(decision_id, "", ""))
        ref = DecisionRef(
            record.id, record.team, record.author, frozenset(d.person for d in record.deciders)
        )
        require(actor, "decision.read", ref)
        require(actor, "decision.meeting", ref)
        existing = uow.meetings.of_decision(decision_id)
        if existing is not None:
            return Confirmed(_reread(uow, existing), created=False)
        if record.state != "escalated":
            raise InputError(
                f"decision {decision_id} is {record.state}, not escalated: only an escalated "
                "decision proposes a meeting",
                field="decision_id", state=record.state,
            )  # fmt: skip
        if record.meeting_start is None or record.meeting_end is None:
            raise InputError(
                f"decision {decision_id} escalated without a proposed slot (no time fitted "
                "its deciders); schedule a meeting with POST /api/v1/meetings",
                field="decision_id",
            )  # fmt: skip
        now = clock.now()
        if record.meeting_start < now:
            raise InputError(
                f"the proposed slot of decision {decision_id} ({record.meeting_start.isoformat()})"
                " has passed; schedule a meeting with POST /api/v1/meetings",
                field="decision_id",
            )  # fmt: skip
        slot = check_meeting_times(record.meeting_start, record.meeting_end, now)
        pre_read = f"decision {record.id}" + (
            f" and thread {record.thread_id}" if record.thread_id is not None else ""
        )
        why = f"Decision escalated: {record.escalated_reason or 'no reason recorded'}. Pre-read: {pre_read}."
        deciders = [AttendeeZone(d.person, d.zone) for d in record.deciders]
        if actor.person_id not in {d.person for d in deciders}:  # pragma: no cover - checked
            deciders.insert(0, AttendeeZone(actor.person_id, org.person(actor.person_id).zone))
        meeting_id = uow.meetings.add(
            NewMeeting(record.team, f"Decide: {record.title}"[:TITLE_MAX], "decision", why,
                       slot.start, slot.end, actor.person_id, "decision", record.id, now),
            deciders,
        )  # fmt: skip
        view = _reread(uow, meeting_id)
        uow.commit()
    return Confirmed(view, created=True)

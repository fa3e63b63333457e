"""Use cases of decisions: open, respond, withdraw, read, and escalate those that stall.

**Decide-by.** Each decider gets their own decide-by, counted in their own working time
(hours, holidays, time off) from the moment of opening; the decision's decide-by is the
latest of them, so nobody's deadline falls before they have had the full time. The time is

- ``decide_within_days`` working days, where one working day of a person is the length of
  their average working day (weekly working hours / working weekdays: 8.5 h for Paris'
  09:00–17:30, 9 h for Tokyo's 09:30–18:30); or
- ``decide_within_hours`` working hours; or, by default,
- the decision's team's ``decision_deadline_hours`` working hours (the charter).

**Escalation.** A decision escalates when its decide-by passes without a result (the
``escalate_decisions`` job, every minute: docs/jobs.md), when objections persist
after ``max_rounds`` consent rounds, or at once when opened urgent and critical. It then
proposes a 30-minute sync meeting of the deciders at the fairest slot (``rank_slots``, the
best candidate) between the moment of escalation and the end of the latest decider's next
five working days, records the reason in words and the slot, and names the decision (and
its thread, if any) as the pre-read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from asyncfirst.domain.decisions import (
    DECISION_MODES,
    REASON_DEADLINE,
    REASON_URGENT,
    Ballot,
    DecisionMode,
    check_choice,
    check_rules,
    outcome,
    require_open,
)
from asyncfirst.domain.errors import InputError, UnknownEntityError
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.domain.worktime import add_working_minutes
from asyncfirst.scheduling.slots import rank_slots
from asyncfirst.services.access import Actor, DecisionRef, TeamRef, ThreadRef, not_found, require
from asyncfirst.services.decision_ports import (
    DeciderDue,
    DecisionChange,
    DecisionRecord,
    NewDecision,
)
from asyncfirst.services.decision_views import DecisionView
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.paging import PAGE_DEFAULT, check_limit, cursor_text, parse_cursor
from asyncfirst.services.ports import Clock

__all__ = [
    "ESCALATION_HORIZON_DAYS",
    "ESCALATION_MEETING_MINUTES",
    "decide_by_of",
    "escalate_due",
    "escalate_if_past",
    "escalation_horizon",
    "list_decisions",
    "open_decision",
    "page_decisions",
    "propose_meeting",
    "respond",
    "show_decision",
    "withdraw",
]

ESCALATION_MEETING_MINUTES = 30
ESCALATION_HORIZON_DAYS = 5
TITLE_MAX = 200
BODY_MAX = 20_000
OPTION_MAX = 200


def _text(value: str, name: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError(f"{name} is empty; write something", field=name)
    if len(text) > limit:
        raise InputError(f"{name} is {len(text)} characters; at most {limit}", field=name)
    return text


def _mode(mode: str) -> DecisionMode:
    for known in DECISION_MODES:
        if mode == known:
            return known
    raise InputError(
        f'mode "{mode}" is not one of: {", ".join(DECISION_MODES)}', field="mode", value=mode
    )


def day_minutes(person: Person) -> float:
    """The length of the person's average working day, in minutes."""
    days = sum(1 for shifts in person.hours.days if shifts)
    if not days:
        raise InputError(f"{person.id} has no working days", field="deciders", value=person.id)
    return person.hours.weekly_minutes / days


def decide_by_of(
    org: Organisation,
    person: Person,
    team: str,
    opened: datetime,
    hours: float | None = None,
    days: float | None = None,
) -> datetime:
    """One decider's decide-by, in their working time (see the module docstring)."""
    if days is not None:
        minutes = days * day_minutes(person)
    else:
        minutes = (org.team(team).decision_deadline_hours if hours is None else hours) * 60
    return add_working_minutes(person.schedule, opened, minutes)


def escalation_horizon(people: Sequence[Person], now: datetime) -> Interval:
    """From ``now`` to the end of the latest person's next five working days."""
    end = max(
        add_working_minutes(p.schedule, now, ESCALATION_HORIZON_DAYS * day_minutes(p))
        for p in people
    )
    return Interval(now, max(end, now + timedelta(minutes=ESCALATION_MEETING_MINUTES)))


def propose_meeting(people: Sequence[Person], now: datetime) -> Interval | None:
    """The fairest 30-minute slot for ``people`` in the escalation horizon (None: none fits)."""
    horizon = escalation_horizon(people, now)
    search = rank_slots(people, ESCALATION_MEETING_MINUTES, horizon.start, horizon.end, limit=1)
    return search.candidates[0].interval if search.candidates else None


def _ref(record: DecisionRecord) -> DecisionRef:
    return DecisionRef(
        record.id, record.team, record.author, frozenset(d.person for d in record.deciders)
    )


def _known(uow: HubUnitOfWork, key: str) -> bool:
    info = uow.threads.person(key)
    return info is not None and info.active


def _deciders(uow: HubUnitOfWork, org: Organisation, wanted: Sequence[str]) -> list[Person]:
    """The people named (person or team ids), each once, in the order given."""
    idents = list(dict.fromkeys(w.strip() for w in wanted))
    unknown = [i for i in idents if not org.is_team(i) and not _known(uow, i)]
    if unknown:
        raise UnknownEntityError(
            f"unknown decider(s): {', '.join(unknown)}", field="deciders", value=unknown
        )
    people = {p.id: p for p in org.resolve_all(idents)}
    return list(people.values())


def _check_thread(uow: HubUnitOfWork, actor: Actor, thread_id: int) -> None:
    """The pre-read thread must exist and be readable by the author."""
    thread = uow.threads.thread(thread_id)
    if thread is None:
        raise not_found(ThreadRef(thread_id, "", ""))
    recipients = frozenset(r.person for r in thread.recipients)
    require(actor, "thread.read", ThreadRef(thread.id, thread.team, thread.author, recipients))


def _escalate(
    uow: HubUnitOfWork, org: Organisation, record: DecisionRecord, reason: str, now: datetime
) -> None:
    charter = {p.id: p for p in org.people}
    people = [charter[d.person] for d in record.deciders if d.person in charter]
    slot = propose_meeting(people, now) if people else None
    uow.decisions.change(
        record.id,
        DecisionChange(
            "escalated", record.round, escalated_reason=reason, closed_at=now,
            meeting_start=slot.start if slot else None, meeting_end=slot.end if slot else None,
        ),
    )  # fmt: skip


def _reread(uow: HubUnitOfWork, decision_id: int) -> DecisionView:
    record = uow.decisions.decision(decision_id)
    if record is None:  # pragma: no cover - just written in the same transaction
        raise RuntimeError(f"decision {decision_id} vanished")
    return DecisionView(record)


def open_decision(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    team: str,
    *,
    title: str,
    body: str,
    mode: str,
    deciders: Sequence[str],
    options: Sequence[str] = (),
    quorum: int | None = None,
    decide_within_hours: float | None = None,
    decide_within_days: float | None = None,
    urgent: bool = False,
    critical: bool = False,
    max_rounds: int = 2,
    thread_id: int | None = None,
) -> DecisionView:
    """Open a decision of ``team``; urgent and critical together escalate it at once."""
    title, body = _text(title, "title", TITLE_MAX), _text(body, "body", BODY_MAX)
    decision_mode = _mode(mode)
    choices = tuple(_text(o, "options", OPTION_MAX) for o in options)
    if decide_within_hours is not None and decide_within_days is not None:
        raise InputError("give decide_within_hours or decide_within_days, not both")
    if max_rounds < 1:
        raise InputError(f"max_rounds must be at least 1, got {max_rounds}", field="max_rounds")
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "decision.open", TeamRef(team))
        if thread_id is not None:
            _check_thread(uow, actor, thread_id)
        people = _deciders(uow, org, deciders)
        needed = len(people) if quorum is None else quorum
        check_rules(decision_mode, choices, [p.id for p in people], needed)
        now = clock.now()
        dues = [
            DeciderDue(p.id, decide_by_of(org, p, team, now, decide_within_hours,
                                          decide_within_days), p.zone)
            for p in people
        ]  # fmt: skip
        decision_id = uow.decisions.add_decision(
            NewDecision(
                team, actor.person_id, title, body, thread_id, decision_mode, choices, needed,
                max(d.decide_by for d in dues), urgent, critical, max_rounds, now,
            ),
            dues,
        )  # fmt: skip
        if urgent and critical:
            record = uow.decisions.decision(decision_id)
            if record is not None:
                _escalate(uow, org, record, REASON_URGENT, now)
        view = _reread(uow, decision_id)
        uow.commit()
    return view


def _visible(uow: HubUnitOfWork, actor: Actor, decision_id: int) -> DecisionRecord:
    record = uow.decisions.decision(decision_id)
    if record is None:
        raise not_found(DecisionRef(decision_id, "", ""))
    require(actor, "decision.read", _ref(record))
    return record


def respond(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    decision_id: int,
    choice: str,
) -> DecisionView:
    """A decider's response in the current round; it may decide, advance or escalate."""
    choice = choice.strip()
    with uow:
        record = _visible(uow, actor, decision_id)
        require(actor, "decision.respond", _ref(record))
        require_open(record.id, record.state)
        check_choice(record.mode, record.options, choice)
        now = clock.now()
        uow.decisions.add_response(record.id, actor.person_id, choice, record.round, now)
        ballots = [Ballot(r.person, r.choice, r.round) for r in record.responses]
        ballots.append(Ballot(actor.person_id, choice, record.round))
        result = outcome(
            record.mode, record.options, record.quorum, record.round, record.max_rounds, ballots
        )
        if result.state == "escalated":
            _escalate(uow, org, record, result.reason or "", now)
        elif result.state == "decided":
            uow.decisions.change(
                record.id, DecisionChange("decided", result.round, result.option, closed_at=now)
            )
        elif result.round != record.round:
            uow.decisions.change(record.id, DecisionChange("open", result.round))
        view = _reread(uow, record.id)
        uow.commit()
    return view


def withdraw(uow: HubUnitOfWork, clock: Clock, actor: Actor, decision_id: int) -> DecisionView:
    """The author (or the team's lead) takes an open decision back."""
    with uow:
        record = _visible(uow, actor, decision_id)
        require(actor, "decision.withdraw", _ref(record))
        require_open(record.id, record.state)
        uow.decisions.change(
            record.id, DecisionChange("withdrawn", record.round, closed_at=clock.now())
        )
        view = _reread(uow, record.id)
        uow.commit()
    return view


def show_decision(uow: HubUnitOfWork, actor: Actor, decision_id: int) -> DecisionView:
    with uow:
        return DecisionView(_visible(uow, actor, decision_id))


def list_decisions(uow: HubUnitOfWork, actor: Actor, team: str) -> list[DecisionView]:
    """The team's decisions: open ones first by decide-by, then the rest newest first."""
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "team.read", TeamRef(team))
        records = uow.decisions.team_decisions(team)
    open_ = sorted((r for r in records if r.state == "open"), key=lambda r: (r.decide_by, r.id))
    closed = [r for r in records if r.state != "open"]
    return [DecisionView(r) for r in [*open_, *closed]]


def page_decisions(
    uow: HubUnitOfWork,
    actor: Actor,
    team: str,
    limit: int = PAGE_DEFAULT,
    cursor: str | None = None,
) -> tuple[list[DecisionView], str | None]:
    """A page of ``list_decisions``'s list (same order) and the next page's cursor (None on
    the last), read from the database page by page."""
    check_limit(limit)
    after = None if cursor is None else parse_cursor(cursor)
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "team.read", TeamRef(team))
        records = uow.decisions.team_decisions_page(team, limit + 1, after)
    page = records[:limit]
    if len(records) <= limit:
        return [DecisionView(r) for r in page], None
    last = page[-1]
    next_cursor = cursor_text(last.decide_by if last.state == "open" else None, last.id)
    return [DecisionView(r) for r in page], next_cursor


def escalate_if_past(
    uow: HubUnitOfWork, org: Organisation, decision_id: int, now: datetime
) -> DecisionView | None:
    """Inside the caller's open transaction: escalate the decision if it is still open and
    its decide-by has passed (the escalated view), else None. The caller commits."""
    record = uow.decisions.decision(decision_id)
    if record is None or record.state != "open" or record.decide_by > now:
        return None
    _escalate(uow, org, record, REASON_DEADLINE, now)
    return _reread(uow, decision_id)


def escalate_due(uow: HubUnitOfWork, clock: Clock, org: Organisation) -> list[DecisionView]:
    """Escalate every open decision whose decide-by has passed; the escalated views."""
    now = clock.now()
    with uow:
        escalated = []
        for decision_id in uow.decisions.open_past(now):
            view = escalate_if_past(uow, org, decision_id, now)
            if view is not None:
                escalated.append(view)
        uow.commit()
    return escalated

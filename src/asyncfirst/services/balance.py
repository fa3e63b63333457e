"""Use case (a read): the balance and reflection report over a period.

Reads each person's calendar through a port, computes their weekly metrics, and builds
team sections whose every number goes through the privacy gate. Per-person detail is
produced only for the one person a report is for (``person_id``).

Reading and measuring a calendar is independent per person, so a large organisation is
read in worker processes (``workers``); results are taken back in charter order, so the
report is the same whatever the number of workers. The ``PersonCalendars`` port must then
be picklable (a folder, bytes in memory), as the workers get their own copy.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from multiprocessing.context import BaseContext
from typing import Any, Protocol

from asyncfirst.analytics.aggregate import TeamAggregate, pooled_async_share, team_aggregate
from asyncfirst.analytics.metrics import WeekMetrics, person_metrics
from asyncfirst.analytics.privacy import Gated, PrivacyPolicy, gate
from asyncfirst.analytics.recommend import (
    Recommendation,
    person_recommendations,
    team_recommendations,
)
from asyncfirst.analytics.signals import Signal, person_signals
from asyncfirst.domain.calendar import ImportResult, Occurrence
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation, Person, Team
from asyncfirst.services.overlap import monday_of

__all__ = [
    "BalanceReport",
    "PersonCalendars",
    "PersonSection",
    "TeamSection",
    "balance_report",
    "report_weeks",
]

MAX_WEEKS = 53
Progress = Callable[[int, int], None]
PARALLEL_FROM = 100  # people; below this, starting worker processes costs more than it saves
MAX_DEFAULT_WORKERS = 8


class PersonCalendars(Protocol):
    """Where people's calendars come from: a folder of ICS files, synthetic ones, a fake."""

    def for_person(self, person: Person, start: datetime, end: datetime) -> ImportResult | None:
        """The person's occurrences overlapping ``[start, end)``, or ``None`` without a calendar."""
        ...


def report_weeks(start: date, end: date) -> tuple[date, int]:
    """The ISO weeks covering ``[start, end)``: the first Monday and the number of weeks."""
    if end <= start:
        raise InputError(f"--to {end} must be after --from {start}")
    monday = monday_of(start)
    weeks = -(-(end - monday).days // 7)
    if weeks > MAX_WEEKS:
        raise InputError(f"the period covers {weeks} weeks; a report covers at most {MAX_WEEKS}")
    return monday, weeks


@dataclass(frozen=True)
class TeamSection:
    team: Team
    members: int
    with_calendar: int
    aggregate: TeamAggregate
    weekly: tuple[Gated[float], ...]
    hours_of_day: Gated[tuple[int, ...]]
    signals: Gated[dict[str, int]]
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True)
class PersonSection:
    person: Person
    team: Team
    weeks: tuple[WeekMetrics, ...]
    signals: tuple[Signal, ...]
    recommendations: tuple[Recommendation, ...]
    hours_of_day: tuple[int, ...]


@dataclass(frozen=True)
class BalanceReport:
    organisation: str
    mondays: tuple[date, ...]
    min_group: int
    teams: tuple[TeamSection, ...]
    person: PersonSection | None
    calendars_read: int
    occurrences: int
    skipped_series: int
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        from asyncfirst.services.balance_json import report_to_dict

        return report_to_dict(self)


def _hours_of_day(person: Person, occurrences: Sequence[Occurrence]) -> tuple[int, ...]:
    """Sync meetings by the local hour they start at, in the person's zone."""
    tz = person.schedule.tz
    counts = [0] * 24
    for occ in occurrences:
        if occ.is_sync:
            counts[occ.start.astimezone(tz).hour] += 1
    return tuple(counts)


def _sum_hours(rows: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
    return tuple(sum(column) for column in zip(*rows, strict=True))


def _count_signals(rows: Sequence[tuple[bool, bool]]) -> dict[str, int]:
    return {
        "isolation": sum(1 for isolated, _ in rows if isolated),
        "burnout": sum(1 for _, burnout in rows if burnout),
    }


def _team_section(
    team: Team,
    members: Sequence[Person],
    metrics: Mapping[str, list[WeekMetrics]],
    occurrences: Mapping[str, Sequence[Occurrence]],
    mondays: Sequence[date],
    policy: PrivacyPolicy,
) -> TeamSection:
    with_data = {p.id: metrics[p.id] for p in members if p.id in metrics}
    weekly = []
    for index in range(len(mondays)):
        per_person: dict[str, tuple[float, float] | None] = {}
        for pid, weeks in with_data.items():
            week = weeks[index]
            per_person[pid] = (
                (week.sync_minutes, week.working_minutes) if week.working_minutes else None
            )
        weekly.append(pooled_async_share(per_person, policy))
    people = {p.id: p for p in members}
    hours = gate(
        {pid: _hours_of_day(people[pid], occurrences[pid]) for pid in with_data}, _sum_hours, policy
    )
    flags: dict[str, tuple[bool, bool] | None] = {}
    for pid, weeks in with_data.items():
        found = person_signals(people[pid], weeks)
        flags[pid] = (
            any(s.kind == "isolation" for s in found),
            any(s.kind == "burnout" for s in found),
        )
    recommendations = team_recommendations(
        team,
        [people[pid] for pid in with_data],
        {pid: occurrences[pid] for pid in with_data},
        mondays[0],
        len(mondays),
        policy,
    )
    return TeamSection(
        team=team,
        members=len(members),
        with_calendar=len(with_data),
        aggregate=team_aggregate(team, with_data, policy),
        weekly=tuple(weekly),
        hours_of_day=hours,
        signals=gate(flags, _count_signals, policy),
        recommendations=tuple(recommendations),
    )


@dataclass(frozen=True)
class _ReadJob:
    """What reading one person's calendar needs besides the person (sent once per worker)."""

    calendars: PersonCalendars
    first_monday: date
    weeks: int
    focus_min: int

    def read(self, person: Person) -> tuple[ImportResult, list[WeekMetrics]] | None:
        """The person's calendar over the weeks (a day either side) and their metrics."""
        window_start = datetime.combine(self.first_monday, time(), person.schedule.tz)
        window_end = window_start + timedelta(weeks=self.weeks, days=1)
        result = self.calendars.for_person(person, window_start - timedelta(days=1), window_end)
        if result is None:
            return None
        found = person_metrics(
            person, result.occurrences, self.first_monday, self.weeks, self.focus_min
        )
        return result, found


_worker_job: _ReadJob | None = None  # set in each worker process by ``_start_worker``


def _start_worker(job: _ReadJob) -> None:
    global _worker_job  # one job per worker process, set once at its start
    _worker_job = job


def _read_in_worker(person: Person) -> tuple[ImportResult, list[WeekMetrics]] | None:
    if _worker_job is None:  # pragma: no cover - the pool always runs the initializer
        raise RuntimeError("worker started without a job")
    return _worker_job.read(person)


def _worker_count(workers: int | None, people: int) -> int:
    if workers is not None:
        if workers < 1:
            raise InputError(f"workers must be at least 1, got {workers}", workers=workers)
        return min(workers, max(people, 1))
    if people < PARALLEL_FROM:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, MAX_DEFAULT_WORKERS))


def _process_context() -> BaseContext:
    """Fork while this process has no other thread: quick, and needs no ``__main__`` guard.

    With other threads running (a progress bar), forking could copy a lock one of them
    holds, so the workers come from a fork server instead (or are spawned where there is
    none); the program must then guard its entry point with ``if __name__ == "__main__"``.
    """
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _read_all(
    job: _ReadJob, people: Sequence[Person], workers: int
) -> Iterator[tuple[Person, tuple[ImportResult, list[WeekMetrics]] | None]]:
    """Each person with their calendar and metrics (or ``None``), in the order given."""
    if workers <= 1:
        for person in people:
            yield person, job.read(person)
        return
    chunk = max(1, min(8, len(people) // (workers * 16)))
    pool = ProcessPoolExecutor(
        workers, mp_context=_process_context(), initializer=_start_worker, initargs=(job,)
    )
    try:
        yield from zip(people, pool.map(_read_in_worker, people, chunksize=chunk), strict=True)
    finally:  # on an error or an interrupt, do not wait for the calendars still queued
        pool.shutdown(cancel_futures=True)


def balance_report(
    org: Organisation,
    calendars: PersonCalendars,
    start: date,
    end: date,
    *,
    person_id: str | None = None,
    policy: PrivacyPolicy | None = None,
    focus_min: int = 120,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BalanceReport:
    """The reflection report of ``org`` over the ISO weeks covering ``[start, end)``.

    ``progress(done, total)`` is called after each person's calendar is read, in charter
    order. ``workers`` is the number of processes reading calendars: 1 reads in this
    process; ``None`` picks one per CPU (at most 8) for 100 people or more, else 1.
    """
    policy = policy or PrivacyPolicy()
    first_monday, weeks = report_weeks(start, end)
    mondays = tuple(first_monday + timedelta(weeks=i) for i in range(weeks))
    subject = org.person(person_id) if person_id else None
    metrics: dict[str, list[WeekMetrics]] = {}
    occurrences: dict[str, Sequence[Occurrence]] = {}
    skipped, found = 0, 0
    warnings: list[str] = []
    wanted = [team for team in org.teams if subject is None or team.id == subject.team_id]
    members = {team.id: org.members(team.id) for team in wanted}
    # each team's section is built once its last member is read, while workers read on
    unread = {team_id: {p.id for p in people} for team_id, people in members.items()}
    built: dict[str, TeamSection] = {}

    def build(team: Team) -> None:
        built[team.id] = _team_section(
            team, members[team.id], metrics, occurrences, mondays, policy
        )

    job = _ReadJob(calendars, first_monday, weeks, focus_min)
    count = _worker_count(workers, len(org.people))
    for done, (person, read) in enumerate(_read_all(job, org.people, count), start=1):
        if read is not None:
            result, metrics[person.id] = read
            occurrences[person.id] = result.occurrences
            skipped += len(result.skipped)
            found += len(result.occurrences)
            warnings.extend(f"{person.id}: {w}" for w in result.warnings)
        waiting = unread.get(person.team_id)
        if waiting is not None:
            waiting.discard(person.id)
            if not waiting:
                build(org.team(person.team_id))
        if progress:
            progress(done, len(org.people))
    for team in wanted:
        if team.id not in built:  # a team without members
            build(team)
    sections = tuple(built[team.id] for team in wanted)
    person_section = None
    if subject is not None and subject.id in metrics:
        own = metrics[subject.id]
        signals = person_signals(subject, own)
        person_section = PersonSection(
            person=subject,
            team=org.team(subject.team_id),
            weeks=tuple(own),
            signals=tuple(signals),
            recommendations=tuple(person_recommendations(subject, own, signals)),
            hours_of_day=_hours_of_day(subject, occurrences[subject.id]),
        )
    elif subject is not None:
        raise InputError(f'no calendar found for person "{subject.id}"', person=subject.id)
    return BalanceReport(
        organisation=org.name,
        mondays=mondays,
        min_group=policy.min_group,
        teams=sections,
        person=person_section,
        calendars_read=len(metrics),
        occurrences=found,
        skipped_series=skipped,
        warnings=tuple(warnings),
    )

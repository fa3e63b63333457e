"""Benchmark: ``working_time`` for every person and week against a naive per-day version.

The naive baseline, written here, makes each local day's shifts concrete with
``datetime.replace(tzinfo=...)`` and nothing else: no spring-forward gap, no repeated
hour, no merging. It skips holidays and time off like the real thing, so both do the same
bookkeeping and differ only in the DST-exact logic. Each is timed best of three (warm\ncaches). Just figures, no target.

    uv run --no-sync python bench/worktime.py [--people 1000] [--weeks 13]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from _calendars import FIRST_MONDAY, machine

from asyncfirst.adapters.synthetic import synthetic_organisation
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import local_week, working_time


def naive_week(schedule: WorkSchedule, monday: date) -> list[Interval]:
    """The week's shifts, each local day converted with ``replace(tzinfo=...)``."""
    tz = schedule.tz
    found = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        shifts = schedule.hours.on(day.weekday())
        if not shifts or schedule.day_off(day) is not None:
            continue
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
        for shift in shifts:
            start = (midnight + timedelta(minutes=shift.start)).astimezone(UTC)
            end = (midnight + timedelta(minutes=shift.end)).astimezone(UTC)
            found.append(Interval(start, end))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=13)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    org = synthetic_organisation(args.people, args.seed)
    mondays = [FIRST_MONDAY + timedelta(weeks=i) for i in range(args.weeks)]
    schedules = [person.schedule for person in org.people]
    print(f"machine: {machine()}")
    print(f"{args.people} people × {args.weeks} weeks from {FIRST_MONDAY} (seed {args.seed})")

    def best_of_three(
        run: Callable[[], list[list[Interval]]],
    ) -> tuple[list[list[Interval]], float]:
        times = []
        for _ in range(3):  # the first pass also warms the holiday and zone caches
            began = time.perf_counter()
            found = run()
            times.append(time.perf_counter() - began)
        return found, min(times)

    naive, naive_s = best_of_three(
        lambda: [naive_week(s, monday) for s in schedules for monday in mondays]
    )
    exact, exact_s = best_of_three(
        lambda: [
            working_time(s, week.start, week.end)
            for s in schedules
            for week in (local_week(monday, s.tz) for monday in mondays)
        ]
    )

    weeks = len(schedules) * len(mondays)
    naive_h = sum(iv.minutes for ivs in naive for iv in ivs) / 60
    exact_h = sum(iv.minutes for ivs in exact for iv in ivs) / 60
    print(f"{'':30}{'seconds':>9}{'person-weeks/s':>16}{'hours':>12}")
    for label, seconds, hours in (
        ("naive (replace(tzinfo=...))", naive_s, naive_h),
        ("working_time (DST-exact)", exact_s, exact_h),
    ):
        print(f"{label:30}{seconds:>9.2f}{weeks / seconds:>16,.0f}{hours:>12,.1f}")
    print(f"ratio working_time/naive: {exact_s / naive_s:.2f}")
    print(f"hours the naive version gets wrong: {abs(exact_h - naive_h):,.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the whole balance-report pipeline against plain recurring-ical-events.

Both sides read the same synthetic calendars (1,000 people × 13 weeks by default) over the
same per-person window, in the same run:

- **baseline**: per file, ``icalendar.Calendar.from_ical`` + ``x_wr_timezone.to_standard``
  + ``recurring_ical_events.of(cal).between(start, end)``, counting occurrences; one process;
- **pipeline**: ``balance_report`` over ``FolderCalendars`` (import, metrics, team
  sections, recommendations), with ``--workers`` processes.

Prints occurrences, seconds, occurrences per second and the ratio pipeline/baseline.
Targets: ratio ≤ 2 and pipeline ≤ 30 s; ``--strict`` exits 1 when one is missed.

    uv run --no-sync python bench/pipeline.py [--people 1000] [--weeks 13] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock_time

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]  # ships no type hints
import x_wr_timezone  # type: ignore[import-untyped]  # ships no type hints
from _calendars import BenchCalendars, bench_calendars, machine
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from asyncfirst.adapters.person_calendars import FolderCalendars
from asyncfirst.domain.model import Person
from asyncfirst.services.balance import balance_report

TARGET_RATIO = 2.0
TARGET_SECONDS = 30.0


def person_window(person: Person, bench: BenchCalendars) -> tuple[datetime, datetime]:
    """The window ``balance_report`` reads for ``person`` (a day either side of the weeks)."""
    start = datetime.combine(bench.first_monday, clock_time(), person.schedule.tz)
    end = start + timedelta(weeks=bench.weeks, days=1)
    return start - timedelta(days=1), end


def baseline(bench: BenchCalendars, tick: Callable[[], None]) -> int:
    """Plain expansion of every person's file; the number of occurrences."""
    found = 0
    for person in bench.org.people:
        start, end = person_window(person, bench)
        data = (bench.folder / f"{person.id}.ics").read_bytes()
        calendar = x_wr_timezone.to_standard(icalendar.Calendar.from_ical(data))
        found += sum(1 for _ in recurring_ical_events.of(calendar).between(start, end))
        tick()
    return found


def pipeline(bench: BenchCalendars, workers: int, tick: Callable[[], None]) -> int:
    """The whole report; the number of occurrences it read."""
    end = bench.first_monday + timedelta(weeks=bench.weeks)
    report = balance_report(
        bench.org,
        FolderCalendars(bench.folder),
        bench.first_monday,
        end,
        progress=lambda _done, _total: tick(),
        workers=workers,
    )
    if report.calendars_read != len(bench.org.people):
        raise SystemExit(f"read {report.calendars_read} of {len(bench.org.people)} calendars")
    return report.occurrences


def timed(label: str, total: int, run: Callable[[Callable[[], None]], int]) -> tuple[int, float]:
    """(occurrences, wall seconds) of ``run``, with a progress bar."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        began = time.perf_counter()
        found = run(lambda: bar.advance(task))
        return found, time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=13)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="pipeline processes (default 2)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    bench = bench_calendars(args.people, args.weeks, args.seed)
    print(f"machine: {machine()}")
    generated = (
        "reused"
        if bench.generated_seconds is None
        else f"generated in {bench.generated_seconds:.1f} s"
    )
    print(f"calendars: {args.people} people × {args.weeks} weeks, seed {args.seed} ({generated})")
    print(f"           {bench.folder}")
    people = len(bench.org.people)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average before: {load:.2f} (other work on the machine skews the figures)")
    base_n, base_s = timed("baseline", people, lambda tick: baseline(bench, tick))
    pipe_n, pipe_s = timed("pipeline", people, lambda tick: pipeline(bench, args.workers, tick))
    ratio = pipe_s / base_s
    print(f"{'':34}{'occurrences':>12}{'seconds':>10}{'occ/s':>10}")
    for label, n, s in (
        ("baseline (recurring-ical-events)", base_n, base_s),
        (f"pipeline ({args.workers} worker{'s' if args.workers != 1 else ''})", pipe_n, pipe_s),
    ):
        print(f"{label:34}{n:>12,}{s:>10.2f}{n / s:>10,.0f}")
    print(f"ratio pipeline/baseline: {ratio:.2f} (target ≤ {TARGET_RATIO:g})")
    print(f"pipeline seconds: {pipe_s:.1f} (target ≤ {TARGET_SECONDS:g})")
    missed = []
    if ratio > TARGET_RATIO:
        missed.append(f"ratio {ratio:.2f} > {TARGET_RATIO:g}")
    if pipe_s > TARGET_SECONDS:
        missed.append(f"{pipe_s:.1f} s > {TARGET_SECONDS:g} s")
    if base_n != pipe_n:
        print(f"note: the pipeline read {pipe_n:,} occurrences, the baseline {base_n:,}")
    print("targets: " + ("met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())

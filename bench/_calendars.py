"""Shared by the bench scripts: the synthetic organisation and its cached calendars.

Calendars are generated once per (seed, people, weeks, first Monday) and kept under the
system temp dir, so reruns time the import, not the generator. A ``.complete`` marker is
written last: a half-written cache (an interrupted run) is regenerated.
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from asyncfirst.adapters.synthetic import iter_calendars, synthetic_organisation
from asyncfirst.domain.model import Organisation

# A fixed Monday, so every run reads the same files; 13 weeks from here cross the
# March daylight-saving changes of both Europe and North America.
FIRST_MONDAY = date(2025, 2, 3)


@dataclass(frozen=True)
class BenchCalendars:
    org: Organisation
    folder: Path
    first_monday: date
    weeks: int
    generated_seconds: float | None  # None when the cache was reused


def bench_calendars(people: int, weeks: int, seed: int) -> BenchCalendars:
    """The organisation and a folder of ``<person id>.ics``, generated or reused."""
    org = synthetic_organisation(people, seed)
    key = f"s{seed}-p{people}-w{weeks}-{FIRST_MONDAY.isoformat()}"
    folder = Path(tempfile.gettempdir()) / "asyncfirst-bench" / key
    marker = folder / ".complete"
    if marker.exists():
        return BenchCalendars(org, folder, FIRST_MONDAY, weeks, None)
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    for person_id, data in iter_calendars(org, FIRST_MONDAY, weeks, seed):
        (folder / f"{person_id}.ics").write_bytes(data)
    marker.write_text("ok\n", encoding="utf-8")
    return BenchCalendars(org, folder, FIRST_MONDAY, weeks, time.perf_counter() - began)


def machine() -> str:
    """One line: CPUs, CPU model, Python."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"

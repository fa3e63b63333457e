"""Use case: write synthetic calendars, one ``<person id>.ics`` per person, into a folder.

The calendars come through the ``CalendarGenerator`` port (the synthetic adapter in
production); this use case checks the request, owns the folder and says what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation

__all__ = ["MAX_WEEKS", "CalendarGenerator", "CalendarsWritten", "write_demo_calendars"]

MAX_WEEKS = 104

CalendarGenerator = Callable[[Organisation, date, int, int], Iterable[tuple[str, bytes]]]
"""(organisation, first Monday, weeks, seed) -> (person id, ICS bytes) per person."""


@dataclass(frozen=True, slots=True)
class CalendarsWritten:
    """What ``write_demo_calendars`` wrote."""

    directory: Path
    start: date
    weeks: int
    seed: int
    files: int
    events: int
    bytes: int

    @property
    def end(self) -> date:
        """The Monday after the last week (exclusive)."""
        return self.start + timedelta(weeks=self.weeks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "weeks": self.weeks,
            "seed": self.seed,
            "files": self.files,
            "events": self.events,
            "bytes": self.bytes,
        }


def _check(org: Organisation, out_dir: Path, start_monday: date, weeks: int) -> None:
    if start_monday.weekday() != 0:
        monday = start_monday - timedelta(days=start_monday.weekday())
        raise InputError(
            f"--from {start_monday} is a {start_monday:%A}; give a Monday, e.g. {monday}",
            start=start_monday.isoformat(),
        )
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"--weeks must be 1 to {MAX_WEEKS}, got {weeks}", weeks=weeks)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: exists and is not a folder", path=str(out_dir))
    for person in org.people:
        if Path(person.id).name != person.id or person.id in {".", ".."}:
            raise InputError(f'person id "{person.id}" cannot be a file name', person=person.id)


def write_demo_calendars(
    org: Organisation,
    out_dir: Path,
    start_monday: date,
    weeks: int,
    seed: int,
    *,
    generate: CalendarGenerator,
    progress: Callable[[str], None] | None = None,
) -> CalendarsWritten:
    """Create ``out_dir`` if needed and (over)write ``<person id>.ics`` for each person.

    Other files in ``out_dir`` are left alone. ``progress`` is told each person id once
    their file is written.
    """
    _check(org, out_dir, start_monday, weeks)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot create ({exc.strerror})", path=str(out_dir)) from exc
    files = events = size = 0
    for person_id, data in generate(org, start_monday, weeks, seed):
        path = out_dir / f"{person_id}.ics"
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror})", path=str(path)) from exc
        files, events, size = files + 1, events + data.count(b"BEGIN:VEVENT"), size + len(data)
        if progress is not None:
            progress(person_id)
    return CalendarsWritten(out_dir, start_monday, weeks, seed, files, events, size)

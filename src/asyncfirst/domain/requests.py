"""Meeting requests: what the week planner is asked to place, read from a TOML file.

A requests file holds one ``[meetings.<id>]`` table per meeting::

    [meetings.design-qa-review]
    kind = "review"                    # alignment, workshop, kick-off, troubleshooting,
                                       # pair-programming, one-on-one (1:1), review, social
    title = "Design–QA review"         # optional, defaults to the id
    duration_minutes = 45              # on a 15-minute grid, at most 8 h
    required = ["design", "maria"]     # person or team ids; a team means all its members
    optional = ["qa"]                  # invited if they can come inside their hours
    days = "Mon-Fri"                   # local weekdays it may fall on (every required attendee's)
    every_weeks = 1                    # weekly; 2 for fortnightly ...
    occurrences = 12                   # how many times in all (default: open-ended)
    first_week = 2026-11-23            # the week of the first occurrence (needed when every_weeks > 1)
    reason = "screens change hands"    # why it is sync (required: sync is a decision)
    agenda = "https://wiki/review"     # agenda or pre-read link
    allow_out_of_hours = false         # true: may fall outside working time + stretch,
                                       # priced as inconvenience (cross-zone all-hands)

``requests_from_mapping`` validates every key and raises one ``RequestsError`` that names
the file, the meeting and the key, with a "did you mean" where one helps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from asyncfirst.domain.charter import parse_weekdays
from asyncfirst.domain.charter_fields import Entry, suggest
from asyncfirst.domain.errors import CharterError, InputError
from asyncfirst.domain.hours import WEEKDAYS
from asyncfirst.domain.model import Organisation

__all__ = [
    "GRID_MINUTES",
    "MAX_DURATION_MINUTES",
    "MEETING_KINDS",
    "MeetingRequest",
    "RequestsError",
    "requests_from_mapping",
]

GRID_MINUTES = 15
MAX_DURATION_MINUTES = 8 * 60
MEETING_KINDS = (
    "alignment",
    "workshop",
    "kick-off",
    "troubleshooting",
    "pair-programming",
    "one-on-one",
    "review",
    "social",
)
_KIND_ALIASES = {
    "all-hands": "alignment", "allhands": "alignment", "sync": "alignment",
    "brainstorm": "workshop", "kickoff": "kick-off", "pairing": "pair-programming",
    "pair": "pair-programming", "1:1": "one-on-one", "1-1": "one-on-one",
    "1-on-1": "one-on-one", "coffee": "social", "debugging": "troubleshooting",
}  # fmt: skip
_KEYS = (
    "kind", "title", "duration_minutes", "required", "optional", "days", "every_weeks",
    "occurrences", "first_week", "reason", "agenda", "allow_out_of_hours",
)  # fmt: skip
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class RequestsError(InputError):
    """A meeting-requests file that cannot be used; the message names file, meeting and key."""

    code = "invalid_requests"


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """One meeting to place, weekly or every ``every_weeks`` weeks, ``occurrences`` times.

    ``required`` and ``optional`` hold the ids as written (people or teams); resolve them
    with ``Organisation.resolve``. ``days`` are ISO weekdays (0 = Monday) in each required
    attendee's local time. ``occurrences`` is ``None`` for an open-ended series.
    """

    id: str
    kind: str
    title: str
    duration_minutes: int
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    days: frozenset[int] = frozenset(range(5))
    every_weeks: int = 1
    occurrences: int | None = None
    reason: str = ""
    agenda: str = ""
    allow_out_of_hours: bool = False
    first_week: date | None = None

    def occurrence_in(self, monday: date, held_before: int = 0) -> int | None:
        """The index of the occurrence in the week of ``monday``, or ``None`` for no meeting.

        With ``first_week`` the series is anchored on that week; without it every planned
        week is an occurrence week and ``held_before`` (from the burden ledger) numbers it.
        """
        if self.first_week is None:
            index = held_before
        else:
            anchor = self.first_week - timedelta(days=self.first_week.weekday())
            weeks = (monday - anchor).days // 7
            if weeks < 0 or weeks % self.every_weeks:
                return None
            index = weeks // self.every_weeks
        if self.occurrences is not None and index >= self.occurrences:
            return None
        return index

    def days_label(self) -> str:
        return ", ".join(WEEKDAYS[d].title() for d in sorted(self.days))


def _kind(entry: Entry) -> str:
    raw = entry.text("kind")
    key = "-".join(raw.lower().replace("_", " ").split())
    kind = _KIND_ALIASES.get(key, key)
    if kind not in MEETING_KINDS:
        entry.fail(f'unknown kind "{raw}"{suggest(key, [*MEETING_KINDS, *_KIND_ALIASES])}', "kind")
    return kind


def _attendees(entry: Entry, key: str, org: Organisation) -> tuple[str, ...]:
    ids = entry.strings(key)
    known = [*(t.id for t in org.teams), *(p.id for p in org.people)]
    for ident in ids:
        if ident not in known:
            entry.fail(f'unknown person or team "{ident}"{suggest(ident, known)}', key)
        if not org.resolve(ident):
            entry.fail(f'team "{ident}" has no members', key)
    return tuple(dict.fromkeys(ids))


def _duration(entry: Entry) -> int:
    minutes = entry.integer("duration_minutes", None, 1, 7 * 1440)
    if minutes is None:
        entry.fail("is required (minutes, e.g. 45)", "duration_minutes")
    if minutes % GRID_MINUTES:
        entry.fail(
            f"must be a multiple of {GRID_MINUTES} minutes, got {minutes}", "duration_minutes"
        )
    if minutes > MAX_DURATION_MINUTES:
        entry.fail(
            f"must be at most {MAX_DURATION_MINUTES} minutes (8 h), got {minutes}",
            "duration_minutes",
        )
    return minutes


def _days(entry: Entry) -> frozenset[int]:
    try:
        days = frozenset(d for spec in entry.strings("days") for d in parse_weekdays(spec))
    except ValueError as exc:
        entry.fail(str(exc), "days")
    return days if entry.has("days") else frozenset(range(5))


def _meeting(ident: str, entry: Entry, org: Organisation) -> MeetingRequest:
    entry.only(_KEYS)
    required = _attendees(entry, "required", org)
    if not required:
        entry.fail("name at least one person or team", "required")
    optional = _attendees(entry, "optional", org)
    required_people = {p.id for r in required for p in org.resolve(r)}
    if optional and all(p.id in required_people for o in optional for p in org.resolve(o)):
        entry.fail("every optional attendee is already required", "optional")
    every = entry.integer("every_weeks", 1, 1, 52) or 1
    first_week = entry.day("first_week") if entry.has("first_week") else None
    if every > 1 and first_week is None:
        entry.fail(f"every_weeks = {every} needs the week of the first meeting", "first_week")
    if not _days(entry):
        entry.fail("name at least one weekday", "days")
    return MeetingRequest(
        id=ident,
        kind=_kind(entry),
        title=entry.text("title", ident),
        duration_minutes=_duration(entry),
        required=required,
        optional=optional,
        days=_days(entry),
        every_weeks=every,
        occurrences=entry.integer("occurrences", None, 1, 520),
        reason=entry.text("reason"),
        agenda=entry.text("agenda", "-") if entry.has("agenda") else "",
        allow_out_of_hours=entry.boolean("allow_out_of_hours", False),
        first_week=first_week,
    )


def requests_from_mapping(
    data: Mapping[str, Any], source_name: str, org: Organisation
) -> tuple[MeetingRequest, ...]:
    """Validate a parsed requests document against ``org`` and build its meetings."""
    try:
        root = Entry(source_name, data)
        root.only(("meetings",))
        table = root.table("meetings")
        if table is None or not table.data:
            root.fail("no [meetings.<id>] defined; a requests file needs at least one meeting")
        result: list[MeetingRequest] = []
        for ident, value in table.data.items():
            if not _ID.match(ident):
                root.fail(f'meeting id "{ident}" must be lower-case letters, digits, "-" or "_"')
            if not isinstance(value, Mapping):
                root.fail(f'meeting "{ident}" must be a table [meetings.{ident}]')
            result.append(_meeting(ident, Entry(f'{source_name}: meeting "{ident}"', value), org))
        return tuple(result)
    except CharterError as exc:
        raise RequestsError(exc.message, **exc.fields) from None

"""The team charter (policy as code): a TOML document made into an ``Organisation``.

The format is documented in docs/charter.md; ``organisation_from_mapping`` validates every
key and refuses the document with one ``CharterError`` naming the file, the entry and the
key, and suggesting a fix. People inherit their team's zone, hours and holidays.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from asyncfirst.domain.calendars import DateRange, HolidayCalendar, known_countries, subdivisions_of
from asyncfirst.domain.charter_fields import Entry, suggest
from asyncfirst.domain.errors import CharterError, UnknownZoneError
from asyncfirst.domain.hours import WEEKDAYS, Shift, WorkingHours, parse_clock
from asyncfirst.domain.model import AsyncBand, FocusBlock, Organisation, Person, Team
from asyncfirst.domain.routing import WorkKind, router_policy_from_mapping
from asyncfirst.domain.zones import zone as load_zone

__all__ = ["DEFAULT_BAND", "organisation_from_mapping", "parse_hours", "parse_weekdays"]

DEFAULT_BAND = AsyncBand(0.70, 0.95)
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+$")  # name@example.org, nothing fancier
_HOURS = re.compile(
    r"^\s*(?P<days>[A-Za-z,\-–\s]+?)\s+(?P<start>\d{1,2}:\d{2})\s*[-–]\s*(?P<end>\d{1,2}:\d{2})"
    r"(?P<overnight>\s+overnight)?\s*$"
)
_TOP_KEYS = ("organisation", "teams", "people")
_TEAM_KEYS = (
    "name", "zone", "hours", "holidays", "async_band", "respond_by_hours",
    "decision_deadline_hours", "alignment", "sync_kinds", "router", "coffee_every_weeks",
    "reflection_every_weeks",
)  # fmt: skip
_PERSON_KEYS = (
    "name", "team", "zone", "hours", "holidays", "email", "focus", "meeting_free_days",
    "time_off", "daily_sync_cap_minutes", "weekly_sync_cap_minutes", "stretch_minutes",
    "social_appetite",
)  # fmt: skip


def parse_weekdays(text: str) -> list[int]:
    """ "Mon-Fri", "Mon,Wed,Fri", "Sun-Thu" (wrapping) → ISO weekday indexes (0 = Monday)."""
    days: list[int] = []
    for part in re.split(r"\s*,\s*", text.strip()):
        ends = [p.strip().lower()[:3] for p in re.split(r"\s*[-–]\s*", part)]
        if len(ends) not in (1, 2) or any(e not in WEEKDAYS for e in ends):
            raise ValueError(f'"{part}" is not a weekday or range like "Mon-Fri"')
        first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        span = (last - first) % 7
        days.extend((first + i) % 7 for i in range(span + 1))
    return days


def parse_hours(specs: tuple[str, ...]) -> WorkingHours:
    """Lines like "Mon-Fri 09:00-17:30", "Mon-Thu 13:00-17:00", "Sun-Thu 22:00-06:00 overnight"."""
    if not specs:
        raise ValueError('no working hours given; write e.g. "Mon-Fri 09:00-17:30"')
    per_day: dict[int, list[Shift]] = {}
    for spec in specs:
        match = _HOURS.match(spec)
        if not match:
            raise ValueError(f'"{spec}" is not like "Mon-Fri 09:00-17:30"')
        start, end = parse_clock(match["start"]), parse_clock(match["end"])
        if end <= start and not match["overnight"]:
            raise ValueError(
                f'"{spec}" ends before it starts; add "overnight" if the shift crosses midnight'
            )
        if end > start and match["overnight"]:
            raise ValueError(f'"{spec}" is marked overnight but ends after it starts that day')
        shift = Shift(start, end if end > start else end + 1440)
        for day in parse_weekdays(match["days"]):
            per_day.setdefault(day, []).append(shift)
    hours = WorkingHours.weekly(per_day)
    for day in range(7):
        spill = [s.end - 1440 for s in hours.on(day) if s.overnight]
        following = hours.on((day + 1) % 7)
        if spill and following and following[0].start < max(spill):
            raise ValueError(
                f"the overnight shift of {WEEKDAYS[day].title()} runs into "
                f"{WEEKDAYS[(day + 1) % 7].title()}'s {following[0].label()}"
            )
    return hours


def _hours(entry: Entry, default: WorkingHours | None) -> WorkingHours:
    if not entry.has("hours"):
        if default is None:
            entry.fail('is required, e.g. hours = "Mon-Fri 09:00-17:30"', "hours")
        return default
    try:
        return parse_hours(entry.strings("hours"))
    except ValueError as exc:
        entry.fail(str(exc), "hours")


def _zone(entry: Entry, default: str | None) -> str:
    if not entry.has("zone") and default is not None:
        return default
    name = entry.text("zone")
    try:
        load_zone(name)
    except UnknownZoneError as exc:
        entry.fail(exc.message, "zone")
    return name


def _holidays(entry: Entry, default: HolidayCalendar | None) -> HolidayCalendar | None:
    value = entry.raw("holidays")
    if value is None:
        return default
    if value is False:
        return None
    if isinstance(value, str):
        value = {"country": value}
    table = Entry(f"{entry.where}: holidays", value) if isinstance(value, Mapping) else None
    if table is None:
        entry.fail(
            f'must be a country code or {{country = "US", subdivision = "NY"}}, got {value!r}'
        )
    table.only(("country", "subdivision"))
    country = table.text("country").upper()
    if country not in known_countries():
        table.fail(f'unknown country "{country}"{suggest(country, known_countries())}', "country")
    subdivision = table.raw("subdivision")
    if subdivision is not None:
        valid = subdivisions_of(country)
        if not isinstance(subdivision, str) or subdivision.upper() not in valid:
            hint = suggest(str(subdivision), valid) if valid else f" — {country} has none"
            table.fail(f'unknown subdivision "{subdivision}" of {country}{hint}', "subdivision")
        subdivision = subdivision.upper()
    return HolidayCalendar(country, subdivision)


def _kinds(entry: Entry, key: str) -> tuple[str, ...]:
    valid = {k.value for k in WorkKind}
    kinds = entry.strings(key)
    for kind in kinds:
        if kind not in valid:
            entry.fail(f'unknown kind of work "{kind}"{suggest(kind, valid)}', key)
    return kinds


def _team(team_id: str, entry: Entry) -> Team:
    entry.only(_TEAM_KEYS)
    band_value = entry.raw("async_band", [DEFAULT_BAND.low, DEFAULT_BAND.high])
    if not (
        isinstance(band_value, list)
        and len(band_value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in band_value)
    ):
        entry.fail(
            f"must be two numbers [low, high] like [0.70, 0.95], got {band_value!r}", "async_band"
        )
    try:
        band = AsyncBand(float(band_value[0]), float(band_value[1]))
    except ValueError as exc:
        entry.fail(str(exc), "async_band")
    alignment = entry.table("alignment") or Entry(f"{entry.where}: alignment", {})
    alignment.only(("every_weeks", "minutes"))
    sync_kinds = _kinds(entry, "sync_kinds")
    router_table = entry.table("router") or Entry(f"{entry.where}: router", {})
    router_data = dict(router_table.data)
    if sync_kinds and "sync_kinds" not in router_data:
        router_data["sync_kinds"] = list(sync_kinds)  # the team's sync kinds feed the router
    router = router_policy_from_mapping(router_data, router_table.where)
    return Team(
        id=team_id,
        name=entry.text("name", team_id.title()),
        zone=_zone(entry, None),
        hours=_hours(entry, None),
        holidays=_holidays(entry, None),
        band=band,
        respond_by_hours=entry.number("respond_by_hours", 8, 0.25, 24 * 14),
        decision_deadline_hours=entry.number("decision_deadline_hours", 24, 1, 24 * 30),
        alignment_cadence_weeks=alignment.integer("every_weeks", 1, 1, 52) or 1,
        alignment_minutes=alignment.integer("minutes", 30, 5, 480) or 30,
        sync_kinds=sync_kinds,
        router=router,
        coffee_every_weeks=entry.integer("coffee_every_weeks", 1, 1, 52) or 1,
        reflection_every_weeks=entry.integer("reflection_every_weeks", 4, 1, 52) or 4,
    )


def _focus(entry: Entry) -> tuple[FocusBlock, ...]:
    blocks: list[FocusBlock] = []
    for item in entry.tables("focus"):
        item.only(("days", "start", "end", "protected"))
        try:
            days = parse_weekdays(item.text("days"))
            start, end = parse_clock(item.text("start")), parse_clock(item.text("end"))
        except ValueError as exc:
            item.fail(str(exc))
        if end <= start:
            item.fail(f"ends ({item.text('end')}) before it starts ({item.text('start')})")
        protected = item.boolean("protected", True)
        blocks.extend(FocusBlock(d, start, end, protected) for d in days)
    return tuple(blocks)


def _time_off(entry: Entry) -> tuple[DateRange, ...]:
    periods: list[DateRange] = []
    for item in entry.tables("time_off"):
        item.only(("from", "to", "reason"))
        first = item.day("from")
        last = item.day("to") if item.has("to") else first
        if last < first:
            item.fail(f"ends ({last}) before it starts ({first})", "to")
        periods.append(DateRange(first, last, item.text("reason", "time off")))
    return tuple(periods)


def _person(person_id: str, entry: Entry, teams: Mapping[str, Team], source: str) -> Person:
    team_id = entry.text("team")
    if team_id not in teams:
        entry.fail(f'unknown team "{team_id}"{suggest(team_id, teams)}', "team")
    team = teams[team_id]
    entry = Entry(f'{source}: person "{person_id}" (team "{team_id}")', entry.data)
    entry.only(_PERSON_KEYS)
    try:
        meeting_free = frozenset(
            d for spec in entry.strings("meeting_free_days") for d in parse_weekdays(spec)
        )
    except ValueError as exc:
        entry.fail(str(exc), "meeting_free_days")
    return Person(
        id=person_id,
        name=entry.text("name", person_id.title()),
        team_id=team_id,
        zone=_zone(entry, team.zone),
        hours=_hours(entry, team.hours),
        holidays=_holidays(entry, team.holidays),
        emails=_emails(entry),
        time_off=_time_off(entry),
        meeting_free_days=meeting_free,
        focus_blocks=_focus(entry),
        daily_sync_cap_minutes=entry.integer("daily_sync_cap_minutes", None, 0, 1440),
        weekly_sync_cap_minutes=entry.integer("weekly_sync_cap_minutes", None, 0, 7 * 1440),
        stretch_minutes=entry.integer("stretch_minutes", 0, 0, 240) or 0,
        social_appetite=entry.number("social_appetite", 0.5, 0, 1),
    )


def _emails(entry: Entry) -> tuple[str, ...]:
    """A person's addresses (for calendars and email notifications), lower-cased."""
    emails = tuple(e.strip().lower() for e in entry.strings("email"))
    for email in emails:
        if len(email) > 320 or not _EMAIL.match(email):
            entry.fail(f'"{email}" is not an email address like name@example.org', "email")
    return emails


def _ids(root: Entry, key: str, what: str) -> dict[str, Entry]:
    table = root.table(key)
    if table is None:
        root.fail(f"no [{key}] defined; a charter needs at least one {what}")
    result: dict[str, Entry] = {}
    for ident, value in table.data.items():
        if not _ID.match(ident):
            root.fail(f'{what} id "{ident}" must be lower-case letters, digits, "-" or "_"')
        if not isinstance(value, Mapping):
            root.fail(f'{what} "{ident}" must be a table [{key}.{ident}]')
        result[ident] = Entry(f'{root.where}: {what} "{ident}"', value)
    if not result:
        root.fail(f"[{key}] is empty; a charter needs at least one {what}")
    return result


def organisation_from_mapping(data: Mapping[str, Any], source_name: str) -> Organisation:
    """Validate a parsed charter document and build the organisation it describes."""
    root = Entry(source_name, data)
    root.only(_TOP_KEYS)
    org = root.table("organisation") or Entry(f"{source_name}: organisation", {})
    org.only(("name",))
    teams = {i: _team(i, e) for i, e in _ids(root, "teams", "team").items()}
    people_entries = _ids(root, "people", "person")
    people: list[Person] = []
    emails: dict[str, str] = {}
    for person_id, entry in people_entries.items():
        if person_id in teams:
            entry.fail(f'has the same id as team "{person_id}"; ids must name one thing')
        person = _person(person_id, entry, teams, source_name)
        for email in person.emails:
            if email in emails:
                raise CharterError(
                    f'{source_name}: person "{person_id}": email "{email}" is already '
                    f'used by person "{emails[email]}"',
                    key="email",
                )
            emails[email] = person_id
        people.append(person)
    return Organisation(org.text("name", "Organisation"), tuple(teams.values()), tuple(people))

"""Turn the TZIDs of one calendar into zones, using only that calendar's definitions.

A TZID is resolved, in this order, to:

1. the IANA zone of that name (``Europe/Berlin``), whatever the file's VTIMEZONE says;
2. the IANA zone of a Windows name (``W. Europe Standard Time`` -> ``Europe/Berlin``);
3. the IANA name at the end of a "globally unique" TZID
   (``/freeassociation.sourceforge.net/Europe/Berlin``);
4. for any other name with a VTIMEZONE in this calendar (Outlook's ``Customized Time
   Zone``, ``Europe_Berlin``, ``MyTimezone``): a fixed offset if the definition never
   changes offset, else the IANA zone that agrees with it wherever it says anything (from
   2010 to 2030), else the definition itself;
5. otherwise nothing: the times are read as floating, with a warning.

Equivalence results are cached by the *content* of the definition, never by its name, so
one calendar's definitions cannot leak into another's.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Component, Timezone
from icalendar.timezone import tzp

from asyncfirst.adapters.ics.windows_zones import WINDOWS_TO_IANA, windows_to_iana

__all__ = ["ZoneResolver", "iana_zone"]

_PROBE_START = datetime(2010, 1, 1)  # noqa: DTZ001 - icalendar gives transitions as naive UTC
_PROBE_END = datetime(2031, 1, 1)  # noqa: DTZ001 - icalendar gives transitions as naive UTC
_CANDIDATES = tuple(dict.fromkeys(WINDOWS_TO_IANA.values()))
_CACHE_SIZE = 256
_BY_CONTENT: dict[str, tzinfo] = {}


class ZoneResolver:
    """Resolves TZIDs for one calendar; collects warnings about the ones it cannot."""

    def __init__(self, definitions: Iterable[Component]) -> None:
        self._definitions: dict[str, Timezone] = {}
        for component in definitions:
            tzid = component.get("TZID")
            if tzid is not None and isinstance(component, Timezone):
                self._definitions.setdefault(_clean(str(tzid)), component)
        self._resolved: dict[str, tuple[tzinfo | None, str | None]] = {}
        self.warnings: list[str] = []

    def resolve(self, tzid: str) -> tuple[tzinfo | None, str | None]:
        """``(zone, None)``, ``(None, None)`` for floating, or ``(None, reason)`` if unusable."""
        found = self._resolved.get(tzid)
        if found is None:
            found = self._resolve(tzid)
            self._resolved[tzid] = found
        return found

    def resolve_name(self, name: str) -> tzinfo | None:
        """A zone for a bare zone name (as in X-WR-TIMEZONE), or ``None``."""
        return self.resolve(name)[0]

    def _resolve(self, tzid: str) -> tuple[tzinfo | None, str | None]:
        name = _clean(tzid)
        known = iana_zone(name) or _windows_zone(name) or _globally_unique(name)
        if known is not None:
            return known, None
        definition = self._definitions.get(name)
        if definition is None:
            self.warnings.append(
                f"time zone {tzid!r} is neither known nor defined in the calendar; "
                "its times are read as floating times"
            )
            return None, None
        try:
            return _zone_for_definition(definition), None
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            return None, f"time zone {tzid!r} has an unusable definition: {error}"


def iana_zone(name: str) -> ZoneInfo | None:
    """The IANA zone called ``name``, or ``None``."""
    if not name or name.startswith("/") or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _clean(tzid: str) -> str:
    return tzid.strip().strip('"').strip().rstrip(":").strip()


def _windows_zone(name: str) -> ZoneInfo | None:
    iana = windows_to_iana(name)
    return ZoneInfo(iana) if iana is not None else None


def _globally_unique(name: str) -> ZoneInfo | None:
    parts = name.strip("/").split("/")
    for start in range(1, len(parts)):
        zone = iana_zone("/".join(parts[start:]))
        if zone is not None:
            return zone
    return None


def _zone_for_definition(definition: Timezone) -> tzinfo:
    """The zone a VTIMEZONE definition describes; cached by content, never by name."""
    digest = hashlib.sha256(definition.to_ical()).hexdigest()
    zone = _BY_CONTENT.get(digest)
    if zone is None:
        zone = _equivalent_zone(definition) or tzp.create_timezone(definition)
        if len(_BY_CONTENT) >= _CACHE_SIZE:
            _BY_CONTENT.clear()
        _BY_CONTENT[digest] = zone
    return zone


def _equivalent_zone(definition: Timezone) -> tzinfo | None:
    """A fixed offset or IANA zone that agrees with ``definition`` wherever it says anything.

    The definition is probed weekly and a minute either side of each of its transitions,
    from its first transition (not before 2010) to at least 2031. ``None`` if no zone agrees.
    """
    times, infos = definition.get_transitions()
    if not times:
        raise ValueError("it has neither STANDARD nor DAYLIGHT rules")
    start = max(times[0], _PROBE_START)
    end = max(start + timedelta(days=366), _PROBE_END)
    probes = [start + timedelta(weeks=week) for week in range((end - start).days // 7 + 1)]
    for moment in times[bisect_right(times, start) : bisect_right(times, end)]:
        probes += [moment - timedelta(minutes=1), moment + timedelta(minutes=1)]
    offsets = [infos[bisect_right(times, probe) - 1][0] for probe in probes]
    if len(set(offsets)) == 1:
        return timezone(offsets[0])
    instants = [probe.replace(tzinfo=UTC) for probe in probes]
    for candidate in _CANDIDATES:
        zone = ZoneInfo(candidate)
        if all(
            instant.astimezone(zone).utcoffset() == offset
            for instant, offset in zip(instants, offsets, strict=True)
        ):
            return zone
    return None

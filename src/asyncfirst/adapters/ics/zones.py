"""Turn the TZIDs of one calendar into zones, using only that calendar's definitions.

A TZID is resolved, in this order, to:

1. the IANA zone of that name (``Europe/Berlin``), whatever the file's VTIMEZONE says;
2. the IANA zone of a Windows name (``W. Europe Standard Time`` -> ``Europe/Berlin``);
3. the IANA name at the end of a "globally unique" TZID
   (``/freeassociation.sourceforge.net/Europe/Berlin``);
4. for any other name with a VTIMEZONE in this calendar (Outlook's ``Customized Time
   Zone``, ``Europe_Berlin``, ``MyTimezone``): the IANA zone that agrees with the
   definition at every probe from 2018 to 2030, a fixed offset if the definition has no
   transitions, else the definition itself;
5. otherwise nothing: the times are read as floating, with a warning.

Equivalence results are cached by the *content* of the definition, never by its name, so
one calendar's definitions cannot leak into another's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Component
from icalendar.timezone import tzp

from asyncfirst.adapters.ics.windows_zones import WINDOWS_TO_IANA, windows_to_iana

__all__ = ["ZoneResolver", "iana_zone"]

_PROBE_START = datetime(2018, 1, 1, tzinfo=UTC)
_PROBE_WEEKS = 13 * 52
_CANDIDATES = tuple(dict.fromkeys(WINDOWS_TO_IANA.values()))
_CACHE_SIZE = 256
_BY_CONTENT: dict[str, tzinfo] = {}


class ZoneResolver:
    """Resolves TZIDs for one calendar; collects warnings about the ones it cannot."""

    def __init__(self, definitions: Iterable[Component]) -> None:
        self._definitions: dict[str, Component] = {}
        for component in definitions:
            tzid = component.get("TZID")
            if tzid is not None:
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


def _zone_for_definition(definition: Component) -> tzinfo:
    """The zone a VTIMEZONE definition describes; cached by content, never by name."""
    digest = hashlib.sha256(definition.to_ical()).hexdigest()
    zone = _BY_CONTENT.get(digest)
    if zone is None:
        zone = _equivalent_zone(tzp.create_timezone(definition))
        if len(_BY_CONTENT) >= _CACHE_SIZE:
            _BY_CONTENT.clear()
        _BY_CONTENT[digest] = zone
    return zone


def _equivalent_zone(defined: tzinfo) -> tzinfo:
    probes = _probes(defined)
    offsets = [instant.astimezone(defined).utcoffset() for instant in probes]
    if len(set(offsets)) == 1 and offsets[0] is not None:
        return timezone(offsets[0])
    for candidate in _CANDIDATES:
        zone = ZoneInfo(candidate)
        if all(
            instant.astimezone(zone).utcoffset() == offset
            for instant, offset in zip(probes, offsets, strict=True)
        ):
            return zone
    return defined


def _probes(zone: tzinfo) -> list[datetime]:
    """Weekly instants from 2018 to 2030 plus a minute either side of each transition."""
    weekly = [_PROBE_START + timedelta(weeks=week) for week in range(_PROBE_WEEKS + 1)]
    probes = list(weekly)
    for before, after in zip(weekly, weekly[1:], strict=False):
        if before.astimezone(zone).utcoffset() != after.astimezone(zone).utcoffset():
            moment = _transition(zone, before, after)
            probes += [moment - timedelta(minutes=1), moment + timedelta(minutes=1)]
    return probes


def _transition(zone: tzinfo, before: datetime, after: datetime) -> datetime:
    """The first instant in ``(before, after]`` with ``after``'s offset, to the minute."""
    target = after.astimezone(zone).utcoffset()
    low, high = before, after
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == target:
            high = middle
        else:
            low = middle
    return high

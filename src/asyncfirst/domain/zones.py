"""Time-zone names: IANA zones through ``zoneinfo`` (backed by the ``tzdata`` package)."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from asyncfirst.domain.errors import UnknownZoneError

__all__ = ["suggest_zone", "zone"]


@cache
def _all_zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def suggest_zone(name: str) -> str | None:
    """The closest IANA zone name to ``name``, for a "did you mean" hint."""
    zones = _all_zones()
    by_lower = {z.lower().replace("_", ""): z for z in zones}
    key = name.lower().replace("_", "").replace(" ", "")
    if key in by_lower:
        return by_lower[key]
    close = difflib.get_close_matches(name, zones, n=1, cutoff=0.6)
    return close[0] if close else None


@cache
def zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name, or ``UnknownZoneError`` with a suggestion."""
    try:
        if not name or name != name.strip() or name.startswith("/") or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        hint = suggest_zone(name)
        suffix = f' — did you mean "{hint}"?' if hint else " — use an IANA name like Europe/Paris"
        raise UnknownZoneError(f'unknown time zone "{name}"{suffix}', zone=name) from exc

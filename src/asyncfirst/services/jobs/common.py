"""What every job shares: times written in the zone of the person who reads them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

__all__ = ["local_text"]


def local_text(instant: datetime, zone: str) -> str:
    """``Mon 23 Nov 09:30 (Europe/Paris)``: an instant as a person reads it."""
    return f"{instant.astimezone(ZoneInfo(zone)):%a %d %b %H:%M} ({zone})"

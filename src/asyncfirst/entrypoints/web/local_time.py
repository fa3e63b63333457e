"""``local_time(zone)``: a template helper that shows an instant on the reader's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from asyncfirst.domain.zones import zone as zone_info

__all__ = ["local_time"]


def local_time(zone: str) -> Callable[[datetime | None], str]:
    """``Tue 24 Nov 15:00`` in ``zone`` (``—`` for no instant)."""
    tz = zone_info(zone)

    def show(instant: datetime | None) -> str:
        if instant is None:
            return "—"
        local = instant.astimezone(tz)
        return f"{local:%a} {local.day} {local:%b %H:%M}"

    return show

"""The bands of a person's day and the words for one meeting's cost to one person.

The weights below price a minute of meeting in each band (see ``inconvenience`` for how a
minute is put in a band). They are chosen so that the order is obvious and stable:
inside (free) < stretch < early/late < night = day off, and a protected focus block costs
more than an early start but far less than the night.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "DAY_OFF_WEIGHT",
    "EARLY_LATE_WEIGHT",
    "FOCUS_WEIGHT",
    "NIGHT_WEIGHT",
    "PROTECTED_FOCUS_WEIGHT",
    "STRETCH_WEIGHT",
    "Bands",
    "Category",
    "PersonCost",
    "format_minutes",
]

STRETCH_WEIGHT = 1.0
"""Cost per minute inside the person's own stretch allowance next to a shift."""
EARLY_LATE_WEIGHT = 3.0
"""Cost per minute outside hours but in the waking day (07:00–22:00 local)."""
NIGHT_WEIGHT = 10.0
"""Cost per minute at night (22:00–07:00 local): the night counts most."""
DAY_OFF_WEIGHT = 10.0
"""Cost per minute on a weekday the person does not work at all (e.g. Saturday)."""
FOCUS_WEIGHT = 1.0
"""Extra cost per minute overlapping an unprotected focus block."""
PROTECTED_FOCUS_WEIGHT = 4.0
"""Extra cost per minute overlapping a protected focus block."""

_EPSILON = 1e-9


class Category(StrEnum):
    """The worst band a meeting touches for one person, from best to worst."""

    INSIDE = "inside"
    STRETCH = "stretch"
    EARLY_LATE = "early-late"
    NIGHT = "night"
    DAY_OFF = "day-off"


def format_minutes(minutes: float) -> str:
    """``210`` → "3 h 30", ``45`` → "45 min", ``120`` → "2 h"."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


@dataclass(frozen=True, slots=True)
class Bands:
    """Minutes of one meeting in each band of the day, plus its focus-block overlap."""

    inside: float = 0.0
    stretch: float = 0.0
    early_late: float = 0.0
    night: float = 0.0
    day_off: float = 0.0
    focus: float = 0.0
    protected_focus: float = 0.0

    @property
    def cost(self) -> float:
        """The weighted cost (see the module's weights); 0 inside hours away from focus."""
        return (
            self.stretch * STRETCH_WEIGHT
            + self.early_late * EARLY_LATE_WEIGHT
            + self.night * NIGHT_WEIGHT
            + self.day_off * DAY_OFF_WEIGHT
            + self.focus * FOCUS_WEIGHT
            + self.protected_focus * PROTECTED_FOCUS_WEIGHT
        )

    @property
    def category(self) -> Category:
        """The worst band the meeting touches."""
        worst = (
            (Category.DAY_OFF, self.day_off),
            (Category.NIGHT, self.night),
            (Category.EARLY_LATE, self.early_late),
            (Category.STRETCH, self.stretch),
        )
        return next((c for c, m in worst if m > _EPSILON), Category.INSIDE)

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class PersonCost:
    """How one interval sits for one person; ``cost`` is ``math.inf`` when blocked."""

    person_id: str
    name: str
    zone: str
    local_start: datetime
    local_end: datetime
    bands: Bands
    cost: float
    blocked: str | None = None
    gap_after: float | None = None
    gap_before: float | None = None

    @property
    def category(self) -> Category:
        return self.bands.category

    @property
    def minutes(self) -> float:
        return (self.local_end - self.local_start).total_seconds() / 60

    @property
    def inside_hours(self) -> bool:
        """Unblocked and entirely inside working time."""
        return self.blocked is None and self.category is Category.INSIDE

    @property
    def outside_minutes(self) -> float:
        return max(self.minutes - self.bands.inside, 0.0)

    def local_label(self) -> str:
        """E.g. "Tue 22:00–22:30 Asia/Tokyo" (the end's weekday shown when it differs)."""
        start, end = self.local_start, self.local_end
        end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %H:%M}"
        return f"{start:%a %H:%M}–{end_text} {self.zone}"

    @property
    def reason(self) -> str:
        """Why it costs what it costs, in words, without the name and time."""
        bands = self.bands
        if self.blocked is not None:
            return f"blocked: {self.blocked}"
        if self.category is Category.INSIDE:
            text = "inside working hours"
        elif bands.day_off and not bands.inside:
            text = f"on a day off ({self.local_start:%A})"
        elif bands.inside:
            text = f"{format_minutes(self.outside_minutes)} outside working hours"
        else:
            text = self._distance()
        if bands.protected_focus:
            text += f", overlaps a protected focus block by {format_minutes(bands.protected_focus)}"
        if bands.focus:
            text += f", overlaps a focus block by {format_minutes(bands.focus)}"
        return text

    def _distance(self) -> str:
        after, before = self.gap_after, self.gap_before
        if after is not None and (before is None or after <= before):
            return (
                f"{format_minutes(after)} after working hours"
                if after
                else "right after working hours"
            )
        if before is not None:
            return (
                f"{format_minutes(before)} before working hours"
                if before
                else "right before working hours"
            )
        return "outside working hours"

    def describe(self) -> str:
        """E.g. "Kenji: Tue 22:00–22:30 Asia/Tokyo, 3 h 30 after working hours"."""
        return f"{self.name}: {self.local_label()}, {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": self.person_id,
            "name": self.name,
            "zone": self.zone,
            "local_start": self.local_start.isoformat(),
            "local_end": self.local_end.isoformat(),
            "inside_hours": self.inside_hours,
            "category": self.category.value,
            "cost": None if math.isinf(self.cost) else round(self.cost, 2),
            "blocked": self.blocked,
            "minutes": self.bands.to_dict(),
            "reason": self.reason,
            "text": self.describe(),
        }

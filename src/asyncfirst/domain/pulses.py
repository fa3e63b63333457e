"""The reflection pulse: which weeks ask a team how its sync/async balance feels.

**Pulse weeks.** Weeks are counted in whole weeks from a fixed epoch, the Monday
``PULSE_EPOCH`` (2026-01-05, the first Monday of 2026). A week is a team's pulse week
when the number of weeks between its Monday and the epoch is a multiple of the charter's
``reflection_every_weeks``: with ``reflection_every_weeks = 4`` the pulse weeks are those
of 2026-01-05, 2026-02-02, 2026-03-02, ... (and, going back, 2025-12-08). The count never
restarts, so changing the cadence keeps it anchored to the epoch rather than to the day
the charter changed. Which week "now" falls in is decided by the person's own local date.

**Verdicts.** "Our balance is: too much sync / about right / too little sync", with an
optional suggestion of what to change. A team only ever sees the verdicts as counts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, get_args

from asyncfirst.domain.errors import InputError

__all__ = [
    "PULSE_EPOCH",
    "SUGGESTION_MAX",
    "VERDICTS",
    "Verdict",
    "check_verdict",
    "is_pulse_week",
    "latest_pulse_week",
    "monday_of",
    "next_pulse_week",
]

Verdict = Literal["too_much_sync", "about_right", "too_little_sync"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
PULSE_EPOCH = date(2026, 1, 5)
SUGGESTION_MAX = 2_000


def monday_of(day: date) -> date:
    """The Monday of the ISO week ``day`` falls in."""
    return day - timedelta(days=day.weekday())


def _weeks_since_epoch(monday: date) -> int:
    return (monday - PULSE_EPOCH).days // 7


def _check_every(every_weeks: int) -> None:
    if every_weeks < 1:
        raise ValueError(f"a pulse every {every_weeks} weeks; at least every week")


def is_pulse_week(every_weeks: int, day: date) -> bool:
    """Whether the week of ``day`` is a pulse week for a team pulsing every ``every_weeks``."""
    _check_every(every_weeks)
    return _weeks_since_epoch(monday_of(day)) % every_weeks == 0


def latest_pulse_week(every_weeks: int, day: date) -> date:
    """The Monday of the last pulse week on or before the week of ``day``."""
    _check_every(every_weeks)
    monday = monday_of(day)
    return monday - timedelta(weeks=_weeks_since_epoch(monday) % every_weeks)


def next_pulse_week(every_weeks: int, day: date) -> date:
    """The Monday of the first pulse week strictly after the week of ``day``."""
    return latest_pulse_week(every_weeks, day) + timedelta(weeks=every_weeks)


def check_verdict(verdict: str) -> Verdict:
    """``verdict`` if it is one of ``VERDICTS``; else ``InputError`` listing them."""
    for known in VERDICTS:
        if verdict == known:
            return known
    raise InputError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}", field="verdict")

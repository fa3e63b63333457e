"""Pulse weeks: every N weeks counted from the epoch Monday 2026-01-05."""

from __future__ import annotations

from datetime import date

import pytest

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.pulses import (
    PULSE_EPOCH,
    check_verdict,
    is_pulse_week,
    latest_pulse_week,
    next_pulse_week,
)


def test_the_epoch_is_a_monday_and_a_pulse_week_for_every_cadence() -> None:
    assert PULSE_EPOCH.weekday() == 0
    for every in (1, 2, 4, 52):
        assert is_pulse_week(every, PULSE_EPOCH)
        assert is_pulse_week(every, date(2026, 1, 11))  # the Sunday of that week


@pytest.mark.parametrize(
    ("every", "day", "pulse", "latest", "upcoming"),
    [
        (4, date(2026, 11, 10), True, date(2026, 11, 9), date(2026, 12, 7)),
        (4, date(2026, 11, 20), False, date(2026, 11, 9), date(2026, 12, 7)),
        (2, date(2026, 11, 20), False, date(2026, 11, 9), date(2026, 11, 23)),
        (1, date(2026, 11, 20), True, date(2026, 11, 16), date(2026, 11, 23)),
        (4, date(2025, 12, 10), True, date(2025, 12, 8), date(2026, 1, 5)),  # before the epoch
        (4, date(2025, 12, 31), False, date(2025, 12, 8), date(2026, 1, 5)),
    ],
)
def test_pulse_weeks(every: int, day: date, pulse: bool, latest: date, upcoming: date) -> None:
    assert is_pulse_week(every, day) is pulse
    assert latest_pulse_week(every, day) == latest
    assert next_pulse_week(every, day) == upcoming


def test_an_unknown_verdict_is_refused_with_the_known_ones() -> None:
    assert check_verdict("about_right") == "about_right"
    with pytest.raises(InputError, match="too_much_sync, about_right, too_little_sync"):
        check_verdict("fine")

"""The jobs as use cases on small fakes and a fake clock: what each keeps, and that running
twice keeps it once (the outbox keeps a key once; a rolled-back transaction keeps nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Self, cast
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.domain.model import Organisation
from asyncfirst.domain.notifications import Notification
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork, QueueRow
from asyncfirst.services.jobs import DELIVERY_NOT_WIRED, catalogue
from asyncfirst.services.jobs.checkin_prompts import prompt_checkins
from asyncfirst.services.jobs.pulses import open_pulses
from asyncfirst.services.jobs.reminders import send_reminders

TOKYO = ZoneInfo("Asia/Tokyo")
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Clock:
    instant: datetime

    def now(self) -> datetime:
        return self.instant


@dataclass
class Store:
    """What the fake database holds: each recipient's open threads, and the kept outbox."""

    queues: dict[str, list[QueueRow]] = field(default_factory=dict)
    outbox: dict[str, Notification] = field(default_factory=dict)


class FakeOutbox:
    def __init__(self, store: Store) -> None:
        self.store, self.pending = store, dict[str, Notification]()

    def enqueue(self, notification: Notification) -> bool:
        if notification.key in self.store.outbox or notification.key in self.pending:
            return False
        self.pending[notification.key] = notification
        return True


class FakeThreads:
    def __init__(self, store: Store) -> None:
        self.store = store

    def open_queue(self, person: str) -> list[QueueRow]:
        return list(self.store.queues.get(person, []))


class FakeUnitOfWork:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.threads = FakeThreads(store)
        self.outbox = FakeOutbox(store)

    def __enter__(self) -> Self:
        self.outbox.pending.clear()
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.outbox.pending.clear()  # not committed: rolled back

    def commit(self) -> None:
        self.store.outbox.update(self.outbox.pending)
        self.outbox.pending.clear()


def hub_on(store: Store, org: Organisation, clock: Clock) -> HubContext:
    return HubContext(lambda: cast(HubUnitOfWork, FakeUnitOfWork(store)), clock, org)


def question_for(thread: int, created: datetime, due: datetime) -> QueueRow:
    return QueueRow(thread, "design", "question", "Which layout?", "amelie", created, due,
                    "Asia/Tokyo")  # fmt: skip


def test_a_reminder_goes_out_once_an_hour_of_kenjis_working_time_before(
    demo_org: Organisation,
) -> None:
    """Asked Thursday 2026-11-19 10:00 Tokyo, due Tuesday 10:00 (Monday is a holiday): the
    reminder is due Friday 18:00 Tokyo, within Kenji's hours, and goes out once."""
    created = datetime(2026, 11, 19, 10, 0, tzinfo=TOKYO)
    due = datetime(2026, 11, 24, 10, 0, tzinfo=TOKYO)
    store = Store(queues={"kenji": [question_for(12, created, due)]})
    clock = Clock(datetime(2026, 11, 20, 17, 59, tzinfo=TOKYO))
    hub = hub_on(store, demo_org, clock)
    assert send_reminders(hub) == 0
    clock.instant = datetime(2026, 11, 20, 18, 0, tzinfo=TOKYO)
    assert send_reminders(hub) == 1
    assert send_reminders(hub) == 0  # the second run keeps nothing new
    clock.instant = datetime(2026, 11, 24, 9, 45, tzinfo=TOKYO)
    assert send_reminders(hub) == 0
    (kept,) = store.outbox.values()
    assert kept.key == "reminder:thread:12:kenji"
    assert kept.recipients == ("kenji",)
    assert kept.team == "coding"
    assert "Tue 24 Nov 10:00 (Asia/Tokyo)" in kept.subject


def test_a_reminder_missed_at_night_waits_for_the_morning(demo_org: Organisation) -> None:
    created = datetime(2026, 11, 19, 10, 0, tzinfo=TOKYO)
    due = datetime(2026, 11, 24, 10, 0, tzinfo=TOKYO)
    store = Store(queues={"kenji": [question_for(3, created, due)]})
    clock = Clock(datetime(2026, 11, 21, 2, 0, tzinfo=TOKYO))  # Saturday night: the job was down
    hub = hub_on(store, demo_org, clock)
    assert send_reminders(hub) == 0
    clock.instant = datetime(2026, 11, 23, 11, 0, tzinfo=TOKYO)  # Monday, a holiday
    assert send_reminders(hub) == 0
    clock.instant = datetime(2026, 11, 24, 9, 30, tzinfo=TOKYO)  # Tuesday, day start
    assert send_reminders(hub) == 1


def test_checkin_prompts_at_each_members_day_start_once(demo_org: Organisation) -> None:
    """Monday 2026-11-30 09:00 Paris: the design team's day starts; Tokyo's started at 09:30
    JST (00:30 UTC), long past the hour of catch-up; New York is still asleep."""
    store = Store()
    clock = Clock(datetime(2026, 11, 30, 9, 5, tzinfo=PARIS))
    hub = hub_on(store, demo_org, clock)
    design = [p.id for p in demo_org.members("design")]
    assert prompt_checkins(hub) == len(design)
    assert prompt_checkins(hub) == 0
    keys = sorted(store.outbox)
    assert keys == sorted(f"checkin_prompt:design:{p}:2026-11-30" for p in design)


def test_no_checkin_prompt_on_a_holiday(demo_org: Organisation) -> None:
    """Monday 2026-11-23 is a holiday in Tokyo: no prompt for the coding team that day."""
    store = Store()
    hub = hub_on(store, demo_org, Clock(datetime(2026, 11, 23, 9, 40, tzinfo=TOKYO)))
    assert prompt_checkins(hub) == 0
    hub = hub_on(store, demo_org, Clock(datetime(2026, 11, 24, 9, 40, tzinfo=TOKYO)))
    coding = {p.id for p in demo_org.members("coding")}
    assert prompt_checkins(hub) == len(coding)
    assert {n.recipients[0] for n in store.outbox.values()} == coding


def test_no_checkin_prompt_during_time_off(demo_org: Organisation) -> None:
    """The one person with year-end leave (2026-12-28 to 2027-01-05) is not prompted."""
    on_leave = next(p for p in demo_org.people if p.time_off)
    tz = ZoneInfo(on_leave.zone)
    store = Store()
    first = min(s.start for s in on_leave.hours.on(0))
    day_start = datetime(2026, 12, 28, first // 60, first % 60, tzinfo=tz)
    hub = hub_on(store, demo_org, Clock(day_start + timedelta(minutes=5)))
    prompt_checkins(hub)
    assert not any(on_leave.id in n.recipients for n in store.outbox.values())
    assert store.outbox  # the colleagues were prompted


def test_a_pulse_opens_once_per_team_in_its_pulse_week(demo_org: Organisation) -> None:
    """At the design team's first day start (Monday 09:00 Paris) of its next pulse week,
    not a minute before, and once."""
    from asyncfirst.domain.pulses import next_pulse_week

    design = demo_org.team("design")
    week = next_pulse_week(design.reflection_every_weeks, date(2026, 11, 27))
    store = Store()
    before = datetime(week.year, week.month, week.day, 8, 59, tzinfo=PARIS)
    hub = hub_on(store, demo_org, Clock(before))
    open_pulses(hub)
    assert f"pulse:design:{week.isoformat()}" not in store.outbox
    hub = hub_on(store, demo_org, Clock(before + timedelta(minutes=1)))
    assert open_pulses(hub) >= 1
    assert open_pulses(hub) == 0
    kept = store.outbox[f"pulse:design:{week.isoformat()}"]
    assert set(kept.recipients) == {p.id for p in demo_org.members("design")}


def test_the_catalogue_names_every_job_once_with_a_cron_friendly_period() -> None:
    jobs = catalogue()
    names = [j.name for j in jobs]
    assert names == [
        "send_reminders", "escalate_decisions", "prompt_checkins", "route_handoffs",
        "daily_digests", "open_pulses", "deliver_notifications",
    ]  # fmt: skip
    for job in jobs:
        seconds = int(job.every_seconds)
        assert 60 % seconds == 0 if seconds < 60 else 3600 % seconds == 0


def test_delivery_is_a_named_hook_until_wired(
    demo_org: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    hub = hub_on(Store(), demo_org, Clock(datetime(2026, 11, 30, tzinfo=UTC)))
    deliver = {j.name: j for j in catalogue()}["deliver_notifications"]
    with caplog.at_level("DEBUG", logger="asyncfirst.jobs"):
        assert deliver.run(hub) == 0
    assert DELIVERY_NOT_WIRED in caplog.text
    calls: list[HubContext] = []
    wired: Callable[[HubContext], int] = lambda h: calls.append(h) or 7  # noqa: E731
    assert {j.name: j for j in catalogue(wired)}["deliver_notifications"].run(hub) == 7
    assert calls == [hub]

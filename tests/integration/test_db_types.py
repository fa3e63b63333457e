"""UTCDateTime: aware UTC back from both backends, naive refused, DST instants kept apart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Table,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import StatementError

from asyncfirst.adapters.db.types import NaiveDatetimeError, UTCDateTime

meta = MetaData()
instants = Table(
    "instants",
    meta,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=True),
)

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    meta.create_all(engine)
    yield engine
    meta.drop_all(engine)


def store(db: Engine, *values: datetime | None) -> list[datetime | None]:
    with db.begin() as conn:
        conn.execute(insert(instants), [{"id": i, "at": v} for i, v in enumerate(values)])
    with db.connect() as conn:
        return list(conn.scalars(select(instants.c.at).order_by(instants.c.id)))


def test_round_trip_gives_the_same_instant_aware_in_utc(db: Engine) -> None:
    sent = datetime(2026, 3, 9, 18, 15, 30, 123456, tzinfo=ZoneInfo("Asia/Kathmandu"))
    (back,) = store(db, sent)
    assert back == sent
    assert back is not None and back.tzinfo is UTC
    assert back == datetime(2026, 3, 9, 12, 30, 30, 123456, tzinfo=UTC)


def test_none_stays_none(db: Engine) -> None:
    assert store(db, None) == [None]


def test_naive_datetime_is_refused(db: Engine) -> None:
    with pytest.raises(StatementError) as caught, db.begin() as conn:
        conn.execute(insert(instants).values(id=1, at=datetime(2026, 1, 1, 9, 0)))
    assert isinstance(caught.value.orig, NaiveDatetimeError)
    assert "naive datetime 2026-01-01T09:00:00 refused" in str(caught.value.orig)
    with db.connect() as conn:
        assert conn.scalar(select(instants.c.id)) is None


def test_the_repeated_hour_of_a_fall_back_day_stays_two_instants(db: Engine) -> None:
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)  # EDT, -04:00
    second = first.replace(fold=1)  # EST, -05:00
    back = store(db, first, second)
    assert back == [
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    ]


def test_instants_around_spring_forward_and_half_hour_dst(db: Engine) -> None:
    before = datetime(2026, 3, 8, 1, 59, tzinfo=NEW_YORK)
    after = before + timedelta(minutes=1)  # wall clock arithmetic: 02:00 does not exist
    lord_howe = datetime(2026, 4, 5, 1, 45, fold=1, tzinfo=ZoneInfo("Australia/Lord_Howe"))
    back = store(db, before, after.astimezone(UTC), lord_howe)
    assert back[0] == datetime(2026, 3, 8, 6, 59, tzinfo=UTC)
    assert back[1] == after.astimezone(UTC)
    assert back[2] == datetime(2026, 4, 4, 15, 15, tzinfo=UTC)  # +10:30 after the change


def test_ordering_in_the_database_is_by_instant_not_by_wall_clock(db: Engine) -> None:
    tokyo_morning = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 00:00 UTC
    paris_morning = datetime(2026, 6, 1, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 06:00 UTC
    store(db, paris_morning, tokyo_morning)
    with db.connect() as conn:
        ordered = list(conn.scalars(select(instants.c.id).order_by(instants.c.at)))
    assert ordered == [1, 0]


def test_storage_form_per_backend(db: Engine) -> None:
    store(db, datetime(2026, 1, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris")))
    column = next(c for c in inspect(db).get_columns("instants") if c["name"] == "at")
    with db.connect() as conn:
        raw = conn.execute(text("SELECT at FROM instants")).scalar_one()
    if db.dialect.name == "sqlite":
        assert raw == "2026-01-15 09:00:00.000000"  # naive UTC text
    else:
        assert isinstance(column["type"], DateTime)
        assert column["type"].timezone is True  # timestamptz
        assert raw == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

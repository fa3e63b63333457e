"""``apply_charter`` on a real database (SQLite and PostgreSQL): idempotent, diffed, audited."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, Table, func, select

from asyncfirst.adapters.db import tables
from asyncfirst.adapters.db.migrate import database_info
from asyncfirst.adapters.db.repository import SqlCharterUnitOfWork
from asyncfirst.bootstrap import FixedClock
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import AsyncBand, Organisation
from asyncfirst.services.charter_records import POLICY_FIELDS, PolicyChange
from asyncfirst.services.charter_sync import ApplyResult, apply_charter, policy_history

FIRST = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 5, 11, 14, 30, tzinfo=UTC)


def apply(
    engine: Engine,
    org: Organisation,
    at: datetime = FIRST,
    *,
    by: str = "amelie",
    reason: str | None = None,
) -> ApplyResult:
    uow = SqlCharterUnitOfWork(engine)
    return apply_charter(org, "demo", uow=uow, clock=FixedClock(at), changed_by=by, reason=reason)


def count(engine: Engine, table: Table) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def with_band(org: Organisation, team_id: str, band: AsyncBand) -> Organisation:
    teams = tuple(replace(t, band=band) if t.id == team_id else t for t in org.teams)
    return Organisation(org.name, teams, org.people)


def without(org: Organisation, person_id: str) -> Organisation:
    return Organisation(org.name, org.teams, tuple(p for p in org.people if p.id != person_id))


def test_first_apply_adds_everything_and_the_second_changes_nothing(
    migrated: Engine, demo_org: Organisation
) -> None:
    first = apply(migrated, demo_org)
    assert not first.unchanged
    assert first.applied_at == FIRST
    assert first.diff.added_teams == ("design", "coding", "qa")
    assert len(first.diff.added_people) == 15
    assert 'team "qa" added' in first.diff.lines()

    second = apply(migrated, demo_org, LATER)
    assert second.unchanged
    assert second.applied_at is None
    assert second.diff.lines() == []
    assert second.digest == first.digest
    assert count(migrated, tables.charter_applies) == 1
    assert count(migrated, tables.teams) == 3
    assert count(migrated, tables.people) == 15


def test_the_first_apply_records_each_teams_starting_policy(
    migrated: Engine, demo_org: Organisation
) -> None:
    apply(migrated, demo_org, reason="initial charter")
    history = policy_history(SqlCharterUnitOfWork(migrated), "qa")
    assert [c.field for c in history] == list(POLICY_FIELDS)
    assert all(c.old is None and c.reason == "initial charter" for c in history)
    assert {c.field: c.new for c in history}["async_band"] == "0.70–0.90"
    assert {c.field: c.new for c in history}["alignment"] == "every 2 weeks, 45 min"


def test_a_changed_band_updates_in_place_with_one_history_row(
    migrated: Engine, demo_org: Organisation
) -> None:
    apply(migrated, demo_org)
    result = apply(
        migrated,
        with_band(demo_org, "qa", AsyncBand(0.75, 0.90)),
        LATER,
        by="maria",
        reason="fewer stand-ups after the retro",
    )
    assert result.diff.lines() == ['team "qa": async_band 0.70–0.90 → 0.75–0.90']
    changes = [c for c in policy_history(SqlCharterUnitOfWork(migrated)) if c.changed_at == LATER]
    assert changes == [
        PolicyChange(
            "qa",
            "async_band",
            "0.70–0.90",
            "0.75–0.90",
            LATER,
            "maria",
            "fewer stand-ups after the retro",
        )
    ]
    assert changes[0].changed_at.tzinfo is UTC
    assert count(migrated, tables.teams) == 3
    with migrated.connect() as connection:
        band = connection.execute(
            select(tables.teams.c.band_low, tables.teams.c.band_high).where(
                tables.teams.c.key == "qa"
            )
        ).one()
    assert tuple(band) == (0.75, 0.90)
    assert apply(migrated, with_band(demo_org, "qa", AsyncBand(0.75, 0.90)), LATER).unchanged


def test_a_removed_person_is_marked_inactive_not_deleted(
    migrated: Engine, demo_org: Organisation
) -> None:
    apply(migrated, demo_org)
    result = apply(migrated, without(demo_org, "ava"), LATER)
    assert result.diff.removed_people == ("ava",)
    assert result.diff.lines() == ['person "ava" removed (marked inactive)']
    assert count(migrated, tables.people) == 15
    with SqlCharterUnitOfWork(migrated) as uow:
        stored = uow.charter.snapshot()
    assert stored is not None and stored.people["ava"].active is False
    info = database_info(migrated)
    assert (info.counts["people"], info.counts["people_inactive"]) == (14, 1)
    assert apply(migrated, without(demo_org, "ava"), LATER).unchanged


def test_a_removed_person_who_returns_is_reactivated_not_duplicated(
    migrated: Engine, demo_org: Organisation
) -> None:
    apply(migrated, demo_org)
    apply(migrated, without(demo_org, "ava"), LATER)
    back = apply(migrated, demo_org, LATER)
    assert back.diff.added_people == ("ava",)
    assert count(migrated, tables.people) == 15
    assert database_info(migrated).counts["people_inactive"] == 0


def test_an_added_person_and_a_moved_person(migrated: Engine, demo_org: Organisation) -> None:
    apply(migrated, demo_org)
    ava = demo_org.person("ava")
    zoe = replace(ava, id="zoe", name="Zoé Martin", emails=("zoe@demo.asyncfirst.example",))
    moved = replace(demo_org.person("noah"), team_id="design")
    people = (*(moved if p.id == "noah" else p for p in demo_org.people), zoe)
    result = apply(migrated, Organisation(demo_org.name, demo_org.teams, people), LATER)
    assert result.diff.added_people == ("zoe",)
    assert 'person "noah": team qa → design' in result.diff.lines()
    assert count(migrated, tables.people) == 16
    with SqlCharterUnitOfWork(migrated) as uow:
        stored = uow.charter.snapshot()
    assert stored is not None
    assert stored.people["zoe"].name == "Zoé Martin"
    assert stored.people["noah"].team == "design"


def test_renaming_the_organisation_updates_the_one_row(
    migrated: Engine, demo_org: Organisation
) -> None:
    apply(migrated, demo_org)
    result = apply(migrated, Organisation("Renamed Org", demo_org.teams, demo_org.people), LATER)
    assert result.diff.lines() == ['organisation: name "Demo Org" → "Renamed Org"']
    assert count(migrated, tables.organisations) == 1


def test_nothing_is_kept_without_commit(migrated: Engine) -> None:
    with SqlCharterUnitOfWork(migrated) as uow:
        uow.charter.save_organisation("Uncommitted", FIRST)
        assert uow.charter.snapshot() is not None
    with SqlCharterUnitOfWork(migrated) as uow:
        assert uow.charter.snapshot() is None


def test_who_applies_must_be_said(migrated: Engine, demo_org: Organisation) -> None:
    with pytest.raises(InputError, match="--by"):
        apply_charter(
            demo_org, "demo", uow=SqlCharterUnitOfWork(migrated), clock=FixedClock(FIRST),
            changed_by="  ",
        )  # fmt: skip
    assert count(migrated, tables.organisations) == 0


def test_concurrent_applies_never_duplicate(migrated: Engine, demo_org: Organisation) -> None:
    barrier = threading.Barrier(2)

    def run() -> ApplyResult:
        barrier.wait()
        return apply(migrated, demo_org)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [f.result() for f in [pool.submit(run), pool.submit(run)]]
    assert sorted(r.unchanged for r in results) == [False, True]
    assert count(migrated, tables.organisations) == 1
    assert count(migrated, tables.teams) == 3
    assert count(migrated, tables.people) == 15

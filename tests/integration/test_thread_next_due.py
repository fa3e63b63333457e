"""``threads.next_due``: each thread's earliest open respond-by, stored so a team's list is
read in order from an index. It must always equal what the recipients say — after the
demo's posts, after answers (the earliest recipient's and another's), after the last
answer (None) — and migration 0011 must fill it in for threads written before it."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from sqlalchemy import Engine, inspect, select

from asyncfirst.adapters.db import tables
from asyncfirst.adapters.db.hub_repository import SqlThreadRepository
from asyncfirst.adapters.db.migrate import alembic_config, upgrade
from tests.integration.conftest import SEEDED_AT


def stored_and_expected(engine: Engine) -> dict[int, tuple[datetime | None, datetime | None]]:
    """Per thread: the stored ``next_due`` and the earliest open respond-by, recounted."""
    t, r = tables.threads, tables.thread_recipients
    with engine.connect() as connection:
        stored = dict(connection.execute(select(t.c.id, t.c.next_due)).all())
        expected: dict[int, datetime | None] = dict.fromkeys(stored)
        for thread_id, due in connection.execute(
            select(r.c.thread_id, r.c.respond_by).where(r.c.answered_at.is_(None))
        ):
            current = expected[thread_id]
            expected[thread_id] = due if current is None else min(current, due)
    return {thread_id: (stored[thread_id], expected[thread_id]) for thread_id in stored}


def recipients_by_due(engine: Engine, thread_id: int) -> list[str]:
    r, p = tables.thread_recipients, tables.people
    with engine.connect() as connection:
        return list(
            connection.scalars(
                select(p.c.key)
                .join(r, r.c.person_id == p.c.id)
                .where(r.c.thread_id == thread_id, r.c.answered_at.is_(None))
                .order_by(r.c.respond_by, p.c.key)
            )
        )


def answer(engine: Engine, thread_id: int, person: str) -> bool:
    with engine.begin() as connection:
        return SqlThreadRepository(connection).mark_answered(thread_id, person, SEEDED_AT)


def test_next_due_follows_every_post_and_answer(seeded: Engine) -> None:
    pairs = stored_and_expected(seeded)
    assert len(pairs) == 4
    assert all(stored == expected for stored, expected in pairs.values()), pairs
    thread_id = max(
        pairs, key=lambda i: (len(recipients_by_due(seeded, i)), i)
    )  # the thread with the most people still to answer
    waiting = recipients_by_due(seeded, thread_id)
    assert len(waiting) >= 2
    before = pairs[thread_id][0]
    assert answer(seeded, thread_id, waiting[-1])  # not the earliest: next_due stays
    assert stored_and_expected(seeded)[thread_id] == (before, before)
    assert answer(seeded, thread_id, waiting[0])  # the earliest: next_due moves on
    stored, expected = stored_and_expected(seeded)[thread_id]
    assert stored == expected
    if len(waiting) > 2:  # someone still waits, due no sooner than the earliest was
        assert stored is not None and before is not None and stored >= before
    else:
        assert stored is None
    assert not answer(seeded, thread_id, waiting[0])  # a second answer changes nothing
    for person in recipients_by_due(seeded, thread_id):
        assert answer(seeded, thread_id, person)
    assert stored_and_expected(seeded)[thread_id] == (None, None)  # nobody waits any more


def test_migration_0011_fills_next_due_for_existing_threads(seeded: Engine) -> None:
    before = {i: stored for i, (stored, _) in stored_and_expected(seeded).items()}
    assert any(due is not None for due in before.values())
    with seeded.begin() as connection:
        command.downgrade(alembic_config(connection), "0010")
    assert "next_due" not in {c["name"] for c in inspect(seeded).get_columns("threads")}
    upgrade(seeded)
    pairs = stored_and_expected(seeded)
    assert {i: stored for i, (stored, _) in pairs.items()} == before
    assert "ix_threads_team_id_next_due" in {
        i["name"] for i in inspect(seeded).get_indexes("threads")
    }

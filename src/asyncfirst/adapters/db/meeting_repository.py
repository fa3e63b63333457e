"""Meetings, their attendees and calendar-feed secrets behind the ``MeetingRepository`` and
``FeedRepository`` ports, on the hub unit of work's connection."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update

from asyncfirst.adapters.db.access_repository import person_id
from asyncfirst.adapters.db.rows import inserted_id
from asyncfirst.adapters.db.tables import feed_tokens, meeting_attendees, meetings, people, teams
from asyncfirst.services.meeting_ports import (
    AttendeeRecord,
    AttendeeZone,
    MeetingRecord,
    NewMeeting,
    StoredFeedToken,
)

__all__ = ["SqlFeedRepository", "SqlMeetingRepository"]

_m, _a = meetings, meeting_attendees
_organiser = people.alias("organiser")


def _meetings_query() -> Any:
    return (
        select(_m, teams.c.key.label("team_key"), _organiser.c.key.label("organiser_key"),
               _organiser.c.name.label("organiser_name"))
        .join(teams, _m.c.team_id == teams.c.id)
        .join(_organiser, _m.c.organiser_id == _organiser.c.id)
    )  # fmt: skip


_ATTENDEES = (
    select(_a.c.meeting_id, people.c.key, people.c.name, _a.c.zone)
    .join(people, _a.c.person_id == people.c.id)
    .where(_a.c.meeting_id.in_(bindparam("ids", expanding=True)))
    .order_by(_a.c.id)
)


def _attended_by_query(cancelled: bool) -> Any:
    mine = select(_a.c.meeting_id).where(
        _a.c.person_id
        == select(people.c.id).where(people.c.key == bindparam("person")).scalar_subquery()
    )
    query = _meetings_query().where(
        _m.c.id.in_(mine), _m.c.starts_at < bindparam("end"), _m.c.ends_at > bindparam("start")
    )
    if not cancelled:
        query = query.where(_m.c.cancelled_at.is_(None))
    return query.order_by(_m.c.starts_at, _m.c.id)


# Built once (My day and the calendar feed read them on every request): see hub_repository.
_ATTENDED_BY = {cancelled: _attended_by_query(cancelled) for cancelled in (False, True)}
_WITH_PREFIX = (
    select(feed_tokens, people.c.key.label("person_key"))
    .join(people, feed_tokens.c.person_id == people.c.id)
    .where(feed_tokens.c.prefix == bindparam("prefix"))
    .order_by(feed_tokens.c.id)
)


class SqlMeetingRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, meeting: NewMeeting, attendees: Sequence[AttendeeZone]) -> int:
        m = meeting
        team_id = self._db.scalar(select(teams.c.id).where(teams.c.key == m.team))
        if team_id is None:
            raise RuntimeError(f'no team "{m.team}"')
        result = self._db.execute(
            insert(_m).values(
                team_id=team_id, title=m.title, kind=m.kind, why_sync=m.why_sync,
                starts_at=m.starts_at, ends_at=m.ends_at,
                organiser_id=person_id(self._db, m.organiser), source=m.source,
                decision_id=m.decision_id, created_at=m.created_at,
            )
        )  # fmt: skip
        meeting_id = inserted_id(result, "meeting")
        for attendee in attendees:
            self._db.execute(
                insert(_a).values(
                    meeting_id=meeting_id, person_id=person_id(self._db, attendee.person),
                    zone=attendee.zone,
                )
            )  # fmt: skip
        return meeting_id

    def _attendees(self, meeting_ids: list[int]) -> dict[int, list[AttendeeRecord]]:
        rows = self._db.execute(_ATTENDEES, {"ids": meeting_ids})
        found: dict[int, list[AttendeeRecord]] = defaultdict(list)
        for row in rows:
            found[row.meeting_id].append(AttendeeRecord(row.key, row.name, row.zone))
        return found

    def _records(self, rows: list[Row[Any]]) -> list[MeetingRecord]:
        attendees = self._attendees([row.id for row in rows]) if rows else {}
        return [
            MeetingRecord(
                r.id, r.team_key, r.title, r.kind, r.why_sync, r.starts_at, r.ends_at,
                r.organiser_key, r.organiser_name, r.source, r.decision_id, r.created_at,
                r.cancelled_at, tuple(attendees.get(r.id, ())),
            )
            for r in rows
        ]  # fmt: skip

    def meeting(self, meeting_id: int) -> MeetingRecord | None:
        records = self._records(
            list(self._db.execute(_meetings_query().where(_m.c.id == meeting_id)))
        )
        return records[0] if records else None

    def of_decision(self, decision_id: int) -> int | None:
        found = self._db.scalar(select(_m.c.id).where(_m.c.decision_id == decision_id))
        return None if found is None else int(found)

    def cancel(self, meeting_id: int, at: datetime) -> None:
        self._db.execute(
            update(_m)
            .where(_m.c.id == meeting_id, _m.c.cancelled_at.is_(None))
            .values(cancelled_at=at)
        )

    def attended_by(
        self, person: str, start: datetime, end: datetime, *, cancelled: bool = False
    ) -> list[MeetingRecord]:
        query = _ATTENDED_BY[cancelled]
        rows = self._db.execute(query, {"person": person, "start": start, "end": end})
        return self._records(list(rows))


class SqlFeedRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, person: str, prefix: str, digest: str, at: datetime) -> int:
        result = self._db.execute(
            insert(feed_tokens).values(
                person_id=person_id(self._db, person), prefix=prefix, digest=digest, created_at=at
            )
        )
        return inserted_id(result, "feed token")

    def with_prefix(self, prefix: str) -> list[StoredFeedToken]:
        rows = self._db.execute(_WITH_PREFIX, {"prefix": prefix})
        return [
            StoredFeedToken(r.id, r.person_key, r.digest, r.created_at, r.revoked_at) for r in rows
        ]

    def revoke_all(self, person: str, at: datetime) -> int:
        f = feed_tokens
        result = self._db.execute(
            update(f)
            .where(f.c.person_id == person_id(self._db, person), f.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(result.rowcount)

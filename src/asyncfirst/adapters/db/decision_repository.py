"""Decisions, their deciders and responses behind the ``DecisionRepository`` port.

Works on the hub unit of work's one connection, inside its transaction. People and teams
are charter ids in the records and integer ids in the tables; the translation stays here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, Row, and_, bindparam, case, insert, or_, select, update

from asyncfirst.adapters.db.access_repository import person_id, person_id_of
from asyncfirst.adapters.db.rows import inserted_id, page_statement
from asyncfirst.adapters.db.tables import (
    decision_deciders,
    decision_responses,
    decisions,
    people,
    teams,
)
from asyncfirst.services.decision_ports import (
    DeciderDue,
    DeciderState,
    DecisionChange,
    DecisionRecord,
    NewDecision,
    ResponseRecord,
)
from asyncfirst.services.paging import PageCursor

__all__ = ["SqlDecisionRepository"]

_author = people.alias("decision_author")
_team = teams.alias("decision_team")


def _query() -> Any:
    return (
        select(decisions, _team.c.key.label("team_key"), _author.c.key.label("author_key"),
               _author.c.name.label("author_name"))
        .join(_team, decisions.c.team_id == _team.c.id)
        .join(_author, decisions.c.author_id == _author.c.id)
    )  # fmt: skip


def _open_for_decider_queries() -> tuple[Any, Any]:
    """My day's open decisions of one decider, and only that decider's responses in each
    one's current round (all the page needs: the others' votes grow with every round and
    re-vote). The person's row id is a subquery, not a round trip of its own. Built once."""
    dd, dr = decision_deciders, decision_responses
    person = select(people.c.id).where(people.c.key == bindparam("person")).scalar_subquery()
    theirs = select(dd.c.decision_id).where(dd.c.person_id == person)
    open_ = (
        _query()
        .where(decisions.c.state == "open", decisions.c.id.in_(theirs))
        .order_by(decisions.c.id)
    )
    own = (
        select(dr.c.decision_id, people.c.key, people.c.name, dr.c.choice, dr.c.round,
               dr.c.created_at)
        .join(people, dr.c.person_id == people.c.id)
        .join(decisions, dr.c.decision_id == decisions.c.id)
        .where(dr.c.decision_id.in_(bindparam("ids", expanding=True)),
               dr.c.person_id == person, dr.c.round == decisions.c.round)
        .order_by(dr.c.created_at, dr.c.id)
    )  # fmt: skip
    return open_, own


_OPEN_FOR_DECIDER, _OWN_RESPONSES = _open_for_decider_queries()

# Built once (a statement object memoises its cache key; building and hashing selects per
# call was about 4 % of the server's samples under load).
_DECISION = _query().where(decisions.c.id == bindparam("id"))
_TEAM_DECISIONS = _query().where(_team.c.key == bindparam("team")).order_by(decisions.c.id.desc())
_DECIDERS = (
    select(decision_deciders.c.decision_id, people.c.key, people.c.name,
           decision_deciders.c.decide_by, decision_deciders.c.zone)
    .join(people, decision_deciders.c.person_id == people.c.id)
    .where(decision_deciders.c.decision_id.in_(bindparam("ids", expanding=True)))
    .order_by(decision_deciders.c.decide_by, decision_deciders.c.id)
)  # fmt: skip
_RESPONSES = (
    select(decision_responses.c.decision_id, people.c.key, people.c.name,
           decision_responses.c.choice, decision_responses.c.round,
           decision_responses.c.created_at)
    .join(people, decision_responses.c.person_id == people.c.id)
    .where(decision_responses.c.decision_id.in_(bindparam("ids", expanding=True)))
    .order_by(decision_responses.c.created_at, decision_responses.c.id)
)  # fmt: skip


def _team_page_queries() -> tuple[Any, Any, Any]:
    """A page of a team's decisions in the list's order: open ones first by decide-by (then
    id), then the rest newest first; the database orders them, so a page reads only its own.
    The first page, the page after an open decision and after a closed one; built once."""
    open_ = decisions.c.state == "open"
    page = (
        _query()
        .where(_team.c.key == bindparam("team"))
        .order_by(
            case((open_, 0), else_=1), case((open_, decisions.c.decide_by), else_=None),
            case((open_, decisions.c.id), else_=-decisions.c.id),
        )
        .limit(bindparam("limit"))
    )  # fmt: skip
    after_due = bindparam("after_due", type_=decisions.c.decide_by.type)
    after_id = bindparam("after_id", type_=Integer)
    after_open = or_(
        ~open_,
        decisions.c.decide_by > after_due,
        and_(decisions.c.decide_by == after_due, decisions.c.id > after_id),
    )
    after_closed = and_(~open_, decisions.c.id < after_id)
    return page, page.where(after_open), page.where(after_closed)


_TEAM_PAGE, _TEAM_PAGE_AFTER_OPEN, _TEAM_PAGE_AFTER_CLOSED = _team_page_queries()


class SqlDecisionRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_decision(self, decision: NewDecision, deciders: Sequence[DeciderDue]) -> int:
        team_id = self._db.scalar(
            select(teams.c.id).where(teams.c.key == decision.team, teams.c.active)
        )
        if team_id is None:
            raise RuntimeError(f'no active team "{decision.team}"')
        d = decision
        result = self._db.execute(
            insert(decisions).values(
                team_id=team_id, author_id=person_id(self._db, d.author), thread_id=d.thread_id,
                title=d.title, body=d.body, mode=d.mode, options=list(d.options),
                quorum=d.quorum, decide_by=d.decide_by, state="open", urgent=d.urgent,
                critical=d.critical, round=1, max_rounds=d.max_rounds, created_at=d.created_at,
            )
        )  # fmt: skip
        decision_id = inserted_id(result, "decision")
        for due in deciders:
            self._db.execute(
                insert(decision_deciders).values(
                    decision_id=decision_id, person_id=person_id(self._db, due.person),
                    decide_by=due.decide_by, zone=due.zone,
                )
            )  # fmt: skip
        return decision_id

    def _deciders(self, ids: list[int]) -> dict[int, list[DeciderState]]:
        rows = self._db.execute(_DECIDERS, {"ids": ids})
        found: dict[int, list[DeciderState]] = defaultdict(list)
        for r in rows:
            found[r.decision_id].append(DeciderState(r.key, r.name, r.decide_by, r.zone))
        return found

    def _responses(
        self, ids: list[int], only: str | None = None
    ) -> dict[int, list[ResponseRecord]]:
        if only is not None:
            rows = self._db.execute(_OWN_RESPONSES, {"ids": ids, "person": only})
        else:
            rows = self._db.execute(_RESPONSES, {"ids": ids})
        found: dict[int, list[ResponseRecord]] = defaultdict(list)
        for r in rows:
            found[r.decision_id].append(
                ResponseRecord(r.key, r.name, r.choice, r.round, r.created_at)
            )
        return found

    def _records(
        self, rows: list[Row[Any]], responses_of: str | None = None
    ) -> list[DecisionRecord]:
        ids = [row.id for row in rows]
        deciders = self._deciders(ids) if ids else {}
        responses = self._responses(ids, responses_of) if ids else {}
        return [
            DecisionRecord(
                id=r.id, team=r.team_key, author=r.author_key, author_name=r.author_name,
                thread_id=r.thread_id, title=r.title, body=r.body, mode=r.mode,
                options=tuple(r.options), quorum=r.quorum, decide_by=r.decide_by, state=r.state,
                urgent=r.urgent, critical=r.critical, round=r.round, max_rounds=r.max_rounds,
                decided_option=r.decided_option, escalated_reason=r.escalated_reason,
                meeting_start=r.escalated_meeting_start, meeting_end=r.escalated_meeting_end,
                created_at=r.created_at, closed_at=r.closed_at,
                deciders=tuple(deciders.get(r.id, ())), responses=tuple(responses.get(r.id, ())),
            )
            for r in rows
        ]  # fmt: skip

    def decision(self, decision_id: int) -> DecisionRecord | None:
        rows = list(self._db.execute(_DECISION, {"id": decision_id}))
        records = self._records(rows)
        return records[0] if records else None

    def team_decisions(self, team: str) -> list[DecisionRecord]:
        return self._records(list(self._db.execute(_TEAM_DECISIONS, {"team": team})))

    def team_decisions_page(
        self, team: str, limit: int, after: PageCursor | None
    ) -> list[DecisionRecord]:
        query, params = page_statement(
            team, limit, after, _TEAM_PAGE, _TEAM_PAGE_AFTER_CLOSED, _TEAM_PAGE_AFTER_OPEN
        )
        return self._records(list(self._db.execute(query, params)))

    def open_for_decider(self, person: str) -> list[DecisionRecord]:
        rows = list(self._db.execute(_OPEN_FOR_DECIDER, {"person": person}))
        return self._records(rows, responses_of=person)

    def add_response(
        self, decision_id: int, person: str, choice: str, round_: int, at: datetime
    ) -> int:
        result = self._db.execute(
            insert(decision_responses).values(
                decision_id=decision_id, person_id=person_id_of(person), choice=choice,
                round=round_, created_at=at,
            )
        )  # fmt: skip
        return inserted_id(result, "response")

    def change(self, decision_id: int, change: DecisionChange) -> None:
        c = change
        self._db.execute(
            update(decisions)
            .where(decisions.c.id == decision_id)
            .values(
                state=c.state, round=c.round, decided_option=c.decided_option,
                escalated_reason=c.escalated_reason, escalated_meeting_start=c.meeting_start,
                escalated_meeting_end=c.meeting_end, closed_at=c.closed_at,
            )
        )  # fmt: skip

    def open_past(self, now: datetime) -> list[int]:
        rows = self._db.scalars(
            select(decisions.c.id)
            .where(decisions.c.state == "open", decisions.c.decide_by <= now)
            .order_by(decisions.c.decide_by, decisions.c.id)
        )
        return [int(i) for i in rows]

"""Small helpers every repository shares."""

from __future__ import annotations

from typing import Any

from asyncfirst.adapters.db.errors import StorageError
from asyncfirst.services.paging import PageCursor

__all__ = ["inserted_id", "page_statement"]


def inserted_id(result: Any, what: str) -> int:
    """The primary key of the row an INSERT just wrote (``what`` names it in the error)."""
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every supported backend reports it
        raise StorageError(f"the database did not report the new {what}'s id")
    return int(key[0])


def page_statement(
    team: str, limit: int, after: PageCursor | None, first: Any, after_done: Any, after_due: Any
) -> tuple[Any, dict[str, Any]]:
    """The statement and parameters of one page of a team's list ordered by due instant
    (still waiting) then id (done): ``first`` page, or the page after a cursor that ended
    in the done part (``after_done``) or in the waiting part (``after_due``)."""
    params: dict[str, Any] = {"team": team, "limit": limit}
    if after is None:
        return first, params
    if after.due is None:
        return after_done, params | {"after_id": after.id}
    return after_due, params | {"after_due": after.due, "after_id": after.id}

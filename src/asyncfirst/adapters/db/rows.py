"""Small helpers every repository shares."""

from __future__ import annotations

from typing import Any

from asyncfirst.adapters.db.errors import StorageError

__all__ = ["inserted_id"]


def inserted_id(result: Any, what: str) -> int:
    """The primary key of the row an INSERT just wrote (``what`` names it in the error)."""
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every supported backend reports it
        raise StorageError(f"the database did not report the new {what}'s id")
    return int(key[0])

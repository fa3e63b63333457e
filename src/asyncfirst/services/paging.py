"""Pages of a list that grows with use (a team's threads, its decisions): a ``limit`` and
an opaque cursor naming where the previous page ended, so each page is read on its own.

Such a list comes in two parts: items still waiting, by a due instant (then id), and the
rest, newest first. The cursor holds the last item's id and its due instant (none in the
second part): ``w<id>.<due in µs since 1970>`` or ``d<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asyncfirst.domain.errors import InputError

__all__ = [
    "PAGE_DEFAULT", "PAGE_MAX", "PageCursor", "check_limit", "cursor_text", "parse_cursor",
    "parse_due_cursor",
]  # fmt: skip

PAGE_DEFAULT = 50
PAGE_MAX = 200
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PageCursor:
    """Where a page ended: the last item's due instant (None in the list's second part,
    the items no longer waiting) and its id, the keys of the list's order."""

    due: datetime | None
    id: int


def check_limit(limit: int) -> None:
    if not 1 <= limit <= PAGE_MAX:
        raise InputError(f"limit is {limit}; give 1 to {PAGE_MAX}", field="limit", value=limit)


def cursor_text(due: datetime | None, item_id: int) -> str:
    if due is None:
        return f"d{item_id}"
    return f"w{item_id}.{(due - _EPOCH) // timedelta(microseconds=1)}"


def _not_ours() -> InputError:
    return InputError(
        "cursor is not one this list gave; pass next_cursor from the previous page",
        field="cursor",
    )


def parse_due_cursor(text: str) -> PageCursor:
    """``parse_cursor`` for a list of waiting items only (a person's queue): a cursor
    from a second part is refused too."""
    cursor = parse_cursor(text)
    if cursor.due is None:
        raise _not_ours()
    return cursor


def parse_cursor(text: str) -> PageCursor:
    """The cursor ``cursor_text`` made; anything else is refused naming the field."""
    bad = _not_ours()
    kind, (id_text, _, due_text) = text[:1], text[1:].partition(".")
    if not (id_text.isascii() and id_text.isdigit() and len(id_text) <= 10):
        raise bad
    if kind == "d" and not due_text:
        return PageCursor(None, int(id_text))
    if kind == "w" and due_text.isascii() and due_text.isdigit() and len(due_text) <= 17:
        due = _EPOCH + timedelta(microseconds=int(due_text))  # 17 digits: before year 5138
        return PageCursor(due, int(id_text))
    raise bad

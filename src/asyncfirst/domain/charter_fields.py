"""Typed reading of one charter entry, with errors that name file, entry and key."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn

from asyncfirst.domain.errors import CharterError

__all__ = ["Entry", "suggest"]


def suggest(value: str, valid: Iterable[str]) -> str:
    """A " — did you mean …?" hint, or the list of valid values when nothing is close."""
    options = sorted(valid)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f' — did you mean "{close[0]}"?'
    shown = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    return f" — valid: {shown}"


@dataclass(frozen=True)
class Entry:
    """A table of the charter (``where`` says which) read key by key."""

    where: str
    data: Mapping[str, Any]

    def fail(self, message: str, key: str | None = None) -> NoReturn:
        location = f"{self.where}: {key}" if key else self.where
        raise CharterError(f"{location}: {message}", location=self.where, key=key)

    def only(self, allowed: Iterable[str]) -> None:
        """Refuse keys that the charter does not define (typos would be silently ignored)."""
        allowed = set(allowed)
        for key in self.data:
            if key not in allowed:
                self.fail(f'unknown key "{key}"{suggest(key, allowed)}')

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            self.fail("is required", key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"must be a non-empty string, got {value!r}", key)
        return value.strip()

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"must be a number, got {value!r}", key)
        if not low <= value <= high:
            self.fail(f"must be between {low:g} and {high:g}, got {value!r}", key)
        return float(value)

    def integer(self, key: str, default: int | None, low: int, high: int) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"must be a whole number, got {value!r}", key)
        if not low <= value <= high:
            self.fail(f"must be between {low} and {high}, got {value!r}", key)
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"must be true or false, got {value!r}", key)
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """A string or a list of strings."""
        value = self.data.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"must be a string or a list of strings, got {value!r}", key)
        return tuple(value)

    def table(self, key: str) -> Entry | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.fail(f"must be a table, got {value!r}", key)
        return Entry(f"{self.where}: {key}", value)

    def tables(self, key: str) -> list[Entry]:
        """A list of inline tables (``key = [{...}, {...}]``) or ``[[key]]`` arrays."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.fail(f"must be a list of tables like [{{...}}], got {value!r}", key)
        return [Entry(f"{self.where}: {key}[{i}]", v) for i, v in enumerate(value)]

    def day(self, key: str) -> date:
        value = self.data.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        elif isinstance(value, date):
            return value
        self.fail(f"must be a date like 2026-12-24, got {value!r}", key)

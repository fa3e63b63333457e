"""What the coffee use cases need from storage: each person's choice and the drawn rounds.

``adapters.db.coffee_repository`` implements ``CoffeeRepository`` on the hub's unit of
work (``uow.coffee``). People by charter id; a round is a week (its Monday) and its groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

__all__ = ["CoffeePreference", "CoffeeRepository", "StoredGroup", "StoredRound"]


@dataclass(frozen=True, slots=True)
class CoffeePreference:
    person: str
    opted_in: bool
    paused_until: date | None  # the Monday pairing resumes; None: not paused
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredGroup:
    members: tuple[str, ...]
    starts_at: datetime | None
    ends_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredRound:
    week: date
    groups: tuple[StoredGroup, ...]


class CoffeeRepository(Protocol):
    def preferences(self) -> dict[str, CoffeePreference]:
        """Every stored choice by person id (a person without one follows the charter)."""
        ...

    def set_preference(
        self, person: str, opted_in: bool, paused_until: date | None, at: datetime
    ) -> None: ...

    def rounds(self, before: date | None = None) -> list[StoredRound]:
        """The drawn rounds, oldest first; with ``before`` only the weeks before it."""
        ...

    def round_of(self, week: date) -> StoredRound | None: ...

    def save_round(self, week: date, groups: Sequence[StoredGroup], at: datetime) -> None:
        """Store the week's groups; a week already drawn is left as it is."""
        ...

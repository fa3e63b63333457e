"""The one privacy gate: no team number is ever computed over too few people.

Rule (issue 3, and "private by default" in the product brief): a group number is shown
only when it covers at least ``min_group`` people — five by default, configurable, never
below three. Per-person detail belongs to that person's own report and never goes
through here.

Every aggregate in ``asyncfirst.analytics`` calls :func:`gate`. It takes one value per
person (``None`` for a person without data, e.g. no working time that period), drops the
``None`` values, counts the people left and only then — if there are enough — calls the
computation with the values (never the ids). Otherwise the computation is not run at all
and the result says why: ``withheld: 4 people, fewer than 5``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from asyncfirst.domain.errors import InputError

__all__ = ["DEFAULT_MIN_GROUP", "MIN_GROUP_FLOOR", "Gated", "PrivacyPolicy", "gate"]

DEFAULT_MIN_GROUP = 5
MIN_GROUP_FLOOR = 3

V = TypeVar("V")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class PrivacyPolicy:
    """The smallest group a team number may cover; refuses anything under three."""

    min_group: int = DEFAULT_MIN_GROUP

    def __post_init__(self) -> None:
        if isinstance(self.min_group, bool) or not isinstance(self.min_group, int):
            raise InputError(
                f"the privacy threshold must be a whole number of people, got {self.min_group!r}",
                min_group=self.min_group,
            )
        if self.min_group < MIN_GROUP_FLOOR:
            raise InputError(
                f"the privacy threshold is {self.min_group} people; it can never be below "
                f"{MIN_GROUP_FLOOR}, so no one's own numbers can be read off a team figure",
                min_group=self.min_group,
            )


@dataclass(frozen=True, slots=True)
class Gated(Generic[R]):
    """A group number, or the reason it is withheld.

    ``people`` is how many people had a value; ``value`` is ``None`` exactly when the
    number is withheld.
    """

    people: int
    min_group: int
    value: R | None

    @property
    def released(self) -> bool:
        return self.value is not None

    @property
    def note(self) -> str:
        """``""`` when released, else ``withheld: N people, fewer than M``."""
        if self.released:
            return ""
        noun = "person" if self.people == 1 else "people"
        return f"withheld: {self.people} {noun}, fewer than {self.min_group}"

    def get(self) -> R:
        """The released value; raises ``LookupError`` with the note when withheld."""
        if self.value is None:
            raise LookupError(self.note)
        return self.value


def gate(
    per_person: Mapping[str, V | None],
    compute: Callable[[list[V]], R],
    policy: PrivacyPolicy,
) -> Gated[R]:
    """``compute`` over the people who have a value, only if there are enough of them.

    ``compute`` sees the values in person-id order, never the ids, and must not return
    ``None``.
    """
    ordered = (per_person[person_id] for person_id in sorted(per_person))
    values = [value for value in ordered if value is not None]
    if len(values) < policy.min_group:
        return Gated(people=len(values), min_group=policy.min_group, value=None)
    result = compute(values)
    if result is None:
        raise TypeError("an aggregate must produce a value; use the gate to withhold one")
    return Gated(people=len(values), min_group=policy.min_group, value=result)

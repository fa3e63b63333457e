"""``charter apply``: load a charter into the database idempotently, keeping policy history.

A second apply of the same charter writes nothing and says so. A changed charter updates
teams and people in place (never duplicates them), marks removed ones inactive (never
deletes them, so what refers to them keeps working), and records who changed a team's
policy fields (band, deadlines, alignment, sync kinds), when, and the reason given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.services.charter_records import (
    POLICY_FIELDS,
    AppliedCharter,
    CharterSnapshot,
    CharterUnitOfWork,
    PersonRecord,
    PolicyChange,
    TeamRecord,
)
from asyncfirst.services.ports import Clock

__all__ = [
    "ApplyResult",
    "CharterDiff",
    "FieldChange",
    "apply_charter",
    "diff_snapshots",
    "policy_history",
]

Kind = Literal["organisation", "team", "person"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    kind: Kind
    key: str
    field: str
    old: str
    new: str

    def line(self) -> str:
        if self.kind == "organisation":
            return f'organisation: name "{self.old}" → "{self.new}"'
        return f'{self.kind} "{self.key}": {self.field} {self.old} → {self.new}'


@dataclass(frozen=True)
class CharterDiff:
    """What an apply changes; ``added`` includes records that come back after removal."""

    added_teams: tuple[str, ...] = ()
    removed_teams: tuple[str, ...] = ()
    added_people: tuple[str, ...] = ()
    removed_people: tuple[str, ...] = ()
    changes: tuple[FieldChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.added_teams
            or self.removed_teams
            or self.added_people
            or self.removed_people
            or self.changes
        )

    def lines(self) -> list[str]:
        """The diff in words, one line per change, e.g. ``team "qa": async_band 0.70–0.90 → 0.75–0.90``."""
        out = [f'team "{k}" added' for k in self.added_teams]
        out += [f'team "{k}" removed (marked inactive)' for k in self.removed_teams]
        out += [f'person "{k}" added' for k in self.added_people]
        out += [f'person "{k}" removed (marked inactive)' for k in self.removed_people]
        return out + [change.line() for change in self.changes]

    def to_dict(self) -> dict[str, Any]:
        return {
            "teams": {"added": list(self.added_teams), "removed": list(self.removed_teams)},
            "people": {"added": list(self.added_people), "removed": list(self.removed_people)},
            "changes": [
                {"kind": c.kind, "id": c.key, "field": c.field, "old": c.old, "new": c.new}
                for c in self.changes
            ],
        }


@dataclass(frozen=True)
class ApplyResult:
    source: str
    organisation: str
    digest: str
    diff: CharterDiff
    applied_at: datetime | None
    """When the changes were stored; ``None`` when the charter was already applied."""

    @property
    def unchanged(self) -> bool:
        return self.diff.empty

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "organisation": self.organisation,
            "digest": self.digest,
            "unchanged": self.unchanged,
            "applied_at": self.applied_at.isoformat() if self.applied_at else None,
            "diff": self.diff.to_dict(),
            "lines": self.diff.lines(),
        }


def _field_changes(
    kind: Kind, old: Mapping[str, TeamRecord] | Mapping[str, PersonRecord], new: Mapping[str, Any]
) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key in sorted(new.keys() & old.keys()):
        before, after = old[key].fields(), new[key].fields()
        changes += [
            FieldChange(kind, key, name, before[name], value)
            for name, value in after.items()
            if before.get(name) != value
        ]
    return changes


def diff_snapshots(stored: CharterSnapshot | None, wanted: CharterSnapshot) -> CharterDiff:
    """The changes that take ``stored`` (None for an empty database) to ``wanted``."""
    if stored is None:
        return CharterDiff(added_teams=tuple(wanted.teams), added_people=tuple(wanted.people))
    teams = {k: t for k, t in stored.teams.items() if t.active}
    people = {k: p for k, p in stored.people.items() if p.active}
    changes = []
    if stored.organisation != wanted.organisation:
        changes.append(
            FieldChange("organisation", "", "name", stored.organisation, wanted.organisation)
        )
    changes += _field_changes("team", stored.teams, wanted.teams)
    changes += _field_changes("person", stored.people, wanted.people)
    return CharterDiff(
        added_teams=tuple(k for k in wanted.teams if k not in teams),
        removed_teams=tuple(sorted(teams.keys() - wanted.teams.keys())),
        added_people=tuple(k for k in wanted.people if k not in people),
        removed_people=tuple(sorted(people.keys() - wanted.people.keys())),
        changes=tuple(changes),
    )


def _policy_changes(
    stored: CharterSnapshot | None, wanted: CharterSnapshot
) -> list[tuple[str, str, str | None, str]]:
    """(team, field, old, new) for each policy field that a new or changed team sets."""
    rows = []
    for key, team in wanted.teams.items():
        before = stored.teams[key].fields() if stored and key in stored.teams else {}
        after = team.fields()
        rows += [
            (key, name, before.get(name), after[name])
            for name in POLICY_FIELDS
            if before.get(name) != after[name]
        ]
    return rows


def apply_charter(
    org: Organisation,
    source_name: str,
    *,
    uow: CharterUnitOfWork,
    clock: Clock,
    changed_by: str,
    reason: str | None = None,
) -> ApplyResult:
    """Store ``org`` in one transaction and say what changed (nothing, the second time)."""
    who = changed_by.strip()
    if not who:
        raise InputError("say who applies the charter (--by NAME)", option="--by")
    why = (reason or "").strip() or None
    now = clock.now()
    if now.tzinfo is None:
        raise ValueError("the clock must give aware datetimes")
    wanted = CharterSnapshot.from_organisation(org)
    digest = wanted.digest()
    with uow:
        stored = uow.charter.snapshot()
        diff = diff_snapshots(stored, wanted)
        if diff.empty:
            return ApplyResult(source_name, org.name, digest, diff, None)
        if stored is None or stored.organisation != wanted.organisation:
            uow.charter.save_organisation(wanted.organisation, now)
        apply_id = uow.charter.add_apply(AppliedCharter(digest, now, who, source_name, why))
        old_teams = stored.teams if stored else {}
        old_people = stored.people if stored else {}
        for key, team in wanted.teams.items():
            if old_teams.get(key) != team:
                uow.charter.save_team(team, now)
        for key, person in wanted.people.items():
            if old_people.get(key) != person:
                uow.charter.save_person(person, now)
        for key in diff.removed_people:
            uow.charter.save_person(replace(old_people[key], active=False), now)
        for key in diff.removed_teams:
            uow.charter.save_team(replace(old_teams[key], active=False), now)
        for team_key, name, old, new in _policy_changes(stored, wanted):
            change = PolicyChange(team_key, name, old, new, now, who, why)
            uow.charter.add_policy_change(change, apply_id)
        uow.commit()
    return ApplyResult(source_name, org.name, digest, diff, now)


def policy_history(uow: CharterUnitOfWork, team: str | None = None) -> list[PolicyChange]:
    """Every recorded change of a team's policy fields (all teams when ``team`` is None)."""
    with uow:
        return uow.charter.policy_history(team)

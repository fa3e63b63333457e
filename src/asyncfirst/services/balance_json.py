"""The JSON shape of the balance report (``asyncfirst report --json``), documented in docs/report.md.

A withheld number is ``{"withheld": "withheld: 4 people, fewer than 5"}`` — never a value.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any

from asyncfirst.analytics.privacy import Gated

if TYPE_CHECKING:
    from asyncfirst.services.balance import BalanceReport, PersonSection, TeamSection

__all__ = ["gated_to_json", "report_to_dict"]


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def gated_to_json(value: Gated[Any]) -> Any:
    return _plain(value.value) if value.released else {"withheld": value.note}


def _team(section: TeamSection) -> dict[str, Any]:
    agg = section.aggregate
    return {
        "id": section.team.id,
        "name": section.team.name,
        "band": [section.team.band.low, section.team.band.high],
        "members": section.members,
        "with_calendar": section.with_calendar,
        "async_share": gated_to_json(agg.team_async_share),
        "async_share_distribution": gated_to_json(agg.async_share),
        "inside_band": gated_to_json(agg.inside_band),
        "sync_hours_per_week": gated_to_json(agg.sync_hours),
        "after_hours_sync_hours_per_week": gated_to_json(agg.after_hours_sync_hours),
        "focus_hours_per_week": gated_to_json(agg.focus_hours),
        "fragmented_hours_per_week": gated_to_json(agg.fragmented_hours),
        "meetings_per_week": gated_to_json(agg.meetings),
        "weekly_async_share": [gated_to_json(w) for w in section.weekly],
        "meetings_by_local_hour": gated_to_json(section.hours_of_day),
        "members_with_signals": gated_to_json(section.signals),
        "recommendations": [_plain(r) for r in section.recommendations],
    }


def _person(section: PersonSection) -> dict[str, Any]:
    return {
        "id": section.person.id,
        "name": section.person.name,
        "team": section.team.id,
        "zone": section.person.zone,
        "band": [section.team.band.low, section.team.band.high],
        "weeks": [{**_plain(w), "monday": w.monday.isoformat()} for w in section.weeks],
        "signals": [
            {**_plain(s), "weeks": [d.isoformat() for d in s.weeks]} for s in section.signals
        ],
        "recommendations": [_plain(r) for r in section.recommendations],
        "meetings_by_local_hour": list(section.hours_of_day),
    }


def report_to_dict(report: BalanceReport) -> dict[str, Any]:
    return {
        "organisation": report.organisation,
        "weeks": [m.isoformat() for m in report.mondays],
        "privacy_min_group": report.min_group,
        "calendars_read": report.calendars_read,
        "occurrences": report.occurrences,
        "skipped_series": report.skipped_series,
        "warnings": list(report.warnings),
        "teams": [_team(t) for t in report.teams],
        "person": _person(report.person) if report.person else None,
    }

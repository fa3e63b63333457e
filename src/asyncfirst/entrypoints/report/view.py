"""Plain words and numbers of the balance report, shared by the terminal, Markdown and HTML."""

from __future__ import annotations

from typing import Any

from asyncfirst.analytics.privacy import Gated
from asyncfirst.services.balance import BalanceReport, TeamSection
from asyncfirst.services.pulse_views import PulseResults

__all__ = ["headline", "pct", "pulse_rows", "span", "team_rows"]


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def span(report: BalanceReport) -> str:
    first, last = report.mondays[0], report.mondays[-1]
    weeks = len(report.mondays)
    return f"{weeks} week{'s' if weeks > 1 else ''} from Mon {first:%d %b %Y} (last week starts {last:%d %b})"


def _dist(value: Gated[Any], fmt: str) -> str:
    if not value.released:
        return value.note
    d = value.get()
    return f"{format(d.median, fmt)} ({format(d.p10, fmt)}–{format(d.p90, fmt)})"


def team_rows(section: TeamSection) -> list[tuple[str, str]]:
    """(label, value) rows of one team; withheld numbers say why."""
    agg = section.aggregate
    band = section.team.band
    share = agg.team_async_share
    status = ""
    if share.released:
        value = share.get()
        status = (
            " — inside the band"
            if band.contains(round(value, 9))
            else (" — under the floor" if value < band.low else " — above the ceiling")
        )
    inside = agg.inside_band
    signals = section.signals
    return [
        ("members with calendars", f"{section.with_calendar} of {section.members}"),
        ("async share (team)", (pct(share.value) + status) if share.released else share.note),
        ("target band", f"{band.low:.0%}–{band.high:.0%} async"),
        ("async share per member, median (p10–p90)", _dist(agg.async_share, ".0%")),
        ("members inside the band", pct(inside.value) if inside.released else inside.note),
        ("sync h/week, median (p10–p90)", _dist(agg.sync_hours, ".1f")),
        ("after-hours sync h/week", _dist(agg.after_hours_sync_hours, ".1f")),
        ("focus h/week (stretches ≥ 2 h)", _dist(agg.focus_hours, ".1f")),
        ("fragmented free h/week", _dist(agg.fragmented_hours, ".1f")),
        ("meetings/week", _dist(agg.meetings, ".1f")),
        (
            "members with signals",
            (
                f"isolation {signals.get()['isolation']}, burnout {signals.get()['burnout']}"
                if signals.released
                else signals.note
            ),
        ),
    ]


def pulse_rows(pulse: PulseResults | None) -> list[tuple[str, str]]:
    """(label, value) rows of a team's latest reflection pulse: counts only, or why withheld."""
    if pulse is None:
        return []
    label = f"reflection pulse, week of {pulse.pulse_week:%d %b %Y}"
    gated = pulse.gated
    if not gated.released:
        return [(label, gated.note)]
    summary = gated.get()
    counts = summary.counts
    rows = [
        (
            label,
            f"too much sync {counts['too_much_sync']} · about right {counts['about_right']} · "
            f"too little sync {counts['too_little_sync']} ({gated.people} answers)",
        )
    ]
    if summary.suggestions:
        rows.append(("what to change (pulse)", "; ".join(summary.suggestions)))
    return rows


def headline(report: BalanceReport) -> str:
    return (
        f"{report.organisation}: balance over {span(report)}. {report.calendars_read} calendars, "
        f"{report.occurrences} occurrences, {report.skipped_series} series skipped. Team numbers "
        f"are shown only over at least {report.min_group} people."
    )

"""The balance report as Markdown (for a wiki page or a pull request)."""

from __future__ import annotations

from collections.abc import Mapping

from asyncfirst.entrypoints.report.view import headline, pct, pulse_rows, team_rows
from asyncfirst.services.balance import BalanceReport
from asyncfirst.services.pulse_views import PulseResults

__all__ = ["to_markdown"]


def to_markdown(report: BalanceReport, pulses: Mapping[str, PulseResults] | None = None) -> str:
    """The report; with ``pulses``, each team's latest pulse (gated) beside its numbers."""
    pulses = pulses or {}
    lines = [f"# Balance report — {report.organisation}", "", headline(report), ""]
    for section in report.teams:
        lines += [f"## {section.team.name}", "", "| | |", "|---|---|"]
        rows = team_rows(section) + pulse_rows(pulses.get(section.team.id))
        lines += [f"| {label} | {value} |" for label, value in rows]
        weekly = ", ".join(
            f"{m:%d %b} {pct(w.value) if w.released else 'withheld'}"
            for m, w in zip(report.mondays, section.weekly, strict=True)
        )
        lines += ["", f"Weekly async share: {weekly}.", ""]
        if section.recommendations:
            lines += ["**Recommendations**", ""]
            lines += [f"- {r.text}" for r in section.recommendations]
            lines.append("")
    if report.person:
        own = report.person
        lines += [f"## Your own numbers — {own.person.name}", ""]
        lines += [
            "| week | async share | sync h | after-hours h | focus h | meetings |",
            "|---|---|---|---|---|---|",
        ]
        for w in own.weeks:
            lines.append(
                f"| {w.monday:%d %b} | {pct(w.async_share)} | {w.sync_minutes / 60:.1f} | "
                f"{w.after_hours_sync_minutes / 60:.1f} | {w.focus_minutes / 60:.1f} | {w.meeting_count} |"
            )
        lines.append("")
        lines += [f"- {s.message}" for s in own.signals]
        lines += [f"- **{r.text}**" for r in own.recommendations]
    return "\n".join(lines).rstrip() + "\n"

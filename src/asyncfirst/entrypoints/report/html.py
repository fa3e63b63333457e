"""The balance report as one self-contained HTML file: inline CSS and SVG, no script, no network."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from asyncfirst.entrypoints.report.svg import (
    PALETTE,
    bar_chart,
    line_chart,
    range_chart,
    stacked_bars,
)
from asyncfirst.entrypoints.report.view import headline, pulse_rows, team_rows
from asyncfirst.services.balance import BalanceReport, PersonSection, TeamSection
from asyncfirst.services.pulse_views import PulseResults

__all__ = ["to_html"]

_CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;
max-width:980px;margin:2rem auto;padding:0 1rem;background:#fff}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #d0d7de}
table{border-collapse:collapse;margin:1rem 0;width:100%}td,th{border-bottom:1px solid #d0d7de;
padding:.35rem .6rem;text-align:left}td:last-child{font-variant-numeric:tabular-nums}
.chart{width:100%;height:auto;margin:.8rem 0;background:#f6f8fa;border-radius:6px}
.chart-title{font-weight:600;font-size:14px;fill:#1f2328}.tick{font-size:11px;fill:#57606a}
.legend{font-size:12px;font-weight:600}.grid{stroke:#d0d7de;stroke-width:1}
.band{fill:#2da44e;opacity:.16}.rec{background:#ddf4ff;border-left:4px solid #0969da;
padding:.6rem .9rem;margin:.5rem 0;border-radius:4px}.note{color:#57606a;font-size:.9rem}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:1rem}@media(max-width:760px){.grid2{display:block}}
"""


def _team_charts(report: BalanceReport) -> str:
    weeks = [f"{m:%d %b}" for m in report.mondays]
    series = {
        s.team.name: [w.value if w.released else None for w in s.weekly] for s in report.teams
    }
    bands = [(s.team.band.low, s.team.band.high) for s in report.teams]
    band = (min(b[0] for b in bands), max(b[1] for b in bands)) if bands else None
    parts = [
        line_chart(
            "Weekly async share per team (shaded: the teams' target bands)",
            weeks,
            series,
            band=band,
            lo=0.5,
        )
    ]
    spread = [
        (s.team.name, d.p10, d.median, d.p90, (s.team.band.low, s.team.band.high))
        for s in report.teams
        if (d := s.aggregate.async_share.value) is not None
    ]
    if spread:
        parts.append(
            range_chart(
                "Async share per member vs band: p10–p90 bar, median dot",
                spread,
                lo=min(0.5, *(row[1] for row in spread)),
            )
        )
    focus = [s for s in report.teams if s.aggregate.focus_hours.released]
    if focus:
        parts.append(
            stacked_bars(
                "Free working time per member and week, median hours",
                [s.team.name for s in focus],
                {
                    "focus (stretches ≥ 2 h)": [
                        s.aggregate.focus_hours.get().median for s in focus
                    ],
                    "fragmented": [s.aggregate.fragmented_hours.get().median for s in focus],
                },
            )
        )
    return "".join(parts)


def _team(section: TeamSection, index: int, pulse: PulseResults | None = None) -> str:
    rows = "".join(
        f"<tr><th scope='row'>{escape(k)}</th><td>{escape(v)}</td></tr>"
        for k, v in team_rows(section) + pulse_rows(pulse)
    )
    hours = section.hours_of_day
    chart = (
        bar_chart(
            f"{section.team.name}: meetings by local hour of day",
            [f"{h:02d}" for h in range(24)],
            [float(v) for v in hours.get()],
            colour=PALETTE[index % len(PALETTE)],
        )
        if hours.released
        else f"<p class='note'>Meetings by hour: {escape(hours.note)}.</p>"
    )
    recs = "".join(f"<div class='rec'>{escape(r.text)}</div>" for r in section.recommendations)
    return (
        f"<section><h2>{escape(section.team.name)}</h2><table>{rows}</table>{chart}{recs}</section>"
    )


def _person(own: PersonSection) -> str:
    weeks = [f"{w.monday:%d %b}" for w in own.weeks]
    band = (own.team.band.low, own.team.band.high)
    parts = [
        f"<section><h2>Your own numbers — {escape(own.person.name)}</h2>",
        "<p class='note'>Only you see this section.</p>",
        line_chart(
            "Your async share per week against your team's band",
            weeks,
            {"you": [w.async_share for w in own.weeks]},
            band=band,
            lo=0.5,
        ),
        stacked_bars(
            "Your free working time per week (hours)",
            weeks,
            {
                "focus (stretches ≥ 2 h)": [w.focus_minutes / 60 for w in own.weeks],
                "fragmented": [w.fragmented_minutes / 60 for w in own.weeks],
            },
        ),
        bar_chart(
            "Your meetings by local hour of day",
            [f"{h:02d}" for h in range(24)],
            [float(v) for v in own.hours_of_day],
        ),
    ]
    parts += [f"<p>{escape(s.message)}</p>" for s in own.signals]
    parts += [f"<div class='rec'>{escape(r.text)}</div>" for r in own.recommendations]
    return "".join(parts) + "</section>"


def to_html(report: BalanceReport, pulses: Mapping[str, PulseResults] | None = None) -> str:
    """The report; with ``pulses``, each team's latest pulse (gated) beside its numbers."""
    pulses = pulses or {}
    title = f"Balance report — {report.organisation}"
    body = [
        f"<h1>{escape(title)}</h1><p>{escape(headline(report))}</p>",
        _team_charts(report),
        *(_team(s, i, pulses.get(s.team.id)) for i, s in enumerate(report.teams)),
    ]
    if report.person:
        body.append(_person(report.person))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        + "".join(body)
        + "</main></body></html>\n"
    )

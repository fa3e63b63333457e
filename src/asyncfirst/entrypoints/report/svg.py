"""Small inline-SVG charts for the self-contained HTML report (no script, no network).

Each function takes plain numbers and returns an ``<svg>`` string with a title and a text
description, so the chart is readable by screen readers and printable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["PALETTE", "bar_chart", "line_chart", "range_chart", "stacked_bars"]

PALETTE = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0969da")
_W, _H, _L, _R, _T, _B = 640, 260, 48, 16, 28, 40  # size and margins


def _frame(title: str, desc: str, body: str, height: int = _H) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" role="img" '
        f'aria-labelledby="t d" class="chart"><title id="t">{escape(title)}</title>'
        f'<desc id="d">{escape(desc)}</desc>'
        f'<text x="{_L}" y="18" class="chart-title">{escape(title)}</text>{body}</svg>'
    )


def _y_axis(lo: float, hi: float, ticks: int, fmt: str, height: int = _H) -> tuple[str, float]:
    plot_h = height - _T - _B
    parts = []
    for i in range(ticks + 1):
        value = lo + (hi - lo) * i / ticks
        y = height - _B - plot_h * i / ticks
        parts.append(
            f'<line x1="{_L}" x2="{_W - _R}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{_L - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{format(value, fmt)}</text>"
        )
    return "".join(parts), plot_h


def _y(value: float, lo: float, hi: float, plot_h: float, height: int = _H) -> float:
    span = (hi - lo) or 1.0
    return height - _B - plot_h * (min(max(value, lo), hi) - lo) / span


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    band: tuple[float, float] | None = None,
    lo: float = 0.0,
    hi: float = 1.0,
    fmt: str = ".0%",
) -> str:
    """Lines over ``labels`` (e.g. weeks); ``None`` leaves a gap; ``band`` is shaded."""
    axis, plot_h = _y_axis(lo, hi, 5, fmt)
    plot_w = _W - _L - _R
    step = plot_w / max(len(labels) - 1, 1)
    parts = [axis]
    if band:
        top, bottom = _y(band[1], lo, hi, plot_h), _y(band[0], lo, hi, plot_h)
        parts.append(
            f'<rect x="{_L}" y="{top:.1f}" width="{plot_w}" height="{bottom - top:.1f}" '
            f'class="band"><title>target band {format(band[0], fmt)}–{format(band[1], fmt)}</title></rect>'
        )
    for i, label in enumerate(labels):
        if len(labels) <= 14 or i % 2 == 0:
            anchor = "end" if i == len(labels) - 1 and i else "middle"
            parts.append(
                f'<text x="{_L + i * step:.1f}" y="{_H - _B + 16}" text-anchor="{anchor}" '
                f'class="tick">{escape(label)}</text>'
            )
    descs = []
    for n, (name, values) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        points = [
            (_L + i * step, _y(v, lo, hi, plot_h)) for i, v in enumerate(values) if v is not None
        ]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            )
            parts += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in points
            ]
        parts.append(
            f'<text x="{_L + 8 + n * 110}" y="{_T + 14}" fill="{colour}" '
            f'class="legend">{escape(name)}</text>'
        )
        shown = ", ".join("–" if v is None else format(v, fmt) for v in values)
        descs.append(f"{name}: {shown}")
    return _frame(title, "; ".join(descs), "".join(parts))


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    fmt: str = ".0f",
    band: tuple[float, float] | None = None,
    hi: float | None = None,
    colour: str = PALETTE[0],
) -> str:
    """Vertical bars, one per label; ``band`` shades a target range."""
    top = hi if hi is not None else max([*values, 1e-9]) * 1.1
    axis, plot_h = _y_axis(0.0, top, 4, fmt)
    plot_w = _W - _L - _R
    slot = plot_w / max(len(values), 1)
    parts = [axis]
    if band:
        y1, y0 = _y(band[1], 0, top, plot_h), _y(band[0], 0, top, plot_h)
        parts.append(
            f'<rect x="{_L}" y="{y1:.1f}" width="{plot_w}" height="{y0 - y1:.1f}" class="band"/>'
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = _y(value, 0, top, plot_h)
        x = _L + i * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{_H - _B - y:.1f}" '
            f'fill="{colour}"><title>{escape(label)}: {format(value, fmt)}</title></rect>'
        )
        if len(labels) <= 24:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{_H - _B + 16}" text-anchor="middle" '
                f'class="tick">{escape(label)}</text>'
            )
    desc = ", ".join(f"{label}: {format(v, fmt)}" for label, v in zip(labels, values, strict=True))
    return _frame(title, desc, "".join(parts))


def stacked_bars(
    title: str,
    labels: Sequence[str],
    stacks: Mapping[str, Sequence[float]],
    *,
    fmt: str = ".1f",
) -> str:
    """Horizontal stacked bars: one row per label, one colour per stack component."""
    row_h = 34
    height = _T + 30 + row_h * len(labels) + 24
    totals = [sum(stacks[k][i] for k in stacks) for i in range(len(labels))]
    top = max([*totals, 1e-9])
    left = 120
    plot_w = _W - left - _R
    parts = []
    legend_x = float(left)
    for n, name in enumerate(stacks):
        parts.append(
            f'<rect x="{legend_x:.0f}" y="{_T + 2}" width="12" height="12" fill="{PALETTE[n]}"/>'
            f'<text x="{legend_x + 18:.0f}" y="{_T + 12}" class="legend">{escape(name)}</text>'
        )
        legend_x += 36 + 7.5 * len(name)
    descs = []
    for i, label in enumerate(labels):
        y = _T + 30 + i * row_h
        x = float(left)
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" class="tick">{escape(label)}</text>'
        )
        pieces = []
        for n, (name, values) in enumerate(stacks.items()):
            width = plot_w * values[i] / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{row_h - 10}" '
                f'fill="{PALETTE[n]}"><title>{escape(label)} {escape(name)}: '
                f"{format(values[i], fmt)}</title></rect>"
            )
            x += width
            pieces.append(f"{name} {format(values[i], fmt)}")
        descs.append(f"{label}: " + ", ".join(pieces))
    return _frame(title, "; ".join(descs), "".join(parts), height)


def range_chart(
    title: str,
    rows: Sequence[tuple[str, float, float, float, tuple[float, float]]],
    *,
    lo: float = 0.5,
    hi: float = 1.0,
    fmt: str = ".0%",
) -> str:
    """One row per group: the p10–p90 range as a bar, the median as a dot, the band shaded.

    ``rows`` holds (label, p10, median, p90, (band low, band high)).
    """
    row_h = 36
    left = 120
    height = _T + 30 + row_h * len(rows) + 30
    plot_w = _W - left - _R

    def x(value: float) -> float:
        return left + plot_w * (min(max(value, lo), hi) - lo) / ((hi - lo) or 1.0)

    parts = []
    for i in range(6):
        value = lo + (hi - lo) * i / 5
        parts.append(
            f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{_T + 24}" y2="{height - 28}" class="grid"/>'
            f'<text x="{x(value):.1f}" y="{height - 12}" text-anchor="middle" class="tick">'
            f"{format(value, fmt)}</text>"
        )
    descs = []
    for i, (label, p10, median, p90, band) in enumerate(rows):
        y = _T + 30 + i * row_h
        mid = y + (row_h - 10) / 2
        parts.append(
            f'<text x="{left - 8}" y="{mid + 4:.1f}" text-anchor="end" class="tick">{escape(label)}</text>'
            f'<rect x="{x(band[0]):.1f}" y="{y}" width="{x(band[1]) - x(band[0]):.1f}" '
            f'height="{row_h - 10}" class="band"/>'
            f'<line x1="{x(p10):.1f}" x2="{x(p90):.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
            f'stroke="{PALETTE[0]}" stroke-width="6" stroke-linecap="round"/>'
            f'<circle cx="{x(median):.1f}" cy="{mid:.1f}" r="7" fill="#fff" stroke="{PALETTE[1]}" '
            f'stroke-width="3"><title>{escape(label)} median {format(median, fmt)}</title></circle>'
        )
        descs.append(
            f"{label}: median {format(median, fmt)}, p10 {format(p10, fmt)}, p90 "
            f"{format(p90, fmt)}, band {format(band[0], fmt)}–{format(band[1], fmt)}"
        )
    return _frame(title, "; ".join(descs), "".join(parts), height)

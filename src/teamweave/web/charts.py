"""Server-side SVG charts. Every text that reaches the SVG is escaped; styling uses presentation attributes
(the content security policy forbids inline ``style``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from teamweave.network.service import OrgMap
from teamweave.network.trends import MetricTrend

PALETTE = ("#2563eb", "#059669", "#d97706", "#7c3aed", "#dc2626")
INK = "#334155"
GRID = "#e2e8f0"


@dataclass(frozen=True)
class Series:
    """One line: a label and (window start, value) points; a None value leaves a gap."""

    label: str
    points: Sequence[tuple[date, float | None]]


def _fmt(value: float, percent: bool) -> str:
    """A value as a chart shows it: a whole percent, a whole number, or up to two decimals below 10.

    >>> _fmt(0.25, False), _fmt(3.0, False), _fmt(17.42, False), _fmt(0.967, False), _fmt(0.5, True)
    ('0.25', '3', '17.4', '0.97', '50%')
    """
    if percent:
        return f"{value * 100:.0f}%"
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}".rstrip("0").rstrip(".")


NICE_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
"""Tick steps of a y axis, times a power of ten: the smallest that covers the data in four steps."""


def _y_ticks(top: float, percent: bool, *, whole: bool = False) -> list[float]:
    """Five ticks from 0 whose last is at or above ``top``, spaced by a round step (one of :data:`NICE_STEPS`
    times a power of ten), so that a series of values around 1 is not squeezed under an axis that runs to 4.
    ``whole``: the values are counts, so the step is at least 1 (no tick at 1.5 ties).

    >>> _y_ticks(0.97, False), _y_ticks(3.3, False), _y_ticks(1.8, False)
    ([0.0, 0.25, 0.5, 0.75, 1.0], [0.0, 1.0, 2.0, 3.0, 4.0], [0.0, 0.5, 1.0, 1.5, 2.0])
    >>> _y_ticks(17.0, False), _y_ticks(21.9, False), _y_ticks(100.0, False)
    ([0.0, 5.0, 10.0, 15.0, 20.0], [0.0, 6.0, 12.0, 18.0, 24.0], [0.0, 25.0, 50.0, 75.0, 100.0])
    >>> _y_ticks(2.0, False), _y_ticks(2.0, False, whole=True)
    ([0.0, 0.5, 1.0, 1.5, 2.0], [0.0, 1.0, 2.0, 3.0, 4.0])
    """
    if percent:
        return [0.0, 0.25, 0.5, 0.75, 1.0]
    rough = max(top, 1e-9) / 4
    scale = 10.0 ** math.floor(math.log10(rough))
    step = next(n * scale for n in NICE_STEPS if n * scale >= rough * (1 - 1e-9))
    if whole:
        step = max(1.0, math.ceil(step))
    return [round(step * i, 10) for i in range(5)]


@dataclass(frozen=True)
class Mark:
    """A window to mark on a time axis (a detected change): a dashed vertical line with a hover title."""

    day: date
    label: str
    direction: str = "down"


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    percent: bool = False,
    width: int = 640,
    height: int = 220,
    marks: Sequence[Mark] = (),
) -> Markup:
    """A line chart of one or more series over windows, with a legend and a hover title on each point.

    ``marks`` draw a dashed vertical line at each marked window (red for a fall, green for a rise), with the
    mark's label as its hover title; a mark outside the dates shown is left out."""
    left, right, top_pad, bottom = 44, 16, 28, 30
    dates = sorted({d for s in series for d, v in s.points if v is not None})
    values = [v for s in series for _, v in s.points if v is not None]
    head = (
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )
    if not dates:
        return Markup(
            head + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{INK}" '
            'font-size="13">no data yet</text></svg>'
        )
    ticks = _y_ticks(max(values) or 1.0, percent, whole=all(float(v).is_integer() for v in values))
    y_max = ticks[-1] or 1.0
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    span = max(1, (dates[-1] - dates[0]).days)

    def x_of(d: date) -> float:
        return left + (plot_w * (d - dates[0]).days / span if len(dates) > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return top_pad + plot_h * (1 - min(v, y_max) / y_max)

    parts = [head]
    for t in ticks:
        y = y_of(t)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{INK}">'
            f"{escape(_fmt(t, percent))}</text>"
        )
    parts.extend(_x_labels(dates, x_of, height - 10))
    parts.extend(_marks(marks, dates, x_of, top_pad, height - bottom))
    legend_x = float(left)
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        parts.extend(_polyline(s, colour, x_of, y_of, percent))
        parts.append(
            f'<rect x="{legend_x:.0f}" y="8" width="12" height="4" fill="{colour}"/>'
            f'<text x="{legend_x + 16:.0f}" y="14" font-size="12" fill="{INK}">{escape(s.label)}</text>'
        )
        legend_x += 16 + 7 * len(s.label) + 24
    parts.append("</svg>")
    return Markup("".join(parts))


MARK_COLOURS = {"down": "#dc2626", "up": "#059669"}


def _marks(
    marks: Sequence[Mark], dates: Sequence[date], x_of: Callable[[date], float], y0: float, y1: float
) -> list[str]:
    out = []
    for mark in marks:
        if not dates[0] <= mark.day <= dates[-1]:
            continue
        x = x_of(mark.day)
        colour = MARK_COLOURS.get(mark.direction, INK)
        out.append(
            f'<line class="change-mark" x1="{x:.1f}" x2="{x:.1f}" y1="{y0}" y2="{y1}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="4 3"><title>{escape(mark.label)}</title></line>'
        )
    return out


def share_bars(items: Sequence[tuple[str, float | None]], *, title: str, width: int = 640) -> Markup:
    """Horizontal bars of shares (0..1), one per labelled item: a distribution such as a channel mix.

    An item whose share is None reads "—"; with no share at all the chart says "no data yet"."""
    row, left, right = 24, 120, 56
    height = 28 + row * max(1, len(items))
    head = (
        f'<svg class="chart bars" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )
    if all(value is None for _, value in items):
        return Markup(
            head + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{INK}" '
            'font-size="13">no data yet</text></svg>'
        )
    parts = [head]
    plot_w = width - left - right
    for n, (label, value) in enumerate(items):
        y = 14 + n * row
        shown = "—" if value is None else _fmt(value, True)
        bar = 0.0 if value is None else plot_w * max(0.0, min(1.0, value))
        parts.append(
            f'<text x="{left - 8}" y="{y + 12}" text-anchor="end" font-size="12" fill="{INK}">{escape(label)}</text>'
            f'<rect x="{left}" y="{y}" width="{plot_w}" height="16" fill="{GRID}"/>'
            f'<rect x="{left}" y="{y}" width="{bar:.1f}" height="16" fill="{PALETTE[n % len(PALETTE)]}">'
            f"<title>{escape(label)}: {escape(shown)}</title></rect>"
            f'<text x="{left + plot_w + 6}" y="{y + 12}" font-size="12" fill="{INK}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _x_labels(dates: Sequence[date], x_of: Callable[[date], float], y: float, gap: float = 110.0) -> list[str]:
    """Date labels along a time axis, at least ``gap`` apart; the first and the last always shown."""
    chosen: list[date] = []
    for d in dates:
        if not chosen or x_of(d) - x_of(chosen[-1]) >= gap:
            chosen.append(d)
    if chosen[-1] != dates[-1]:
        if len(chosen) > 1 and x_of(dates[-1]) - x_of(chosen[-1]) < gap:
            chosen.pop()
        chosen.append(dates[-1])
    labels = []
    for i, d in enumerate(chosen):
        anchor = (
            "middle" if len(chosen) == 1 else ("start" if i == 0 else ("end" if i == len(chosen) - 1 else "middle"))
        )
        labels.append(
            f'<text x="{x_of(d):.1f}" y="{y}" text-anchor="{anchor}" font-size="11" '
            f'fill="{INK}">{escape(d.isoformat())}</text>'
        )
    return labels


def _polyline(
    s: Series, colour: str, x_of: Callable[[date], float], y_of: Callable[[float], float], percent: bool
) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for d, v in s.points:
        if v is None:
            if len(run) > 1:
                out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
            run = []
            continue
        x, y = x_of(d), y_of(v)
        run.append(f"{x:.1f},{y:.1f}")
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>'
            f"{escape(s.label)} {escape(d.isoformat())}: {escape(_fmt(v, percent))}</title></circle>"
        )
    if len(run) > 1:
        out.insert(0, f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
    return out


def ei_colour(ei: float | None) -> str:
    """E-I index (-1 inward .. +1 outward) as a colour: red for siloed, grey for balanced, blue for outward.

    The square root makes small departures from balance visible.
    """
    if ei is None:
        return "#94a3b8"
    ei = max(-1.0, min(1.0, ei))
    grey, red, blue = (203, 213, 225), (220, 38, 38), (37, 99, 235)
    target = red if ei < 0 else blue
    t = abs(ei) ** 0.5
    r, g, b = (round(grey[i] + (target[i] - grey[i]) * t) for i in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


def org_map_svg(org_map: OrgMap, *, width: int = 900, height: int = 600) -> Markup:
    """Teams as circles (area ~ members, colour = E-I index) and ties between teams (width ~ weight)."""
    head = (
        f'<svg id="org-map" class="chart orgmap" role="img" viewBox="0 0 {width} {height}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title>Teams and the ties between them</title>'
    )
    if not org_map.nodes:
        return Markup(
            head + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{INK}">no data yet</text></svg>'
        )
    pos = {n.team_id: (n.x * width, n.y * height) for n in org_map.nodes}
    heaviest = max((e.weight for e in org_map.edges), default=1.0) or 1.0
    biggest = max(n.members for n in org_map.nodes)
    parts = [head, '<g class="edges">']
    for e in org_map.edges:
        (x1, y1), (x2, y2) = pos[e.team_a], pos[e.team_b]
        w = 0.5 + 7.5 * e.weight / heaviest
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#64748b" '
            f'stroke-opacity="{0.12 + 0.6 * e.weight / heaviest:.2f}" stroke-width="{w:.2f}" '
            f'data-a="{e.team_a}" data-b="{e.team_b}">'
            f"<title>{e.ties} ties, weight {e.weight:.1f}</title></line>"
        )
    parts.append('</g><g class="nodes">')
    for n in org_map.nodes:
        x, y = pos[n.team_id]
        r = 8 + 22 * (n.members / biggest) ** 0.5
        ei = "n/a" if n.ei_index is None else f"{n.ei_index:+.2f}"
        name = escape(n.name)
        parts.append(
            f'<g class="node" data-team="{n.team_id}" data-name="{name}" data-members="{n.members}" '
            f'data-ei="{escape(ei)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{ei_colour(n.ei_index)}" '
            f'stroke="#ffffff" stroke-width="2"><title>{name}: {n.members} people, E-I {escape(ei)}</title></circle>'
            f'<text x="{x:.1f}" y="{y + r + 13:.1f}" text-anchor="middle" font-size="12" fill="{INK}">{name}</text></g>'
        )
    parts.append("</g></svg>")
    return Markup("".join(parts))


CHANNEL_LABELS = (
    ("chat", "chat_share"),
    ("e-mail", "email_share"),
    ("meetings", "meeting_share"),
    ("code review", "code_review_share"),
    ("in person", "in_person_share"),
)


def change_marks(trends: list[MetricTrend], metrics: tuple[str, ...], subject: str = "your") -> list[Mark]:
    """Chart marks for the changes detected in ``metrics``, titled with their evidence."""
    return [
        Mark(c.window_start, t.evidence(c, subject=subject), c.direction)
        for t in trends
        if t.metric in metrics
        for c in t.changes
    ]


def turnover_chart(trends: list[MetricTrend], title: str, subject: str = "your") -> Markup:
    """New and lost ties per window, with their detected changes marked."""
    chosen = {t.metric: t for t in trends}
    return line_chart(
        [Series(chosen[m].label, chosen[m].points) for m in ("new_ties", "lost_ties") if m in chosen],
        title=title,
        marks=change_marks(trends, ("new_ties", "lost_ties"), subject),
    )


def channel_chart(row: object | None, title: str) -> Markup:
    """The channel mix of one row (a person's or a team window's): share of tie weight per channel."""
    return share_bars(
        [(label, getattr(row, name, None) if row else None) for label, name in CHANNEL_LABELS], title=title
    )


def focus_chart(trends: list[MetricTrend], title: str, subject: str = "your") -> Markup:
    """The longest uninterrupted stretch of a working day per window (hours), with detected changes marked."""
    chosen = {t.metric: t for t in trends}
    series = [Series("longest stretch (h)", chosen["focus_hours"].points)] if "focus_hours" in chosen else []
    return line_chart(series, title=title, marks=change_marks(trends, ("focus_hours",), subject))

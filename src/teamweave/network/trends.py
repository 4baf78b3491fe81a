"""Change detection over the stored weekly and monthly series, with the evidence said in words.

:func:`my_trends` is a person's own series (show it to that person only); :func:`team_trends` works on a
team's trend as :func:`teamweave.network.service.team_health` returns it, so windows whose team was under k
(or analysed with other members) are already empty and are skipped, never read as zero. The tests are those
of :mod:`teamweave.analytics.trends`: a robust z-score against the median of the previous windows
(|z| >= 3.5) and a one-sided CUSUM (h = 5 sigmas). Services never commit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from teamweave.analytics.trends import MIN_BASELINE, Change, detect_changes
from teamweave.analytics.windows import next_window, window_name
from teamweave.network import repository, service
from teamweave.network.models import PersonMetric, TeamMetric
from teamweave.network.service import TeamHealth
from teamweave.people import service as people_service
from teamweave.privacy.thresholds import passes

# metric -> (label, unit); counts of a window without a row are 0 (no ties that window), shares are unknown
PERSON_METRICS: dict[str, tuple[str, str]] = {
    "ties": ("ties", "count"),
    "strong_ties": ("strong ties", "count"),
    "strength": ("tie strength", "tie units"),
    "new_ties": ("new ties", "count"),
    "lost_ties": ("lost ties", "count"),
    "cross_team_share": ("ties outside the team", "share"),
    "human_share": ("interactions with people", "share"),
    "after_hours_share": ("after-hours share", "share"),
    "focus_hours": ("longest uninterrupted stretch a day", "hours"),
}
TEAM_METRICS: dict[str, tuple[str, str]] = {
    "mean_ties": ("ties per member", "count"),
    "mean_new_ties": ("new ties per member", "count"),
    "mean_lost_ties": ("lost ties per member", "count"),
    "density": ("internal density", "share"),
    "external_share": ("ties leaving the team", "share"),
    "human_share": ("interactions with people", "share"),
    "after_hours_share": ("after-hours share", "share"),
    "focus_hours": ("longest uninterrupted stretch a day", "hours"),
}
UNKNOWN_WITHOUT_ROW = ("share", "hours")
ORG_METRICS: dict[str, tuple[str, str]] = {
    "mean_ties": ("ties per person", "count"),
    "mean_new_ties": ("new ties per person", "count"),
    "mean_lost_ties": ("lost ties per person", "count"),
    "focus_hours": ("longest uninterrupted stretch a day", "hours"),
    "human_share": ("interactions with people", "share"),
    "after_hours_share": ("after-hours share", "share"),
    **{name: (name.removesuffix("_share").replace("_", " ") + " share", "share") for name in service.CHANNEL_SHARES},
}
TEST_NAMES = {"robust_z": "robust z-score", "cusum": "CUSUM"}


@dataclass(frozen=True)
class TrendChange:
    """A window flagged by a change test, with what it was compared with."""

    window_start: date
    direction: str
    test: str
    statistic: float
    threshold: float
    baseline: float
    value: float


@dataclass(frozen=True)
class MetricTrend:
    """One metric's series (window, value or None) and the windows flagged in it."""

    metric: str
    label: str
    unit: str
    points: list[tuple[date, float | None]]
    changes: list[TrendChange] = field(default_factory=list)
    period: str = "week"
    """The windows' period (``week``, ``month`` or ``quarter``): how the evidence names a window."""

    @property
    def percent(self) -> bool:
        return self.unit == "share"

    def evidence(self, change: TrendChange, *, subject: str = "your") -> str:
        """The change in one sentence: what moved, from what level, by which test and how far."""
        verb = "rose" if change.direction == "up" else "fell"
        test = TEST_NAMES.get(change.test, change.test)
        if change.test == "robust_z" and math.isinf(change.statistic):
            how = "the windows before it never varied, so any move is flagged"
        elif change.test == "robust_z":
            how = f"z = {change.statistic:+.1f}, flagged at |z| >= {change.threshold:g}"
        else:
            how = f"{change.statistic:.1f} sigmas, flagged at {change.threshold:g}"
        return (
            f"{subject.capitalize()} {self.label} {verb} to {_value(change.value, self.unit)} in "
            f"{window_name(change.window_start, period=self.period)}, against a usual level of "
            f"{_value(change.baseline, self.unit)} "
            f"({test}: {how})."
        )


def _value(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value * 100:.0f}%"
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{shown} h" if unit == "hours" else shown


def trend_of(
    metric: str,
    label: str,
    unit: str,
    points: Sequence[tuple[date, float | None]],
    *,
    period: str,
    counts: bool = False,
) -> MetricTrend:
    """A metric's series of ``period`` windows with :func:`teamweave.analytics.trends.detect_changes` applied
    (``counts``: one person's counts, judged in whole steps)."""
    found: list[Change] = detect_changes([v for _, v in points], counts=counts)
    changes = [
        TrendChange(points[c.index][0], c.direction, c.test, c.statistic, c.threshold, c.baseline, c.value)
        for c in found
    ]
    return MetricTrend(metric=metric, label=label, unit=unit, points=list(points), changes=changes, period=period)


def my_trends(
    session: Session, *, org: str, pseudonym: str, period: str, today: date | None = None
) -> list[MetricTrend]:
    """A person's own metrics on the organisation's time axis, each with its detected changes.

    A window in which the person had no row had no ties: counts read 0 there, shares and focus are unknown. New and
    lost ties are unknown in the first window of the data. Windows that ended before the person's start date are
    unknown too (not yet here is not "no ties"), so a newcomer's first ties are not a rise against months of
    zeros. Show the result to that person only.
    """
    windows = service.person_windows(session, org=org, period=period, today=today)
    found = service.my_connections(session, org=org, pseudonym=pseudonym, period=period, today=today)
    rows = {r.window_start: r for r in found}
    started = people_service.start_date_of(session, org=org, pseudonym=pseudonym)
    here = [started is None or next_window(w, period=period) > started or w in rows for w in windows]
    return [
        trend_of(
            metric,
            label,
            unit,
            [(w, _own_value(rows, windows, i, metric, unit) if here[i] else None) for i, w in enumerate(windows)],
            period=period,
            counts=unit == "count",
        )
        for metric, (label, unit) in PERSON_METRICS.items()
    ]


def _own_value(rows: dict[date, PersonMetric], windows: list[date], i: int, metric: str, unit: str) -> float | None:
    """A person's value in ``windows[i]``; without a row there: no ties (counts 0, every tie of the window
    before lost), shares and focus unknown; new and lost ties are unknown in the first window of the data."""
    row = rows.get(windows[i])
    if row is not None:
        value = getattr(row, metric)
        return None if value is None else float(value)
    if unit in UNKNOWN_WITHOUT_ROW or (i == 0 and metric in ("new_ties", "lost_ties")):
        return None
    before = rows.get(windows[i - 1]) if i > 0 else None
    return float(before.ties) if metric == "lost_ties" and before is not None else 0.0


def team_trends(health: TeamHealth) -> list[MetricTrend]:
    """A team's aggregate series (from ``team_health``) with detected changes; empty when the team is under k.

    Windows the team was under k, or that are stale, carry no values and are skipped by the tests.
    """
    if health.too_few:
        return []
    return [
        trend_of(
            metric, label, unit, [(p.window_start, getattr(p, metric)) for p in health.trend], period=health.period
        )
        for metric, (label, unit) in TEAM_METRICS.items()
    ]


def change_dict(trend: MetricTrend, change: TrendChange, *, subject: str = "your") -> dict[str, object]:
    """A detected change as plain data (for the JSON API), with its evidence sentence; an infinite z-score
    (a change from a perfectly constant baseline) is None."""
    finite = abs(change.statistic) != float("inf")
    return {
        "metric": trend.metric,
        "window_start": change.window_start.isoformat(),
        "direction": change.direction,
        "test": change.test,
        "statistic": round(change.statistic, 3) if finite else None,
        "threshold": change.threshold,
        "baseline": change.baseline,
        "value": change.value,
        "evidence": trend.evidence(change, subject=subject),
    }


def org_trends(session: Session, *, org: str, period: str, k: int, today: date | None = None) -> list[MetricTrend]:
    """The organisation's series, each with its detected changes: per finished window, the head-count weighted
    mean over the teams of at least k members that have a value (the teams the organisation map shows)."""
    rows = [m for m in repository.team_metrics_of_period(session, org=org, period=period) if passes(m.members, k)]
    windows = service.finished(sorted({m.window_start for m in rows}), period, today)
    by_window: dict[date, list[TeamMetric]] = {w: [] for w in windows}
    for m in rows:
        if m.window_start in by_window:
            by_window[m.window_start].append(m)
    return [
        trend_of(metric, label, unit, [(w, _weighted(by_window[w], metric)) for w in windows], period=period)
        for metric, (label, unit) in ORG_METRICS.items()
    ]


def _weighted(teams: list[TeamMetric], metric: str) -> float | None:
    pairs = [(m.members, value) for m in teams if (value := getattr(m, metric)) is not None]
    people = sum(n for n, _ in pairs)
    return round(sum(n * v for n, v in pairs) / people, 3) if people else None


def enough_windows(trends: Sequence[MetricTrend]) -> bool:
    """Whether some series has a window with enough known windows before it to be tested
    (``analytics.trends.MIN_BASELINE``): with fewer (a year of quarters), "no change" would say nothing.

    Examples
    --------
    >>> four = [(date(2026, m, 1), 1.0) for m in (1, 4, 7, 10)]
    >>> enough_windows([MetricTrend("ties", "ties", "count", four)])
    False
    """
    return any(sum(v is not None for _, v in t.points) > MIN_BASELINE for t in trends)


def recent_changes(trends: Sequence[MetricTrend], *, last: int = 3) -> list[tuple[MetricTrend, TrendChange]]:
    """The changes flagged in the last ``last`` windows of each series, newest first (what a page leads with)."""
    out = []
    for trend in trends:
        recent = {w for w, _ in trend.points[-last:]}
        seen: set[date] = set()
        for change in trend.changes:
            if change.window_start in recent and change.window_start not in seen:
                seen.add(change.window_start)
                out.append((trend, change))
    return sorted(out, key=lambda pair: pair[1].window_start, reverse=True)

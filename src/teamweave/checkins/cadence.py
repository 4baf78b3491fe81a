"""Cadence kept: how regularly a manager holds the 1:1s they committed to, across all their reports.

A manager's own page (leading by example is measurable): for each report, how many of the pair's last N cycles
(cycle = the pair's cadence) had a held 1:1, and, week by week, the share of their pairs that were within
cadence on that day. Held 1:1s come from both sources (logged by hand and found in calendars).
Services never commit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.audit import service as audit
from teamweave.checkins import repository
from teamweave.checkins.models import DEFAULT_CADENCE_DAYS
from teamweave.errors import Forbidden
from teamweave.people import service as people

CYCLES = 6
WEEKS = 12


def cycles_kept(held: Sequence[date], *, every_days: int, today: date, cycles: int = CYCLES) -> int:
    """How many of the last ``cycles`` cycles of ``every_days`` days, ending today, hold a 1:1.

    Cycle j (0 = the current one) covers the days ``today - (j + 1) * every_days + 1`` to ``today - j * every_days``.

    >>> cycles_kept([date(2026, 11, 20), date(2026, 11, 9)], every_days=7, today=date(2026, 11, 23), cycles=3)
    2
    """
    kept = 0
    for j in range(cycles):
        last = today - timedelta(days=j * every_days)
        first = last - timedelta(days=every_days - 1)
        if any(first <= d <= last for d in held):
            kept += 1
    return kept


def within_cadence(held: Sequence[date], *, every_days: int, day: date) -> bool:
    """Whether, on ``day``, the pair had held a 1:1 no more than ``every_days`` days before (sorted ``held``).

    >>> within_cadence([date(2026, 11, 2)], every_days=14, day=date(2026, 11, 16))
    True
    >>> within_cadence([date(2026, 11, 2)], every_days=14, day=date(2026, 11, 17))
    False
    """
    index = bisect_right(list(held), day)
    return index > 0 and (day - held[index - 1]).days <= every_days


@dataclass(frozen=True)
class PairCadence:
    report_id: int
    report_name: str
    every_days: int
    last_held: date | None
    within: bool
    kept: int
    cycles: int


@dataclass(frozen=True)
class ManagerCadence:
    """A manager's cadence kept: per pair, the share of pairs within cadence now (None without reports),
    the share of all cycles kept, and the share within cadence at the end of each of the last weeks."""

    pairs: list[PairCadence]
    within_now: float | None
    kept_share: float | None
    weekly: list[tuple[date, float]]


def _weekly(series: list[tuple[list[date], int]], *, today: date, weeks: int) -> list[tuple[date, float]]:
    points = []
    for w in range(weeks - 1, -1, -1):
        day = today - timedelta(weeks=w)
        within = sum(1 for held, every in series if within_cadence(held, every_days=every, day=day))
        points.append((day, within / len(series)))
    return points


def my_cadence(
    session: Session, *, org: str, viewer: User, today: date, path: str | None = None, cycles: int = CYCLES
) -> ManagerCadence:
    """The viewer's own cadence kept across their direct reports (each report's 1:1 days read is audited)."""
    if viewer.person_id is None:
        raise Forbidden("your login is not linked to a person, so you have no 1:1s")
    pairs: list[PairCadence] = []
    series: list[tuple[list[date], int]] = []
    for report in people.reports_of(session, org=org, manager_id=viewer.person_id):
        row = repository.pair(session, org=org, manager_id=viewer.person_id, report_id=report.id)
        every = row.every_days if row is not None else DEFAULT_CADENCE_DAYS
        held = repository.held_days(session, org=org, manager_id=viewer.person_id, report_id=report.id)
        kept = cycles_kept(held, every_days=every, today=today, cycles=cycles)
        within = within_cadence(held, every_days=every, day=today)
        pairs.append(PairCadence(report.id, report.name, every, held[-1] if held else None, within, kept, cycles))
        series.append((held, every))
        audit.record_view(
            session,
            org=org,
            viewer=viewer,
            action="view_checkin_cadence",
            subject_kind="person",
            subject_id=report.id,
            path=path,
        )
    if not pairs:
        return ManagerCadence([], None, None, [])
    return ManagerCadence(
        pairs=pairs,
        within_now=sum(p.within for p in pairs) / len(pairs),
        kept_share=sum(p.kept for p in pairs) / sum(p.cycles for p in pairs),
        weekly=_weekly(series, today=today, weeks=WEEKS),
    )

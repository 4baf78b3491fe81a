"""My connections: a person's own metrics, shown to that person only.

There is no route that shows another person's page: ``/people/{id}/connections`` answers 403 unless ``id`` is
the viewer's own person, whatever their role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.config import Settings
from teamweave.errors import Forbidden, NotFound
from teamweave.network import bridges as network_bridges
from teamweave.network import integration as network_integration
from teamweave.network import service as network
from teamweave.network import trends as network_trends
from teamweave.network.models import PersonMetric
from teamweave.web.charts import (
    CHANNEL_LABELS,
    Mark,
    Series,
    change_marks,
    channel_chart,
    focus_chart,
    line_chart,
    turnover_chart,
)
from teamweave.web.deps import CurrentUser, DbSession, get_settings
from teamweave.web.rendering import render

router = APIRouter()


def _change_words(change: int | None, noun: str) -> str:
    if change is None:
        return f"There is no {noun} before it to compare with."
    if change == 0:
        return f"That is the same number as the {noun} before."
    more = "more" if change > 0 else "fewer"
    return f"That is {abs(change)} {more} than the {noun} before."


def plain_words(latest: PersonMetric | None, window: date | None, settings: Settings, period: str) -> list[str]:
    """The person's metrics in the latest window of the organisation, said in plain sentences."""
    noun = "month" if period == "month" else "week"
    if window is None:
        return ["There is no analysed activity yet."]
    if latest is None or latest.window_start != window:
        return [f"In the {noun} starting {window.isoformat()} there were no interactions of yours in the data."]
    people = "1 person" if latest.ties == 1 else f"{latest.ties} people"
    close = {0: "none of them", 1: "1 of them"}.get(latest.strong_ties, f"{latest.strong_ties} of them")
    lines = [
        f"In the {noun} starting {window.isoformat()} you were in touch with {people}; "
        f"with {close} closely (strong ties).",
        _change_words(latest.ties_change, noun),
    ]
    if latest.human_share is not None:
        lines.append(
            f"{latest.human_share * 100:.0f}% of your interactions were with people rather than bots or AI tools."
        )
    if latest.after_hours_share is not None:
        lines.append(
            f"{latest.after_hours_share * 100:.0f}% of what you did happened outside "
            f"{settings.work_day_start}:00–{settings.work_day_end}:00 in your time zone, or at weekends."
        )
    if latest.cross_team_share is not None:
        lines.append(f"{latest.cross_team_share * 100:.0f}% of your ties reach people outside your team.")
    if latest.focus_hours is not None and latest.focus_blocks is not None:
        lines.append(
            f"On a typical working day your longest stretch without an interaction was {latest.focus_hours:.1f} "
            f"hours, with {latest.focus_blocks:.1f} uninterrupted stretches of 2 hours or more."
        )
    return lines


def bridge_words(bridges: network_bridges.OwnBridges) -> list[str]:
    """The bridges a person carries in their latest month, said plainly (for their eyes only)."""
    lines = []
    if bridges.sole_links:
        lines.append(
            f"You are your team's only link to {', '.join(bridges.sole_links)}: "
            "nobody else in your team was in touch with them."
        )
    if bridges.cut_point:
        lines.append("If you left, some people would lose their only path to the rest of the network.")
    return lines


@dataclass(frozen=True)
class OwnSeries:
    """A person's rows on the organisation's time axis: a window without a row had no ties."""

    windows: list[date]
    rows: dict[date, PersonMetric]

    @property
    def latest(self) -> PersonMetric | None:
        return self.rows.get(self.windows[-1]) if self.windows else None

    def ties_chart(self, title: str, marks: list[Mark] | None = None) -> Markup:
        return line_chart(
            [
                Series("ties", [(w, float(self.rows[w].ties) if w in self.rows else 0.0) for w in self.windows]),
                Series(
                    "strong ties",
                    [(w, float(self.rows[w].strong_ties) if w in self.rows else 0.0) for w in self.windows],
                ),
            ],
            title=title,
            marks=marks or [],
        )

    def share_chart(self) -> Markup:
        def points(attribute: str) -> list[tuple[date, float | None]]:
            return [(w, getattr(self.rows[w], attribute) if w in self.rows else None) for w in self.windows]

        return line_chart(
            [
                Series("with people (vs tools)", points("human_share")),
                Series("after hours", points("after_hours_share")),
            ],
            title="Human share and after-hours share per month",
            percent=True,
        )


def own_series(session: Session, *, org: str, pseudonym: str, period: str) -> OwnSeries:
    windows = network.person_windows(session, org=org, period=period)
    rows = network.my_connections(session, org=org, pseudonym=pseudonym, period=period)
    return OwnSeries(windows=windows, rows={r.window_start: r for r in rows})


def _own_pseudonym(session: Session, user: User, org: str) -> str:
    if user.person_id is None:
        raise NotFound("your login is not linked to a person, so there is no personal page")
    return network.person_pseudonym(session, org=org, person_id=user.person_id)


@router.get("/me")
def my_page(request: Request, user: CurrentUser, session: DbSession) -> Response:
    settings = get_settings(request)
    pseudonym = _own_pseudonym(session, user, settings.org)
    weekly = own_series(session, org=settings.org, pseudonym=pseudonym, period="week")
    monthly = own_series(session, org=settings.org, pseudonym=pseudonym, period="month")
    month = monthly.windows[-1] if monthly.windows else None
    week = weekly.windows[-1] if weekly.windows else None
    week_trends = network_trends.my_trends(session, org=settings.org, pseudonym=pseudonym, period="week")
    month_trends = network_trends.my_trends(session, org=settings.org, pseudonym=pseudonym, period="month")
    recent = network_trends.recent_changes(month_trends) + network_trends.recent_changes(week_trends)
    return render(
        request,
        "me.html",
        title="My connections",
        latest=monthly.latest,
        words=plain_words(monthly.latest, month, settings, "month"),
        week_words=plain_words(weekly.latest, week, settings, "week"),
        weekly_chart=weekly.ties_chart("Ties per week", change_marks(week_trends, ("ties", "strong_ties"))),
        monthly_chart=monthly.ties_chart("Ties per month", change_marks(month_trends, ("ties", "strong_ties"))),
        share_chart=monthly.share_chart(),
        changes=[trend.evidence(change) for trend, change in recent],
        integration=network_integration.my_integration(
            session, org=settings.org, person_id=user.person_id or 0, k=settings.min_group_size
        ),
        bridges=bridge_words(network_bridges.my_bridges(session, org=settings.org, row=monthly.latest)),
        focus_chart=focus_chart(week_trends, "Longest uninterrupted stretch of a working day, per week"),
        turnover_chart=turnover_chart(week_trends, "New and lost ties per week"),
        channel_chart=channel_chart(monthly.latest, "Your channel mix, latest month"),
    )


@router.get("/people/{person_id}/connections")
def person_page(person_id: int, request: Request, user: CurrentUser, session: DbSession) -> Response:
    if user.person_id is None or user.person_id != person_id:
        raise Forbidden("a person's connections are shown to that person only")
    return my_page(request, user, session)


@router.get("/api/me/connections")
def my_connections_api(
    request: Request, user: CurrentUser, session: DbSession, period: str = "month"
) -> dict[str, Any]:
    settings = get_settings(request)
    pseudonym = _own_pseudonym(session, user, settings.org)
    rows = network.my_connections(session, org=settings.org, pseudonym=pseudonym, period=period)
    trends = network_trends.my_trends(session, org=settings.org, pseudonym=pseudonym, period=period)
    fields = (
        "ties",
        "strong_ties",
        "weak_ties",
        "cross_team_share",
        "human_share",
        "after_hours_share",
        "new_ties",
        "lost_ties",
        "focus_hours",
        "focus_blocks",
        *(name for _, name in CHANNEL_LABELS),
    )
    return {
        "period": period,
        "windows": [
            {
                "window_start": r.window_start.isoformat(),
                **{f: getattr(r, f) for f in fields},
                "ties_change": r.ties_change,
            }
            for r in rows
        ],
        "changes": [network_trends.change_dict(t, c) for t in trends for c in t.changes],
    }

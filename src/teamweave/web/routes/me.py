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
from teamweave.analytics.windows import window_name
from teamweave.config import Settings
from teamweave.errors import Forbidden, NotFound
from teamweave.network import bridges as network_bridges
from teamweave.network import integration as network_integration
from teamweave.network import service as network
from teamweave.network import trends as network_trends
from teamweave.network.models import PersonMetric
from teamweave.people import service as people_service
from teamweave.people.models import Person
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
    if window is None:
        return ["There is no analysed activity yet."]
    if latest is None or latest.window_start != window:
        return [f"In {window_name(window, period=period)} there were no interactions of yours in the data."]
    people = "1 person" if latest.ties == 1 else f"{latest.ties} people"
    close = {0: "none of them", 1: "1 of them"}.get(latest.strong_ties, f"{latest.strong_ties} of them")
    lines = [
        f"In {window_name(window, period=period)} you were in touch with {people}; with {close} closely (strong ties).",
        _change_words(latest.ties_change, period),
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
    return lines + reach_and_load_words(latest, period)


def _hours(value: float) -> str:
    """2.0 -> "2 hours", 1.25 -> "1.2 hours", 1.0 -> "1 hour"."""
    text = f"{round(value, 1):g}"
    return "1 hour" if text == "1" else f"{text} hours"


def reach_and_load_words(latest: PersonMetric, noun: str) -> list[str]:
    """Cross-site reach, meeting hours and messages sent of one window, said plainly (each left out when the
    analysis has no value: no site, no ties to people of known site, no meeting durations in the data)."""
    lines = []
    if latest.cross_site_share is not None:
        lines.append(
            f"{latest.cross_site_share * 100:.0f}% of your ties (by weight) reach people at another site: "
            "the higher, the more you carry between places that rarely meet."
        )
    if latest.meeting_hours is not None:
        lines.append(
            f"You spent {_hours(latest.meeting_hours)} in meetings and calls with other people that {noun} "
            "(meetings whose length the calendar gave)."
        )
    if latest.messages_sent is not None:
        messages = "1 message" if latest.messages_sent == 1 else f"{latest.messages_sent} messages"
        lines.append(f"You sent {messages} to people: chat messages, replies, e-mails and review comments.")
    return lines


def _since(value: float, before: float | None, fmt: str) -> str:
    """' (up from 0.30 the month before)', or nothing without a previous value or a change shown."""
    if before is None or fmt.format(value) == fmt.format(before):
        return ""
    return f" ({'up' if value > before else 'down'} from {fmt.format(before)} the month before)"


def structure_words(latest: PersonMetric | None, previous: PersonMetric | None) -> list[str]:
    """A person's place in the month's network of close (strong) ties, said plainly: brokerage (Burt's
    constraint and effective size), clustering and betweenness. Each is left out when the analysis has no value
    (no close tie, fewer than two close contacts, or a week row: these are computed per month only)."""
    if latest is None:
        return []
    lines = []
    if latest.burt_constraint is not None:
        change = _since(latest.burt_constraint, previous.burt_constraint if previous else None, "{:.2f}")
        lines.append(
            f"Brokerage: your constraint was {latest.burt_constraint:.2f}{change}. Low constraint means you "
            "connect people who are not otherwise in touch; high means your close contacts all know each other "
            "(Burt's index, from about 0 to 1)."
        )
    if latest.effective_size is not None:
        contacts = "close contact" if latest.strong_ties == 1 else "close contacts"
        lines.append(
            f"Of your {latest.strong_ties} {contacts}, about {latest.effective_size:.1f} bring you people your "
            "other close contacts are not in touch with (effective size): the rest overlap."
        )
    if latest.clustering is not None:
        before = None if previous is None or previous.clustering is None else previous.clustering * 100
        share = latest.clustering * 100
        change = _since(share, before, "{:.0f}%")
        lines.append(
            f"{share:.0f}% of the pairs of your close contacts are close to each other too{change}: high means "
            "one tight-knit circle, low means your contacts come from separate circles (clustering)."
        )
    if latest.betweenness is not None:
        lines.append(
            f"{path_share(latest.betweenness).capitalize()} of the shortest paths between other people pass "
            "through you (betweenness): the higher, the more what others exchange flows through you."
        )
    return lines


def path_share(betweenness: float) -> str:
    """Betweenness (a share of the paths between others) as a percent: 0.042 -> "4.2%", 0.0004 -> "under
    0.1%" (a sampled estimate that small is not zero, and not worth more digits)."""
    return "under 0.1%" if 0 < betweenness < 0.0005 else f"{betweenness * 100:.1f}%"


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

    def previous(self, window: date | None) -> PersonMetric | None:
        """The row of the window before ``window`` on the time axis (None when absent)."""
        if window is None or window not in self.windows:
            return None
        at = self.windows.index(window)
        return self.rows.get(self.windows[at - 1]) if at > 0 else None

    def load_chart(self, attribute: str, label: str, title: str) -> Markup:
        """One load series (``meeting_hours`` or ``messages_sent``) per window; a window with no row counts 0,
        one whose value is unknown (no meeting durations in the data) leaves a gap."""

        def value(w: date) -> float | None:
            if w not in self.rows:
                return 0.0
            found = getattr(self.rows[w], attribute)
            return None if found is None else float(found)

        return line_chart([Series(label, [(w, value(w)) for w in self.windows])], title=title)

    def reach_chart(self) -> Markup:
        def points(attribute: str) -> list[tuple[date, float | None]]:
            return [(w, getattr(self.rows[w], attribute) if w in self.rows else None) for w in self.windows]

        return line_chart(
            [
                Series("to other teams", points("cross_team_share")),
                Series("to other sites", points("cross_site_share")),
            ],
            title="Share of your ties reaching other teams and other sites, per month",
            percent=True,
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


def _own_person(session: Session, user: User, org: str) -> Person:
    if user.person_id is None:
        raise NotFound("your login is not linked to a person, so there is no personal page")
    return people_service.get_person(session, org=org, person_id=user.person_id)


ANALYTICS_NOTICES = {
    "analytics-out": "Done: the next analysis leaves you out of every metric, yours and your teams'.",
    "analytics-in": "Done: the next analysis counts you again.",
}


@router.get("/me")
def my_page(request: Request, user: CurrentUser, session: DbSession, done: str | None = None) -> Response:
    settings = get_settings(request)
    person = _own_person(session, user, settings.org)
    pseudonym = person.pseudonym
    weekly = own_series(session, org=settings.org, pseudonym=pseudonym, period="week")
    monthly = own_series(session, org=settings.org, pseudonym=pseudonym, period="month")
    quarterly = own_series(session, org=settings.org, pseudonym=pseudonym, period="quarter")
    quarter = quarterly.windows[-1] if quarterly.windows else None
    quarter_trends = network_trends.my_trends(session, org=settings.org, pseudonym=pseudonym, period="quarter")
    month = monthly.windows[-1] if monthly.windows else None
    week = weekly.windows[-1] if weekly.windows else None
    week_trends = network_trends.my_trends(session, org=settings.org, pseudonym=pseudonym, period="week")
    month_trends = network_trends.my_trends(session, org=settings.org, pseudonym=pseudonym, period="month")
    recent = [
        *network_trends.recent_changes(quarter_trends),
        *network_trends.recent_changes(month_trends),
        *network_trends.recent_changes(week_trends),
    ]
    return render(
        request,
        "me.html",
        title="My connections",
        latest=monthly.latest,
        words=plain_words(monthly.latest, month, settings, "month"),
        week_words=plain_words(weekly.latest, week, settings, "week"),
        weekly_chart=weekly.ties_chart("Ties per week", change_marks(week_trends, ("ties", "strong_ties"))),
        monthly_chart=monthly.ties_chart("Ties per month", change_marks(month_trends, ("ties", "strong_ties"))),
        quarter_words=plain_words(quarterly.latest, quarter, settings, "quarter"),
        quarterly_chart=quarterly.ties_chart("Ties per quarter", change_marks(quarter_trends, ("ties", "strong_ties"))),
        share_chart=monthly.share_chart(),
        changes=[trend.evidence(change) for trend, change in recent],
        integration=network_integration.my_integration(
            session, org=settings.org, person_id=user.person_id or 0, k=settings.min_group_size
        ),
        bridges=bridge_words(network_bridges.my_bridges(session, org=settings.org, row=monthly.latest)),
        focus_chart=focus_chart(week_trends, "Longest uninterrupted stretch of a working day, per week"),
        turnover_chart=turnover_chart(week_trends, "New and lost ties per week"),
        channel_chart=channel_chart(monthly.latest, "Your channel mix, latest month"),
        structure=structure_words(monthly.latest, monthly.previous(month)),
        paths=path_share(monthly.latest.betweenness)
        if monthly.latest and monthly.latest.betweenness is not None
        else "",
        reach_chart=monthly.reach_chart(),
        meeting_chart=weekly.load_chart("meeting_hours", "hours in meetings", "Hours in meetings per week"),
        message_chart=weekly.load_chart("messages_sent", "messages sent", "Messages sent to people per week"),
        analytics_opt_out=person.analytics_opt_out,
        notice=ANALYTICS_NOTICES.get(done or ""),
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
    pseudonym = _own_person(session, user, settings.org).pseudonym
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
        "cross_site_share",
        "meeting_hours",
        "messages_sent",
        "betweenness",
        "burt_constraint",
        "effective_size",
        "clustering",
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

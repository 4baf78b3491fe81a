"""Team health: aggregates only, for the team's managers (up the line) and people-admins/admins.

Every view is written to the audit log. A slice under k people reads "too few people to show"; a count of
1..k-1 people ("members with no strong tie") reads "fewer than k"; tie-structure figures analysed with other
members than the team has now read "re-run analyze".
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from teamweave.accounts.models import Role, User
from teamweave.audit import service as audit
from teamweave.errors import Forbidden
from teamweave.network import integration as network_integration
from teamweave.network import service as network
from teamweave.network import trends as network_trends
from teamweave.network import working_hours
from teamweave.network.service import SliceHealth, TeamHealth
from teamweave.network.trends import MetricTrend
from teamweave.privacy.thresholds import TOO_FEW_PEOPLE, effective_k
from teamweave.web.charts import Series, change_marks, channel_chart, line_chart
from teamweave.web.deps import DbSession, ManagerOrAdmin, get_settings
from teamweave.web.rendering import render

router = APIRouter()
SLICE_VALUES = (
    "people",
    "mean_ties",
    "mean_strong_ties",
    "no_strong_tie_share",
    "cross_team_share",
    "human_share",
    "after_hours_share",
)
TEAM_VALUES = ("members", "human_share", "after_hours_share")
TIE_VALUES = ("density", "ei_index", "external_share")
TREND_EXTRA = (
    "mean_ties",
    "mean_new_ties",
    "mean_lost_ties",
    "thin_links",
    "focus_hours",
    "focus_blocks",
    *network.CHANNEL_SHARES,
)


def visible_team_ids(session: Session, *, org: str, user: User) -> set[int] | None:
    """The teams a user may see; None means every team (people-admins and admins)."""
    if user.role in (Role.PEOPLE_ADMIN, Role.ADMIN):
        return None
    if user.role == Role.MANAGER and user.person_id is not None:
        return network.managed_team_ids(session, org=org, person_id=user.person_id)
    return set()


def _allowed_health(request: Request, team_id: int, period: str, user: User, session: Session) -> TeamHealth:
    settings = get_settings(request)
    visible = visible_team_ids(session, org=settings.org, user=user)
    if visible is not None and team_id not in visible:
        raise Forbidden("you may see the health of the teams in your line only")
    health = network.team_health(session, org=settings.org, team_id=team_id, period=period, k=settings.min_group_size)
    audit.record_view(
        session,
        org=settings.org,
        viewer=user,
        action="view_team_health",
        subject_kind="team",
        subject_id=team_id,
        path=str(request.url.path),
    )
    return health


@router.get("/teams")
def team_list(
    request: Request,
    user: ManagerOrAdmin,
    session: DbSession,
) -> Response:
    org = get_settings(request).org
    visible = visible_team_ids(session, org=org, user=user)
    teams = [t for t in network.team_summaries(session, org=org) if visible is None or t.team_id in visible]
    k = effective_k(get_settings(request).min_group_size)
    audit.record_view(
        session,
        org=org,
        viewer=user,
        action="view_team_list",
        subject_kind="org",
        subject_id=org,
        path=str(request.url.path),
    )
    return render(request, "teams.html", title="Team health", teams=teams, k=k)


def _trend_charts(health: TeamHealth, trends: list[MetricTrend]) -> list[Any]:
    """The team's time series, each with its detected changes marked (aggregates over >= k people only)."""
    points = health.trend

    def marks(*metrics: str) -> list[Any]:
        return change_marks(trends, metrics, subject="the team's")

    return [
        line_chart(
            [
                Series("after hours", [(p.window_start, p.after_hours_share) for p in points]),
                Series("with people (vs tools)", [(p.window_start, p.human_share) for p in points]),
            ],
            title="After-hours share and human share",
            percent=True,
            marks=marks("after_hours_share", "human_share"),
        ),
        line_chart(
            [
                Series("density", [(p.window_start, p.density) for p in points]),
                Series("ties leaving the team", [(p.window_start, p.external_share) for p in points]),
            ],
            title="Internal density and share of ties leaving the team",
            percent=True,
            marks=marks("density", "external_share"),
        ),
        line_chart(
            [
                Series("ties per member", [(p.window_start, p.mean_ties) for p in points]),
                Series("new ties per member", [(p.window_start, p.mean_new_ties) for p in points]),
                Series("lost ties per member", [(p.window_start, p.mean_lost_ties) for p in points]),
            ],
            title="Ties per member, new and lost",
            marks=marks("mean_ties", "mean_new_ties", "mean_lost_ties"),
        ),
        line_chart(
            [Series("longest uninterrupted stretch (h)", [(p.window_start, p.focus_hours) for p in points])],
            title="Focus: members' mean longest uninterrupted stretch of a working day",
            marks=marks("focus_hours"),
        ),
    ]


@router.get("/teams/{team_id}")
def team_page(
    team_id: int,
    request: Request,
    user: ManagerOrAdmin,
    session: DbSession,
    period: str = "month",
) -> Response:
    health = _allowed_health(request, team_id, period, user, session)
    trends = network_trends.team_trends(health)
    charts = [] if health.too_few else _trend_charts(health, trends)
    latest = health.trend[-1] if health.trend else None
    changes = [t.evidence(c, subject="the team's") for t, c in network_trends.recent_changes(trends)]
    settings = get_settings(request)
    overlap = working_hours.team_overlap(
        session,
        org=settings.org,
        team_id=team_id,
        k=settings.min_group_size,
        work_day_start=settings.work_day_start,
        work_day_end=settings.work_day_end,
    )
    return render(
        request,
        "team.html",
        title=f"Team health: {health.team_name}",
        health=health,
        charts=charts,
        changes=changes,
        tested=network_trends.enough_windows(trends),
        overlap=overlap,
        newcomers=network_integration.team_integration(
            session, org=settings.org, team_id=team_id, k=settings.min_group_size
        ),
        cut_points=network.people_count(latest.cut_points if latest else None, health.k),
        thin_links=latest.thin_links if latest else None,
        channel_chart=None if health.too_few else channel_chart(latest, "Channel mix of the team, latest window"),
        fewer_than=network.fewer_than(health.k),
    )


def _slice_json(s: SliceHealth, k: int) -> dict[str, Any]:
    if s.too_few:
        return {"label": s.label, "too_few": True, "message": TOO_FEW_PEOPLE}
    values = {name: getattr(s, name) for name in SLICE_VALUES}
    if s.no_strong_tie_few:
        values["no_strong_tie_share"] = network.fewer_than(k)
    return {"label": s.label, "too_few": False, **values}


def _point_json(p: network.TeamPoint, k: int) -> dict[str, Any]:
    day = p.window_start.isoformat()
    if p.too_few:
        return {"window_start": day, "too_few": True, "message": TOO_FEW_PEOPLE}
    if p.stale:
        return {"window_start": day, "too_few": False, "stale": True, "message": network.RERUN_ANALYSIS}
    values = ("density", "external_share", "human_share", "after_hours_share", *TREND_EXTRA)
    return {
        "window_start": day,
        "too_few": False,
        "stale": False,
        **{name: getattr(p, name) for name in values},
        "cut_points": network.people_count(p.cut_points, k),
    }


def _tie_json(health: TeamHealth) -> dict[str, Any]:
    if health.stale:
        return {"stale": True, "stale_message": network.RERUN_ANALYSIS}
    return {"stale": False, **{name: getattr(health, name) for name in TIE_VALUES}}


def health_json(health: TeamHealth) -> dict[str, Any]:
    """The team health as JSON; a too-small team or slice carries only the message, no values."""
    head: dict[str, Any] = {
        "team_id": health.team_id,
        "team": health.team_name,
        "period": health.period,
        "window_start": health.window_start.isoformat() if health.window_start else None,
        "k": health.k,
    }
    if health.too_few:
        return {**head, "too_few": True, "message": TOO_FEW_PEOPLE}
    return {
        **head,
        "too_few": False,
        **{name: getattr(health, name) for name in TEAM_VALUES},
        **_tie_json(health),
        "no_strong_tie": network.fewer_than(health.k) if health.no_strong_tie_few else health.no_strong_tie,
        "overall": _slice_json(health.overall, health.k) if health.overall else None,
        "slices": [_slice_json(s, health.k) for s in health.slices],
        "trend": [_point_json(p, health.k) for p in health.trend],
        "changes": [
            network_trends.change_dict(t, c, subject="the team's")
            for t in network_trends.team_trends(health)
            for c in t.changes
        ],
    }


@router.get("/api/teams/{team_id}/health")
def team_health_api(
    team_id: int,
    request: Request,
    user: ManagerOrAdmin,
    session: DbSession,
    period: str = "month",
) -> dict[str, Any]:
    return health_json(_allowed_health(request, team_id, period, user, session))

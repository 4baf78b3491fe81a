"""Organisation: teams as nodes and the ties between them — never individuals. Views are audited."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.audit import service as audit
from teamweave.network import service as network
from teamweave.network import structure as network_structure
from teamweave.network import trends as network_trends
from teamweave.network.service import OrgMap
from teamweave.network.structure import OrgStructure
from teamweave.network.trends import MetricTrend
from teamweave.web.charts import CHANNEL_LABELS, Series, change_marks, line_chart, org_map_svg, share_bars
from teamweave.web.deps import DbSession, OrgViewer, get_settings
from teamweave.web.rendering import render

router = APIRouter()


def _org_map(request: Request, period: str, user: User, session: Session) -> OrgMap:
    settings = get_settings(request)
    result = network.org_map(session, org=settings.org, period=period, k=settings.min_group_size)
    audit.record_view(
        session,
        org=settings.org,
        viewer=user,
        action="view_org_map",
        subject_kind="org",
        subject_id=settings.org,
        path=str(request.url.path),
    )
    return result


@router.get("/org")
def org_page(
    request: Request,
    user: OrgViewer,
    session: DbSession,
    period: str = "month",
) -> Response:
    result = _org_map(request, period, user, session)
    ranked = sorted(result.nodes, key=lambda n: (n.ei_index is None, n.ei_index if n.ei_index is not None else 0.0))
    settings = get_settings(request)
    trends = network_trends.org_trends(session, org=settings.org, period=period, k=settings.min_group_size)
    changes = [t.evidence(c, subject="the organisation's") for t, c in network_trends.recent_changes(trends)]
    structure = network_structure.org_structure(session, org=settings.org, k=settings.min_group_size)
    return render(
        request,
        "org.html",
        title="Organisation",
        org_map=result,
        svg=org_map_svg(result),
        ranked=ranked,
        changes=changes,
        tested=network_trends.enough_windows(trends),
        charts=_org_charts(trends),
        structure=structure,
        structure_chart=_structure_chart(structure),
    )


def _structure_chart(structure: OrgStructure) -> Any:
    """Agreement of the communities with the teams (NMI) and modularity, per month."""
    if len(structure.series) < 2:
        return None
    return line_chart(
        [
            Series("match with the formal teams (NMI)", [(p.window_start, p.team_nmi) for p in structure.series]),
            Series("modularity", [(p.window_start, p.modularity) for p in structure.series]),
        ],
        title="Communities against the formal teams, per month",
    )


def _org_charts(trends: list[MetricTrend]) -> list[Any]:
    """Time series of the organisation's aggregates with detected changes marked, and its channel mix."""
    by = {t.metric: t for t in trends}

    def series(*metrics: str) -> list[Series]:
        return [Series(by[m].label, by[m].points) for m in metrics if m in by]

    def marks(*metrics: str) -> list[Any]:
        return change_marks(trends, metrics, subject="the organisation's")

    latest = {name: (by[name].points[-1][1] if name in by and by[name].points else None) for _, name in CHANNEL_LABELS}
    return [
        line_chart(
            series("mean_ties", "mean_new_ties", "mean_lost_ties"),
            title="Ties per person, new and lost",
            marks=marks("mean_ties", "mean_new_ties", "mean_lost_ties"),
        ),
        line_chart(
            series("human_share", "after_hours_share"),
            title="Human share and after-hours share",
            percent=True,
            marks=marks("human_share", "after_hours_share"),
        ),
        line_chart(
            series("focus_hours"),
            title="Longest uninterrupted stretch of a working day (h)",
            marks=marks("focus_hours"),
        ),
        share_bars([(label, latest[name]) for label, name in CHANNEL_LABELS], title="Channel mix, latest window"),
    ]


@router.get("/api/org")
def org_api(
    request: Request,
    user: OrgViewer,
    session: DbSession,
    period: str = "month",
) -> dict[str, Any]:
    result = _org_map(request, period, user, session)
    return {
        "period": result.period,
        "window_start": result.window_start.isoformat() if result.window_start else None,
        "k": result.k,
        "nodes": [asdict(n) for n in result.nodes],
        "edges": [asdict(e) for e in result.edges],
        "hidden_teams": result.hidden_teams,
        "structure": _structure_dict(session, request),
        "trends": [
            {"metric": t.metric, "points": [{"window_start": w.isoformat(), "value": v} for w, v in t.points]}
            for t in network_trends.org_trends(
                session, org=get_settings(request).org, period=period, k=get_settings(request).min_group_size
            )
        ],
    }


def _structure_dict(session: Session, request: Request) -> dict[str, Any]:
    settings = get_settings(request)
    found = network_structure.org_structure(session, org=settings.org, k=settings.min_group_size)
    return {
        "period": found.period,
        "people": found.people,
        "betweenness_pivots": found.betweenness_pivots,
        "betweenness_error": found.betweenness_error,
        "windows": [
            {
                "window_start": p.window_start.isoformat(),
                "communities": p.communities,
                "team_nmi": p.team_nmi,
                "modularity": p.modularity,
            }
            for p in found.series
        ],
    }

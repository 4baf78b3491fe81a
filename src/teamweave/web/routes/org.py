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
from teamweave.network.service import OrgMap
from teamweave.web.charts import org_map_svg
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
    return render(request, "org.html", title="Organisation", org_map=result, svg=org_map_svg(result), ranked=ranked)


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
    }

"""The audit log itself, for admins: who viewed which people data, when."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from teamweave.audit import service as audit
from teamweave.web.deps import Admin, DbSession, get_settings
from teamweave.web.rendering import render

router = APIRouter()


@router.get("/audit")
def audit_page(
    request: Request,
    user: Admin,
    session: DbSession,
    limit: int = 200,
) -> Response:
    entries = audit.named_entries(session, org=get_settings(request).org, limit=max(1, min(limit, 1000)))
    return render(request, "audit.html", title="Audit log", entries=entries)

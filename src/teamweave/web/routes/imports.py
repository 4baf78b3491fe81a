"""Imports: the history of import runs (counts, errors) and the identities not yet matched to a person.

For people-admins and admins; each view is audited (identity labels are people data).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from teamweave.audit import service as audit
from teamweave.imports import service as imports
from teamweave.web.deps import DbSession, PeopleAdmin, get_settings
from teamweave.web.rendering import render

router = APIRouter()


@router.get("/imports")
def imports_page(
    request: Request,
    user: PeopleAdmin,
    session: DbSession,
) -> Response:
    org = get_settings(request).org
    runs = imports.list_runs(session, org=org)
    unresolved = imports.unresolved_identities(session, org=org)
    audit.record_view(
        session,
        org=org,
        viewer=user,
        action="view_imports",
        subject_kind="imports",
        subject_id=org,
        path=str(request.url.path),
    )
    return render(request, "imports.html", title="Imports", runs=runs, unresolved=unresolved)

"""Imports: the history of import runs (counts, errors) and the identities not yet matched to a person.

For people-admins and admins; each view is audited (identity labels are people data). Each unresolved
identity that is not a bot has a form (``POST /imports/identities/{id}/resolve``, CSRF-checked) that resolves
it to the person with an HR e-mail address; the resolution is audited, and the next analysis counts the
identity's events as that person's with no re-import. Bots are listed apart and cannot be resolved.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamweave.audit import service as audit
from teamweave.imports import service as imports
from teamweave.web.deps import DbSession, PeopleAdmin, get_settings
from teamweave.web.rendering import render

router = APIRouter()

MAX_EMAIL_CHARS = 320


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
    return render(
        request,
        "imports.html",
        title="Imports",
        runs=runs,
        unresolved=[i for i in unresolved if not i.is_bot],
        bots=[i for i in unresolved if i.is_bot],
    )


@router.post("/imports/identities/{identity_id}/resolve")
def resolve_identity(
    request: Request,
    identity_id: int,
    user: PeopleAdmin,
    session: DbSession,
    email: Annotated[str, Form(max_length=MAX_EMAIL_CHARS)] = "",
) -> Response:
    """Resolve an identity to the person with this HR e-mail address, record it, and go back to the page."""
    org = get_settings(request).org
    imports.resolve_identity_to_email(session, org=org, identity_id=identity_id, email=email)
    audit.record_view(
        session,
        org=org,
        viewer=user,
        action="resolve_identity",
        subject_kind="imports",
        subject_id=identity_id,
        path=str(request.url.path),
    )
    return RedirectResponse("/imports", status_code=303)

"""My data: a person downloads their own copy of everything teamweave holds about them.

The same export an operator writes with ``teamweave privacy export`` (``privacy.export``), for the viewer's own
person only: there is no way to ask for another person's. The download is recorded in the audit log, so it is
listed among the views of the person's data in the next export.
"""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response

from teamweave.audit import service as audit
from teamweave.errors import NotFound
from teamweave.people import service as people
from teamweave.privacy.export import full_export
from teamweave.web.deps import CurrentUser, DbSession, get_runtime

router = APIRouter()

FILE_NAME = "teamweave-my-data.json"


@router.get("/me/data.json")
def my_data(request: Request, user: CurrentUser, session: DbSession) -> Response:
    """Everything held about the viewer, as a JSON file to save."""
    runtime = get_runtime(request)
    org = runtime.settings.org
    if user.person_id is None:
        raise NotFound("your login is not linked to a person, so teamweave holds no personal data of yours")
    person = people.get_person(session, org=org, person_id=user.person_id)
    audit.record_view(
        session,
        org=org,
        viewer=user,
        action="export_own_data",
        subject_kind="person",
        subject_id=person.id,
        path=request.url.path,
    )
    data = full_export(session, org=org, email=person.email, events=runtime.events)
    return Response(
        orjson.dumps(data, option=orjson.OPT_INDENT_2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{FILE_NAME}"', "Cache-Control": "no-store"},
    )

"""My data: a person downloads their own copy of everything teamweave holds about them, and leaves the
analytics (or comes back) themself.

The download is the export an operator writes with ``teamweave privacy export`` (``privacy.export``), for the
viewer's own person only: there is no way to ask for another person's. It is recorded in the audit log, so it is
listed among the views of the person's data in the next export. Leaving the analytics is the operator's
``teamweave privacy opt-out`` (``privacy.consent``), again for the viewer only.
"""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.audit import service as audit
from teamweave.errors import NotFound
from teamweave.people import service as people
from teamweave.people.models import Person
from teamweave.privacy.consent import set_analytics_opt_out
from teamweave.privacy.export import full_export
from teamweave.web.deps import CurrentUser, DbSession, get_runtime

router = APIRouter()

FILE_NAME = "teamweave-my-data.json"


@router.get("/me/data.json")
def my_data(request: Request, user: CurrentUser, session: DbSession) -> Response:
    """Everything held about the viewer, as a JSON file to save."""
    runtime = get_runtime(request)
    org = runtime.settings.org
    person = _own_person(session, org=org, user=user)
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


@router.post("/me/analytics")
def set_my_analytics(
    request: Request, user: CurrentUser, session: DbSession, choice: Annotated[Literal["out", "in"], Form()]
) -> Response:
    """Leave the analytics (``choice=out``) or come back (``in``): from the next analysis on, every metric leaves
    the viewer out, theirs and their teams' (docs/privacy.md)."""
    org = get_runtime(request).settings.org
    person = _own_person(session, org=org, user=user)
    set_analytics_opt_out(session, org=org, email=person.email, opt_out=choice == "out")
    return RedirectResponse(f"/me?done=analytics-{choice}#my-data", status_code=303)


def _own_person(session: Session, *, org: str, user: User) -> Person:
    if user.person_id is None:
        raise NotFound("your login is not linked to a person, so teamweave holds no personal data of yours")
    return people.get_person(session, org=org, person_id=user.person_id)

"""Recognition on the web: give thanks tied to a company value, read the feeds, see equity.

Pages:

* ``/recognition``: the org feed of public recognitions (anyone logged in but a portfolio viewer, who gets
  403 on every route here), with links to team feeds;
* ``/recognition/give``: the form (a person or a team, a value, a message, public or private, an optional
  personal thank-you note for the receivers only); ``POST /recognition/give`` saves and redirects;
* ``/recognition/teams/{id}``: one team's feed;
* ``/recognition/mine``: what reached you (with your notes) and what you gave, public and private;
* ``/recognition/equity``: for managers, people-admins and admins: your own reports not recognised lately (a
  nudge for you only), recognition across teams and sites (groups under k, and groups whose difference from
  other shown groups would be about fewer than k people, shown as too few), your own giving.

API (JSON; POST needs the ``X-CSRF-Token`` header): ``POST /api/recognition``, ``GET /api/recognition/feed``
(``?team_id=`` for a team's feed), ``GET /api/recognition/mine``. Every view of others' data is audited by the
services.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from teamweave.accounts.models import Role, User
from teamweave.errors import InputFormatError
from teamweave.people import service as people
from teamweave.recognition import equity
from teamweave.recognition import service as recognition
from teamweave.recognition.schemas import MAX_MESSAGE, MAX_NOTE, RecognitionView
from teamweave.runtime import Runtime
from teamweave.web.charts import Series, line_chart
from teamweave.web.deps import DbSession, ManagerOrAdmin, get_runtime, get_settings, require_roles
from teamweave.web.rendering import render

router = APIRouter()

# Recognition names people: every route is for logins of the organisation's people, never a portfolio viewer
# (who sees organisation-level aggregates only).
NamedViewer = Annotated[User, Depends(require_roles(Role.MEMBER, Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN))]

Text = Annotated[str, Form(max_length=MAX_NOTE)]
VISIBILITIES = frozenset({"public", "private"})


class RecognitionRequest(BaseModel):
    """A recognition given through the API: one of to_email / to_person_id / team / team_id."""

    to_email: str | None = Field(None, max_length=320)
    to_person_id: int | None = None
    team: str | None = Field(None, max_length=200)
    team_id: int | None = None
    value: str = Field(max_length=100)
    message: str = Field(max_length=MAX_MESSAGE)
    public: bool = True
    note: str = Field("", max_length=MAX_NOTE)


def _now() -> datetime:
    return datetime.now(UTC)


def _give(
    session: Session,
    runtime: Runtime,
    user: User,
    *,
    target: tuple[int | None, int | None],
    value: str,
    message: str,
    public: bool,
    note: str,
) -> RecognitionView:
    settings = runtime.settings
    row = recognition.give(
        session,
        org=settings.org,
        giver_id=recognition.giver_of(user),
        person_id=target[0],
        team_id=target[1],
        value=value,
        message=message,
        public=public,
        note=note,
        values=settings.recognition_values,
        public_url=settings.public_url,
    )
    return recognition.view_of(session, org=settings.org, row=row)


def _optional_id(raw: str, field: str) -> int | None:
    if not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError as error:
        raise InputFormatError(f"{field}: not a valid choice", field=field) from error


def _form(request: Request, session: Session, user: User, *, status: int = 200, **context: Any) -> Response:
    settings = get_settings(request)
    recognition.giver_of(user)
    choices = [e for e in people.directory(session, org=settings.org) if e.person_id != user.person_id]
    context.setdefault("chosen", {})
    return render(
        request,
        "recognition_give.html",
        status=status,
        title="Give recognition",
        people=sorted(choices, key=lambda e: e.name.casefold()),
        teams=people.teams(session, org=settings.org),
        values=settings.recognition_values,
        max_message=MAX_MESSAGE,
        max_note=MAX_NOTE,
        **context,
    )


@router.get("/recognition")
def org_feed(request: Request, user: NamedViewer, session: DbSession, given: int = 0) -> Response:
    org = get_settings(request).org
    feed = recognition.org_feed(session, org=org, viewer=user, path=request.url.path)
    return render(
        request,
        "recognition_feed.html",
        title="Recognition",
        heading="Recognition across the organisation",
        feed=feed,
        teams=people.teams(session, org=org),
        can_give=user.person_id is not None,
        given=bool(given),
    )


@router.get("/recognition/give")
def give_form(request: Request, user: NamedViewer, session: DbSession) -> Response:
    return _form(request, session, user)


@router.post("/recognition/give")
def give_submit(
    request: Request,
    user: NamedViewer,
    session: DbSession,
    value: Annotated[str, Form(max_length=100)],
    message: Annotated[str, Form(max_length=MAX_MESSAGE)],
    person_id: Annotated[str, Form(max_length=20)] = "",
    team_id: Annotated[str, Form(max_length=20)] = "",
    visibility: Annotated[str, Form(max_length=10)] = "public",
    note: Text = "",
) -> Response:
    public = visibility == "public"
    try:
        if visibility not in VISIBILITIES:
            raise InputFormatError("visibility: choose public or private", field="visibility")
        target = recognition.resolve_target(
            session,
            org=get_settings(request).org,
            to_person_id=_optional_id(person_id, "to"),
            team_id=_optional_id(team_id, "team"),
        )
        runtime = get_runtime(request)
        _give(session, runtime, user, target=target, value=value, message=message, public=public, note=note)
    except InputFormatError as error:
        chosen = {"person_id": person_id, "team_id": team_id, "value": value, "public": public}
        return _form(request, session, user, status=422, error=error, message=message, note=note, chosen=chosen)
    return RedirectResponse("/recognition?given=1" if public else "/recognition/mine?given=1", status_code=303)


@router.get("/recognition/teams/{team_id}")
def team_feed(team_id: int, request: Request, user: NamedViewer, session: DbSession) -> Response:
    org = get_settings(request).org
    name, feed = recognition.team_feed(session, org=org, viewer=user, team_id=team_id, path=request.url.path)
    return render(
        request,
        "recognition_feed.html",
        title=f"Recognition · {name}",
        heading=f"Recognition in {name}",
        feed=feed,
        teams=people.teams(session, org=org),
        can_give=user.person_id is not None,
        given=False,
    )


@router.get("/recognition/mine")
def mine(request: Request, user: NamedViewer, session: DbSession, given: int = 0) -> Response:
    mine = recognition.my_recognition(session, org=get_settings(request).org, viewer=user)
    return render(request, "recognition_mine.html", title="My recognition", mine=mine, given=bool(given))


@router.get("/recognition/equity")
def equity_page(request: Request, user: ManagerOrAdmin, session: DbSession) -> Response:
    settings = get_settings(request)
    now, path = _now(), request.url.path
    weeks = settings.recognition_equity_weeks
    reports = giving = chart = None
    if user.person_id is not None:
        reports = equity.reports_recognition(session, org=settings.org, viewer=user, now=now, weeks=weeks, path=path)
        giving = equity.my_giving(session, org=settings.org, viewer=user, today=now.date())
        points = [(w.week, float(w.count)) for w in giving.weeks]
        chart = line_chart([Series("recognitions given", points)], title="My recognition given per week")
    spread = equity.distribution(
        session, org=settings.org, viewer=user, now=now, weeks=weeks, k=settings.min_group_size, path=path
    )
    return render(
        request,
        "recognition_equity.html",
        title="Recognition equity",
        weeks=weeks,
        reports=reports,
        unrecognised=[r for r in reports or [] if not r.recognised_lately],
        giving=giving,
        chart=chart,
        spread=spread,
    )


@router.post("/api/recognition")
def give_api(body: RecognitionRequest, request: Request, user: NamedViewer, session: DbSession) -> Response:
    org = get_settings(request).org
    target = recognition.resolve_target(
        session, org=org, to_email=body.to_email, to_person_id=body.to_person_id, team=body.team, team_id=body.team_id
    )
    new = _give(
        session,
        get_runtime(request),
        user,
        target=target,
        value=body.value,
        message=body.message,
        public=body.public,
        note=body.note,
    )
    return JSONResponse(new.as_dict(), status_code=201)


@router.get("/api/recognition/feed")
def feed_api(request: Request, user: NamedViewer, session: DbSession, team_id: int | None = None) -> dict[str, Any]:
    org, path = get_settings(request).org, request.url.path
    if team_id is None:
        return {"items": [v.as_dict() for v in recognition.org_feed(session, org=org, viewer=user, path=path)]}
    name, feed = recognition.team_feed(session, org=org, viewer=user, team_id=team_id, path=path)
    return {"team": name, "items": [v.as_dict() for v in feed]}


@router.get("/api/recognition/mine")
def mine_api(request: Request, user: NamedViewer, session: DbSession) -> dict[str, Any]:
    mine = recognition.my_recognition(session, org=get_settings(request).org, viewer=user)
    return {"received": [v.as_dict() for v in mine.received], "given": [v.as_dict() for v in mine.given]}

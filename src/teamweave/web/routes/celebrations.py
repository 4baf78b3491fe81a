"""Celebrations on the web: upcoming work anniversaries, opted-in birthdays, milestones and team achievements.

* ``/celebrations``: the upcoming celebrations of my team and of the organisation (``?days=``, 1-366, default
  14), a form to add a milestone of a person or an achievement of a team, and my own choices: birthday
  opt-in/opt-out and hiding my work anniversary. Each list shown is audited once (team, org).
* ``POST /celebrations/milestones``, ``/celebrations/achievements``: anyone logged in adds one.
* ``POST /celebrations/moments/{id}/delete``: the person it is about, who entered it, or a people-admin/admin.
* ``POST /celebrations/birthday``, ``/celebrations/birthday/clear``, ``/celebrations/anniversary``: the
  viewer's own choices only (there is no route that changes another person's).

A portfolio viewer gets 403 on every route here: celebrations name people.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from teamweave.accounts.models import Role, User
from teamweave.moments import service as moments
from teamweave.moments.models import MAX_TITLE
from teamweave.moments.occurrences import iso_week_start
from teamweave.web.deps import DbSession, get_settings, require_roles
from teamweave.web.rendering import render

router = APIRouter()

# Celebrations name people: every route is for logins of the organisation's people, never a portfolio viewer
# (who sees organisation-level aggregates only).
NamedViewer = Annotated[User, Depends(require_roles(Role.MEMBER, Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN))]

Title = Annotated[str, Form(min_length=1, max_length=MAX_TITLE)]
NOTICES = {
    "added": "Added — thank you for celebrating.",
    "deleted": "Deleted.",
    "birthday": "Your birthday is saved: your team will see the day and month, never the year.",
    "no-birthday": "Your birthday is removed.",
    "anniversary": "Your choice about your work anniversary is saved.",
}


def today() -> date:
    return datetime.now(UTC).date()


def _back(notice: str) -> RedirectResponse:
    return RedirectResponse(f"/celebrations?done={notice}", status_code=303)


@router.get("/celebrations")
def celebrations_page(
    request: Request,
    user: NamedViewer,
    session: DbSession,
    days: Annotated[int, Query(ge=1, le=moments.MAX_DAYS)] = 14,
    done: str = "",
) -> Response:
    org = get_settings(request).org
    first = today()
    team = moments.my_team(session, org=org, viewer=user)
    team_items = (
        moments.team_celebrations(
            session, org=org, viewer=user, team_id=team[0], first=first, days=days, path=request.url.path
        )
        if team is not None
        else []
    )
    org_items = moments.org_celebrations(session, org=org, viewer=user, first=first, days=days, path=request.url.path)
    return render(
        request,
        "celebrations.html",
        title="Celebrations",
        days=days,
        first=first,
        week_start=iso_week_start(first),
        team=team,
        team_items=team_items,
        org_items=org_items,
        deletable={c.moment_id for c in [*team_items, *org_items] if c.moment_id and moments.may_delete(c, user)},
        people=moments.people_to_celebrate(session, org=org, viewer=user),
        teams=moments.teams(session, org=org),
        mine=moments.my_settings(session, org=org, viewer=user) if user.person_id is not None else None,
        notice=NOTICES.get(done),
        max_title=MAX_TITLE,
        months=list(enumerate(calendar.month_name))[1:],
    )


@router.post("/celebrations/milestones")
def add_milestone(
    request: Request,
    user: NamedViewer,
    session: DbSession,
    person_id: Annotated[int, Form()],
    title: Title,
    day: Annotated[date, Form()],
) -> Response:
    moments.add_moment(
        session,
        org=get_settings(request).org,
        entered_by=user,
        kind="milestone",
        title=title,
        day=day,
        person_id=person_id,
    )
    return _back("added")


@router.post("/celebrations/achievements")
def add_achievement(
    request: Request,
    user: NamedViewer,
    session: DbSession,
    team_id: Annotated[int, Form()],
    title: Title,
    day: Annotated[date, Form()],
) -> Response:
    moments.add_moment(
        session,
        org=get_settings(request).org,
        entered_by=user,
        kind="achievement",
        title=title,
        day=day,
        team_id=team_id,
    )
    return _back("added")


@router.post("/celebrations/moments/{moment_id}/delete")
def delete_moment(moment_id: int, request: Request, user: NamedViewer, session: DbSession) -> Response:
    moments.delete_moment(session, org=get_settings(request).org, viewer=user, moment_id=moment_id)
    return _back("deleted")


@router.post("/celebrations/birthday")
def set_birthday(
    request: Request,
    user: NamedViewer,
    session: DbSession,
    month: Annotated[int, Form(ge=1, le=12)],
    day: Annotated[int, Form(ge=1, le=31)],
) -> Response:
    moments.set_my_birthday(session, org=get_settings(request).org, viewer=user, month=month, day=day)
    return _back("birthday")


@router.post("/celebrations/birthday/clear")
def clear_birthday(request: Request, user: NamedViewer, session: DbSession) -> Response:
    moments.clear_my_birthday(session, org=get_settings(request).org, viewer=user)
    return _back("no-birthday")


@router.post("/celebrations/anniversary")
def set_anniversary(
    request: Request, user: NamedViewer, session: DbSession, hide: Annotated[str, Form()] = ""
) -> Response:
    moments.set_hide_anniversary(session, org=get_settings(request).org, viewer=user, hide=hide == "1")
    return _back("anniversary")

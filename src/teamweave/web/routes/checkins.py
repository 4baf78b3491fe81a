"""1:1 wellbeing check-ins on the web (not performance reviews).

* ``/checkins``: a person's own check-in form (WHO-5, "how are you, really?", a connection question) and their
  own trend; only they see it. ``POST /checkins`` saves and redirects.
* ``/checkins/reports``: a manager's own direct reports: last check-in, WHO-5 trend, flags, overdue 1:1s;
  ``/checkins/reports/{id}``: one own report with the pair's private answers; buttons to log a held 1:1 and to
  set the pair's cadence. Any other person's report answers 403. Every view is audited.
* ``/checkins/teams``: WHO-5 team aggregates over >= k people, for managers, people-admins and admins.
* ``/checkins/cadence``: a manager's own cadence kept across their reports (leading by example).
* Notes that carry forward and action items (``/checkins/notes``, ``/checkins/items``, and the same under
  ``/checkins/reports/{id}``) belong to the pair; either side ticks an item off (``/checkins/items/{id}``).
* The report gives or withdraws consent to coaching from their signals (``/checkins/consent``) and can ask
  their manager for a 1:1 (``/checkins/ask``); the manager sees coaching prompts on the report's page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.checkins import cadence, notes, prompts, scheduling
from teamweave.checkins import service as checkins
from teamweave.checkins.schemas import CONNECTION, HOW_ARE_YOU, WHO5_ANSWERS, WHO5_ITEMS, WHO5_STEM, CheckinView
from teamweave.errors import InputFormatError, NotFound
from teamweave.people import service as people
from teamweave.web.charts import Series, line_chart
from teamweave.web.deps import CurrentUser, DbSession, ManagerOrAdmin, get_settings
from teamweave.web.rendering import render

router = APIRouter()

Answer = Annotated[int, Form(ge=0, le=5)]
FreeText = Annotated[str, Form(max_length=checkins.MAX_TEXT)]
NoteText = Annotated[str, Form(max_length=notes.MAX_NOTE)]
ItemText = Annotated[str, Form(max_length=notes.MAX_ITEM)]
Owner = Annotated[str, Form(pattern="^(manager|report)$")]


def today(request: Request, session: Session, user: User) -> date:
    """Today in the viewer's own time zone: the day their check-ins, 1:1s and notes are filed under."""
    return checkins.local_today(session, org=get_settings(request).org, viewer=user)


def trend_chart(views: list[CheckinView], title: str) -> Markup:
    """The WHO-5 score (0-100) of each check-in as a small server-side SVG line."""
    return line_chart([Series("WHO-5 (0–100)", [(v.day, float(v.who5.score)) for v in views])], title=title)


@router.get("/checkins")
def checkin_form(request: Request, user: CurrentUser, session: DbSession, saved: int = 0, asked: int = 0) -> Response:
    org = get_settings(request).org
    if user.person_id is None:
        raise NotFound("your login is not linked to a person, so there is no check-in form")
    views = checkins.my_checkins(session, org=org, viewer=user)
    day = today(request, session, user)
    return render(
        request,
        "checkins_form.html",
        title="My check-in",
        manager=checkins.checkin_manager(session, org=org, viewer=user),
        stem=WHO5_STEM,
        items=list(enumerate(WHO5_ITEMS, start=1)),
        answers=WHO5_ANSWERS,
        how_are_you=HOW_ARE_YOU,
        connection=CONNECTION,
        views=list(reversed(views)),
        chart=trend_chart(views, "My WHO-5 over time") if views else None,
        saved=bool(saved),
        asked=bool(asked),
        consent=prompts.my_consent(session, org=org, viewer=user),
        pair_notes=notes.my_pair_notes(session, org=org, viewer=user, today=day),
        notes_action="/checkins",
    )


@router.post("/checkins")
def submit_checkin(
    request: Request,
    user: CurrentUser,
    session: DbSession,
    who5_1: Answer,
    who5_2: Answer,
    who5_3: Answer,
    who5_4: Answer,
    who5_5: Answer,
    how_are_you: FreeText = "",
    connection: FreeText = "",
) -> Response:
    checkins.submit_checkin(
        session,
        org=get_settings(request).org,
        viewer=user,
        answers=[who5_1, who5_2, who5_3, who5_4, who5_5],
        how_are_you=how_are_you,
        connection=connection,
        day=today(request, session, user),
    )
    return RedirectResponse("/checkins?saved=1", status_code=303)


@router.get("/checkins/reports")
def my_reports(request: Request, user: ManagerOrAdmin, session: DbSession) -> Response:
    if user.person_id is None:
        raise NotFound("your login is not linked to a person, so you have no direct reports")
    statuses = checkins.reports_overview(
        session, org=get_settings(request).org, viewer=user, today=today(request, session, user), path=request.url.path
    )
    charts = {s.report_id: trend_chart(s.checkins, f"WHO-5 of {s.report_name}") for s in statuses if s.checkins}
    return render(request, "checkins_reports.html", title="My reports' check-ins", statuses=statuses, charts=charts)


@router.get("/checkins/reports/{person_id}")
def one_report(
    person_id: int, request: Request, user: ManagerOrAdmin, session: DbSession, scheduled: int = 0
) -> Response:
    org, day = get_settings(request).org, today(request, session, user)
    status = checkins.report_status(
        session, org=org, viewer=user, report_id=person_id, today=day, path=request.url.path
    )
    return render(
        request,
        "checkins_report.html",
        title=f"Check-ins with {status.report_name}",
        pair=status,
        views=list(reversed(status.checkins)),
        chart=trend_chart(status.checkins, f"WHO-5 of {status.report_name}") if status.checkins else None,
        how_are_you=HOW_ARE_YOU,
        connection=CONNECTION,
        prompts=prompts.coaching_prompts(
            session, org=org, viewer=user, report_id=person_id, today=day, path=request.url.path
        ),
        pair_notes=notes.notes_for_report(session, org=org, viewer=user, report_id=person_id, today=day),
        notes_action=f"/checkins/reports/{person_id}",
        scheduled=bool(scheduled),
    )


@router.post("/checkins/reports/{person_id}/held")
def log_held(person_id: int, request: Request, user: ManagerOrAdmin, session: DbSession) -> Response:
    checkins.log_one_on_one(
        session, org=get_settings(request).org, viewer=user, report_id=person_id, day=today(request, session, user)
    )
    return RedirectResponse(f"/checkins/reports/{person_id}", status_code=303)


@router.post("/checkins/reports/{person_id}/schedule")
def schedule(
    person_id: int,
    request: Request,
    user: ManagerOrAdmin,
    session: DbSession,
    start: Annotated[str, Form(max_length=32)],
    minutes: Annotated[int, Form(ge=15, le=120)] = 30,
) -> Response:
    try:
        local_start = datetime.fromisoformat(start).replace(tzinfo=None)
    except ValueError as exc:
        raise InputFormatError("a date and time like 2026-11-30T10:00", field="start") from exc
    scheduling.schedule_one_on_one(
        session,
        org=get_settings(request).org,
        viewer=user,
        report_id=person_id,
        local_start=local_start,
        minutes=minutes,
    )
    return RedirectResponse(f"/checkins/reports/{person_id}?scheduled=1", status_code=303)


@router.post("/checkins/reports/{person_id}/cadence")
def set_cadence(
    person_id: int,
    request: Request,
    user: ManagerOrAdmin,
    session: DbSession,
    every_days: Annotated[int, Form(ge=1, le=checkins.MAX_CADENCE_DAYS)],
) -> Response:
    checkins.set_cadence(
        session, org=get_settings(request).org, viewer=user, report_id=person_id, every_days=every_days
    )
    return RedirectResponse(f"/checkins/reports/{person_id}", status_code=303)


@router.get("/checkins/teams")
def team_aggregates(request: Request, user: ManagerOrAdmin, session: DbSession) -> Response:
    settings = get_settings(request)
    rows = [
        checkins.team_wellbeing(
            session,
            org=settings.org,
            viewer=user,
            team_id=team.team_id,
            k=settings.min_group_size,
            path=request.url.path,
        )
        for team in people.teams(session, org=settings.org)
    ]
    return render(request, "checkins_teams.html", title="Team wellbeing", rows=rows)


@router.post("/checkins/consent")
def set_consent(
    request: Request, user: CurrentUser, session: DbSession, allow: Annotated[int, Form(ge=0, le=1)]
) -> Response:
    prompts.set_consent(session, org=get_settings(request).org, viewer=user, allow=bool(allow))
    return RedirectResponse("/checkins", status_code=303)


@router.post("/checkins/ask")
def ask_for_one_on_one(request: Request, user: CurrentUser, session: DbSession) -> Response:
    scheduling.request_one_on_one(
        session, org=get_settings(request).org, viewer=user, today=today(request, session, user)
    )
    return RedirectResponse("/checkins?asked=1", status_code=303)


def _back(report_id: int | None) -> str:
    return "/checkins" if report_id is None else f"/checkins/reports/{report_id}"


def _add_note(request: Request, user: User, session: Session, report_id: int | None, text: str) -> Response:
    notes.add_note(
        session,
        org=get_settings(request).org,
        viewer=user,
        report_id=report_id,
        text=text,
        day=today(request, session, user),
    )
    return RedirectResponse(_back(report_id), status_code=303)


def _add_item(request: Request, user: User, session: Session, report_id: int | None, owner: str, text: str) -> Response:
    notes.add_item(
        session,
        org=get_settings(request).org,
        viewer=user,
        report_id=report_id,
        owner=owner,
        text=text,
        day=today(request, session, user),
    )
    return RedirectResponse(_back(report_id), status_code=303)


@router.post("/checkins/notes")
def add_my_note(request: Request, user: CurrentUser, session: DbSession, text: NoteText) -> Response:
    return _add_note(request, user, session, None, text)


@router.post("/checkins/reports/{person_id}/notes")
def add_report_note(
    person_id: int, request: Request, user: ManagerOrAdmin, session: DbSession, text: NoteText
) -> Response:
    return _add_note(request, user, session, person_id, text)


@router.post("/checkins/items")
def add_my_item(request: Request, user: CurrentUser, session: DbSession, owner: Owner, text: ItemText) -> Response:
    return _add_item(request, user, session, None, owner, text)


@router.post("/checkins/reports/{person_id}/items")
def add_report_item(
    person_id: int, request: Request, user: ManagerOrAdmin, session: DbSession, owner: Owner, text: ItemText
) -> Response:
    return _add_item(request, user, session, person_id, owner, text)


@router.post("/checkins/items/{item_id}")
def tick_item(
    item_id: int, request: Request, user: CurrentUser, session: DbSession, done: Annotated[int, Form(ge=0, le=1)]
) -> Response:
    item = notes.set_done(
        session,
        org=get_settings(request).org,
        viewer=user,
        item_id=item_id,
        done=bool(done),
        day=today(request, session, user),
    )
    return RedirectResponse(_back(None if item.report_id == user.person_id else item.report_id), status_code=303)


@router.get("/checkins/cadence")
def my_cadence(request: Request, user: ManagerOrAdmin, session: DbSession) -> Response:
    if user.person_id is None:
        raise NotFound("your login is not linked to a person, so you have no 1:1s")
    kept = cadence.my_cadence(
        session, org=get_settings(request).org, viewer=user, today=today(request, session, user), path=request.url.path
    )
    chart = (
        line_chart(
            [Series("Reports within cadence", list(kept.weekly))],
            title="Share of my reports within cadence",
            percent=True,
        )
        if kept.weekly
        else None
    )
    return render(request, "checkins_cadence.html", title="My 1:1 cadence", kept=kept, chart=chart)

"""The web inbox and unsubscribes.

* ``/inbox``: the logged-in person's own notifications, newest first, with mark-read buttons, and the per-kind
  settings form (``POST /inbox/settings``). Only the person themself sees their inbox.
* ``/unsubscribe?token=...``: the link every e-mail carries (also as ``List-Unsubscribe``); no login needed,
  the token is signed with the session secret. GET shows one button (so link scanners that prefetch URLs do
  not unsubscribe anyone); the POST stops that kind.
* :func:`one_click_unsubscribe`: RFC 8058 one-click unsubscribe for mail providers (``List-Unsubscribe-Post``),
  to add outside the CSRF guard with ``app.add_route("/unsubscribe/one-click", ..., methods=["GET", "POST"])``:
  the signed token is the credential; GET redirects to the confirmation page above.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as StarletteRequest

from teamweave.accounts.models import User
from teamweave.errors import InputFormatError, NotFound
from teamweave.notify import service as notify
from teamweave.notify.kinds import KIND_LABELS
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.deps import CurrentUser, DbSession, get_settings
from teamweave.web.rendering import render

router = APIRouter()


def _person_id(user: User) -> int:
    if user.person_id is None:
        raise NotFound("your login is not linked to a person, so you have no inbox")
    return user.person_id


@router.get("/inbox")
def inbox_page(request: Request, user: CurrentUser, session: DbSession, saved: int = 0) -> Response:
    org, person_id, now = get_settings(request).org, _person_id(user), datetime.now(UTC)
    return render(
        request,
        "inbox.html",
        title="Inbox",
        items=notify.inbox(session, org=org, person_id=person_id, now=now),
        unread=notify.unread_count(session, org=org, person_id=person_id, now=now),
        kinds=notify.kind_settings(session, org=org, person_id=person_id),
        labels=KIND_LABELS,
        saved=bool(saved),
    )


@router.post("/inbox/{message_id}/read")
def mark_read(message_id: int, request: Request, user: CurrentUser, session: DbSession) -> Response:
    notify.mark_read(
        session, org=get_settings(request).org, person_id=_person_id(user), message_id=message_id, now=datetime.now(UTC)
    )
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/read-all")
def mark_all_read(request: Request, user: CurrentUser, session: DbSession) -> Response:
    notify.mark_all_read(session, org=get_settings(request).org, person_id=_person_id(user), now=datetime.now(UTC))
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/settings")
def save_settings(
    request: Request,
    user: CurrentUser,
    session: DbSession,
    kind: Annotated[list[str] | None, Form()] = None,
) -> Response:
    notify.set_subscriptions(
        session, org=get_settings(request).org, person_id=_person_id(user), subscribed=set(kind or [])
    )
    return RedirectResponse("/inbox?saved=1", status_code=303)


@router.get("/unsubscribe")
def unsubscribe_page(request: Request, token: str) -> Response:
    settings = get_settings(request)
    _, _, kind = notify.read_unsubscribe_token(settings.resolved_session_secret(), token)
    return render(
        request, "inbox_unsubscribe.html", title="Unsubscribe", token=token, label=KIND_LABELS[kind], done=False
    )


@router.post("/unsubscribe")
def unsubscribe(request: Request, session: DbSession, token: Annotated[str, Form(max_length=500)]) -> Response:
    settings = get_settings(request)
    kind = notify.unsubscribe_by_token(
        session, org=settings.org, secret=settings.resolved_session_secret(), token=token
    )
    return render(request, "inbox_unsubscribe.html", title="Unsubscribed", token="", label=KIND_LABELS[kind], done=True)


def _stop_by_token(runtime: Runtime, token: str) -> None:
    settings = runtime.settings
    with session_scope(runtime.sessions) as session:
        notify.unsubscribe_by_token(session, org=settings.org, secret=settings.resolved_session_secret(), token=token)


async def one_click_unsubscribe(request: StarletteRequest) -> Response:
    """RFC 8058 one-click unsubscribe: ``POST ?token=...`` with body ``List-Unsubscribe=One-Click``.

    A plain Starlette endpoint, added with ``app.add_route`` so the CSRF guard (a dependency of the routers)
    does not apply: mail providers send no CSRF token, and the signed token is the credential. GET redirects
    to the confirmation page.
    """
    if request.method == "GET":
        return RedirectResponse(f"/unsubscribe?{request.url.query}", status_code=303)
    form = await request.form()
    if form.get("List-Unsubscribe") != "One-Click":
        return PlainTextResponse("expected List-Unsubscribe=One-Click", status_code=400)
    runtime: Runtime = request.app.state.runtime
    try:
        await run_in_threadpool(_stop_by_token, runtime, request.query_params.get("token", ""))
    except InputFormatError as error:
        return PlainTextResponse(str(error), status_code=422)
    return PlainTextResponse("unsubscribed")

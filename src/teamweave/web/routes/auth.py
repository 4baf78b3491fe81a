"""Login, logout, and the front door that sends each user to their natural page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamweave.accounts import service as accounts
from teamweave.accounts.models import Role, User
from teamweave.errors import NotAuthenticated
from teamweave.web.deps import DbSession, OptionalUser, get_settings
from teamweave.web.login_throttle import LoginThrottle
from teamweave.web.rendering import remember_viewer, render
from teamweave.web.security import end_session, start_session

router = APIRouter()


def natural_page(user: User) -> str:
    """Where a user lands: their own page, their teams, or the organisation."""
    if user.role in (Role.MANAGER, Role.PEOPLE_ADMIN):
        return "/teams"
    if user.role in (Role.ADMIN, Role.PORTFOLIO_VIEWER):
        return "/org"
    return "/me"


def safe_next(value: str | None) -> str | None:
    """Only local paths are followed after login (no open redirect)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


@router.get("/")
def front_door(user: OptionalUser) -> Response:
    return RedirectResponse(natural_page(user) if user else "/login", status_code=302)


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next) or natural_page(user), status_code=302)
    return render(request, "login.html", title="Log in", next=safe_next(next) or "", error=None)


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    org = get_settings(request).org
    throttle: LoginThrottle = request.app.state.login_throttle
    keys = (f"user:{username.strip().lower()}", f"addr:{request.client.host if request.client else '?'}")
    wait = throttle.retry_after(*keys)
    if wait:
        response = render(
            request,
            "login.html",
            status=429,
            title="Log in",
            next=safe_next(next) or "",
            error=f"too many failed logins; try again in {wait // 60 + 1} minutes",
        )
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        user = accounts.authenticate(session, org=org, username=username, password=password)
    except NotAuthenticated as exc:
        throttle.failed(*keys)
        return render(request, "login.html", status=401, title="Log in", next=safe_next(next) or "", error=exc.message)
    throttle.succeeded(keys[0])
    start_session(request, user_id=user.id, org=org, token=accounts.session_token(user))
    remember_viewer(request, user)
    return RedirectResponse(safe_next(next) or natural_page(user), status_code=303)


@router.post("/logout")
def logout(request: Request, session: DbSession, user: OptionalUser) -> Response:
    """Log out: this user's sessions end everywhere (a copied cookie stops working too)."""
    if user is not None:
        accounts.end_sessions(session, user=user)
    end_session(request)
    return RedirectResponse("/login", status_code=303)

"""Jinja2 templates with the filters and navigation every page shares."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from teamweave.accounts.models import Role, User
from teamweave.analytics.windows import window_name
from teamweave.privacy.thresholds import TOO_FEW_PEOPLE
from teamweave.web.security import CSRF_FIELD, csrf_token

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/me", "My connections", frozenset({Role.MEMBER, Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN})),
    ("/teams", "Team health", frozenset({Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN})),
    ("/org", "Organisation", frozenset({Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN, Role.PORTFOLIO_VIEWER})),
    ("/imports", "Imports", frozenset({Role.PEOPLE_ADMIN, Role.ADMIN})),
    ("/audit", "Audit log", frozenset({Role.ADMIN})),
    ("/tone", "Tone coach", frozenset(Role)),
    ("/checkins", "My check-in", frozenset({Role.MEMBER, Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN})),
    ("/checkins/reports", "My reports", frozenset({Role.MANAGER})),
    ("/checkins/teams", "Team wellbeing", frozenset({Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN})),
    ("/recognition", "Recognition", frozenset({Role.MEMBER, Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN})),
    ("/celebrations", "Celebrations", frozenset({Role.MEMBER, Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN})),
    ("/inbox", "Inbox", frozenset({Role.MEMBER, Role.MANAGER, Role.PEOPLE_ADMIN, Role.ADMIN})),
)


def percent(value: float | None, digits: int = 0) -> str:
    """0.237 -> '24%'; None -> '—'."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.{digits}f}"


def fixed(value: float | None, digits: int = 1) -> str:
    """A value in a column of values: always ``digits`` decimals, so 62.0 and 62.2 line up.

    >>> fixed(62.0), fixed(62.24), fixed(None)
    ('62.0', '62.2', '—')
    """
    return "—" if value is None else f"{value:.{digits}f}"


def count(value: int | None) -> str:
    """12345 -> '12,345'; None -> '—'."""
    return "—" if value is None else f"{value:,}"


def signed(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:+.{digits}f}"


def when(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters.update(percent=percent, number=number, fixed=fixed, signed=signed, when=when, count=count)
    env.filters.update(window_name=lambda start, period: window_name(start, period=period))
    env.globals.update(TOO_FEW_PEOPLE=TOO_FEW_PEOPLE, CSRF_FIELD=CSRF_FIELD, active_href=active_href)
    return templates


def active_href(path: str, links: list[tuple[str, str]]) -> str | None:
    """The navigation link a page belongs to: the longest link that is the path or a folder above it.

    >>> active_href("/checkins/reports/7", [("/checkins", "a"), ("/checkins/reports", "b")])
    '/checkins/reports'
    >>> active_href("/teams", [("/team", "x")]) is None
    True
    """
    matches = [href for href, _ in links if path == href or path.startswith(href.rstrip("/") + "/")]
    return max(matches, key=len) if matches else None


PERSONAL_PAGES = frozenset({"/me", "/checkins", "/checkins/reports", "/inbox"})


def nav_for(user: User | None) -> list[tuple[str, str]]:
    if user is None:
        return []
    links = [(href, label) for href, label, roles in NAV if user.role in roles]
    if user.person_id is None:  # pages about one's own person need a linked person
        links = [(h, label) for h, label in links if h not in PERSONAL_PAGES]
    return links


def remember_viewer(request: Request, user: User | None) -> None:
    """Keep what the page header needs (name, role, links) on the request, for error pages too."""
    if user is None:
        request.state.viewer = None
        return
    request.state.viewer = {"username": user.username, "role": user.role, "nav": nav_for(user)}


def render(request: Request, name: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``name`` with the shared context (viewer, navigation, CSRF token)."""
    templates: Jinja2Templates = request.app.state.templates
    viewer = getattr(request.state, "viewer", None)
    context.update(viewer=viewer, csrf=csrf_token(request), path=request.url.path)
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status)
    return response

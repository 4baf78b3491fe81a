"""Sessions, CSRF and security headers.

* Sessions: a signed cookie (Starlette's SessionMiddleware, itsdangerous), HttpOnly, SameSite=Lax, Secure when
  ``settings.secure_cookies``; 8 hours. Logging in replaces the session's whole content.
* CSRF: a random token per session, put in every form as ``csrf_token`` (or sent as ``X-CSRF-Token``) and
  checked on every state-changing request by an app-wide dependency.
* Headers: a content security policy with no external source and no inline script or style, no framing,
  no sniffing, no referrer leaving the site, no caching of pages with people data.
"""

from __future__ import annotations

import hmac
import secrets
import time

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from teamweave.config import Settings
from teamweave.errors import Forbidden

SESSION_COOKIE = "teamweave_session"
SESSION_MAX_AGE = 8 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


def add_session_middleware(app: FastAPI, settings: Settings) -> None:
    """Signed session cookies: HttpOnly (always), SameSite=Lax, Secure when ``settings.secure_cookies``."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_session_secret().hex(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.secure_cookies,
    )


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def start_session(request: Request, *, user_id: int, org: str, token: str) -> None:
    """Replace the session's content after a login (a fresh CSRF token too).

    ``token`` binds the session to the account (accounts.service.session_token); ``iat`` bounds its
    lifetime absolutely, whatever activity re-signs the cookie.
    """
    request.session.clear()
    request.session.update(
        {"uid": user_id, "org": org, "st": token, "iat": int(time.time()), "csrf": secrets.token_urlsafe(32)}
    )


def session_is_fresh(request: Request) -> bool:
    """Whether the session was issued less than SESSION_MAX_AGE seconds ago."""
    issued = request.session.get("iat")
    return isinstance(issued, int) and 0 <= time.time() - issued < SESSION_MAX_AGE


def end_session(request: Request) -> None:
    request.session.clear()


async def csrf_guard(request: Request) -> None:
    """App-wide dependency: every state-changing request must carry this session's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = request.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        raise Forbidden("missing or wrong CSRF token", hint="reload the page and try again")


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every response, and ``Cache-Control: no-store`` outside /static."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if not is_static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

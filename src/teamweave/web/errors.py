"""One error handler: an HTML page for pages, JSON for /api. Expected errors keep their status, never 500.

An anonymous visitor asking for a page is redirected to /login (with the page to come back to).
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from teamweave.errors import NotAuthenticated, TeamweaveError
from teamweave.web.rendering import render

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    422: "Invalid input",
    500: "Something went wrong",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_response(request: Request, status: int, message: str, hint: str | None = None) -> Response:
    if is_api(request):
        body: dict[str, object] = {"error": message, "status": status}
        if hint:
            body["hint"] = hint
        return JSONResponse(body, status_code=status)
    title = TITLES.get(status, "Error")
    return render(request, "error.html", status=status, title=title, message=message, hint=hint)


async def teamweave_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TeamweaveError)
    if isinstance(exc, NotAuthenticated) and not is_api(request) and request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=302)
    if exc.status >= 500:
        log.error("%s: %s", request.url.path, exc)
    return error_response(request, exc.status, exc.message, exc.hint)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    return error_response(request, exc.status_code, message)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors())
    return error_response(request, 422, "invalid input", hint=fields or None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TeamweaveError, teamweave_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)

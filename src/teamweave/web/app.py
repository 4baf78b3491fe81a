"""The web app: ``create_app(settings)`` builds the FastAPI application.

Server-rendered Jinja2 pages, a small JSON API under /api, our own static CSS/JS (no CDN), signed session
cookies, CSRF on every form, security headers, one error handler.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from teamweave import __version__
from teamweave.config import Settings
from teamweave.notify.delivery import ONE_CLICK_PATH
from teamweave.runtime import Runtime
from teamweave.tone.llm_rewrite import Endpoint
from teamweave.web.errors import install_error_handlers
from teamweave.web.login_throttle import LoginThrottle
from teamweave.web.rendering import STATIC_DIR, make_templates
from teamweave.web.routes import (
    audit_log,
    auth,
    celebrations,
    checkins,
    imports,
    inbox,
    me,
    my_data,
    org,
    recognition,
    teams,
    tone,
)
from teamweave.web.security import SecurityHeadersMiddleware, add_session_middleware, csrf_guard

ROUTE_MODULES = (auth, me, my_data, teams, org, imports, audit_log, tone, checkins, recognition, celebrations, inbox)


def _connect_tone(app: FastAPI, settings: Settings) -> None:
    """The tone coach's optional parts: an LLM rewriter endpoint, and the Slack shortcut at /slack/tone."""
    if settings.tone_llm_url:
        endpoint = Endpoint(settings.tone_llm_url, settings.tone_llm_model or "", settings.tone_llm_key)
        app.dependency_overrides[tone.llm_endpoint] = lambda: endpoint
    if settings.slack_signing_secret:
        app.mount("/slack", tone.create_slack_app(settings.slack_signing_secret))


def create_app(settings: Settings, *, runtime: Runtime | None = None) -> FastAPI:
    """The application for ``settings`` (a runtime is built and migrated unless one is given)."""
    if runtime is None:
        runtime = Runtime(settings)
        runtime.migrate()
    app = FastAPI(
        title="teamweave",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.runtime = runtime
    app.state.templates = make_templates()
    app.state.login_throttle = LoginThrottle()
    for module in ROUTE_MODULES:
        app.include_router(module.router)
    app.add_route(ONE_CLICK_PATH, inbox.one_click_unsubscribe, methods=["GET", "POST"])  # RFC 8058, no CSRF
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _connect_tone(app, settings)
    install_error_handlers(app)
    add_session_middleware(app, settings)
    app.add_middleware(SecurityHeadersMiddleware)
    return app

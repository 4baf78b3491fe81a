"""The empathy coach on the web: ``GET /tone`` (a text box), ``POST /tone`` (the page with the answer) and
``POST /api/tone`` (JSON ``{"text": ...}`` in, the report out). For any logged-in user; nothing is stored or logged,
and the answer goes only to the person who asked.

``create_slack_app(signing_secret)`` is the Slack message shortcut endpoint, a separate ASGI app to mount (e.g. at
``/slack``, giving ``POST /slack/tone``): Slack signs its requests instead of sending our CSRF token, so it must live
outside the main app's CSRF guard. It verifies the signature, answers 200 at once and posts the coach's ephemeral
reply to the shortcut's ``response_url``.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from teamweave.errors import TeamweaveError
from teamweave.tone.llm_rewrite import Endpoint
from teamweave.tone.service import MAX_CHARS, Marker, analyse
from teamweave.tone.slack_shortcut import SLACK_RESPONSE_HOSTS, parse_shortcut, post_reply, reply_for, verify_signature
from teamweave.web.deps import CurrentUser
from teamweave.web.rendering import render

router = APIRouter()


class ToneRequest(BaseModel):
    text: str = Field(max_length=MAX_CHARS)


def marked_segments(text: str, markers: list[Marker]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, marker label or None), for highlighting; overlapping spans keep the first."""
    segments: list[tuple[str, str | None]] = []
    position = 0
    for marker in sorted(markers, key=lambda m: (m.start, -m.end)):
        if marker.end <= marker.start or marker.start < position:
            continue
        segments.append((text[position : marker.start], None))
        segments.append((text[marker.start : marker.end], marker.label))
        position = marker.end
    segments.append((text[position:], None))
    return [segment for segment in segments if segment[0]]


def marker_kinds(text: str, markers: list[Marker]) -> list[tuple[str, str, list[str]]]:
    """Each kind of marker once, in order of first appearance: (label, hint, the distinct words it was found in).

    Examples
    --------
    >>> kinds = marker_kinds("Why? Why?", [Marker("direct_question", 0, 3, "h"), Marker("direct_question", 5, 8, "h")])
    >>> kinds
    [('direct_question', 'h', ['Why'])]
    """
    kinds: dict[str, tuple[str, list[str]]] = {}
    for marker in markers:
        _, words = kinds.setdefault(marker.label, (marker.hint, []))
        piece = text[marker.start : marker.end].strip()
        if piece and piece not in words:
            words.append(piece)
    return [(label, hint, words) for label, (hint, words) in kinds.items()]


def llm_endpoint() -> Endpoint | None:
    """The optional OpenAI-compatible rewriter for the page and the API: off (None) until settings declare one.

    A dependency, so the app (or a test) can provide one with ``app.dependency_overrides[llm_endpoint]``.
    """
    return None


RewriterEndpoint = Annotated[Endpoint | None, Depends(llm_endpoint)]


@router.get("/tone")
def tone_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "tone.html", title="Tone coach", text="", report=None, segments=[], kinds=[])


@router.post("/tone")
def tone_answer(
    request: Request,
    user: CurrentUser,
    endpoint: RewriterEndpoint,
    text: Annotated[str, Form(max_length=MAX_CHARS)] = "",
) -> Response:
    report = analyse(text, endpoint=endpoint) if text.strip() else None
    segments = marked_segments(text, report.markers) if report else []
    kinds = marker_kinds(text, report.markers) if report else []
    return render(request, "tone.html", title="Tone coach", text=text, report=report, segments=segments, kinds=kinds)


@router.post("/api/tone")
def tone_api(body: ToneRequest, user: CurrentUser, endpoint: RewriterEndpoint) -> dict[str, Any]:
    return analyse(body.text, endpoint=endpoint).as_dict()


def _post_quietly(response_url: str, reply: dict[str, object], allowed_hosts: frozenset[str]) -> None:
    try:
        post_reply(response_url, reply, allowed_hosts=allowed_hosts)
    except TeamweaveError:
        return


def create_slack_app(signing_secret: str, *, allowed_hosts: frozenset[str] = SLACK_RESPONSE_HOSTS) -> FastAPI:
    """The Slack message shortcut endpoint ``POST /tone``, as an app to mount (outside the CSRF guard)."""
    slack = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @slack.post("/tone")
    async def shortcut(request: Request, background: BackgroundTasks) -> Response:
        body = await request.body()
        try:
            verify_signature(
                signing_secret=signing_secret,
                timestamp=request.headers.get("x-slack-request-timestamp"),
                signature=request.headers.get("x-slack-signature"),
                body=body,
                now=time.time(),
            )
            found = parse_shortcut(body)
        except TeamweaveError as error:
            return JSONResponse({"error": str(error), "status": error.status}, status_code=error.status)
        reply = reply_for(analyse(found.text[:MAX_CHARS]))
        background.add_task(_post_quietly, found.response_url, reply, allowed_hosts)
        return Response(status_code=200)

    return slack

"""The optional rewriter: any OpenAI-compatible chat completions endpoint the user configures (off by default).

``POST {url}/chat/completions`` with ``{"model", "messages": [system, user], "temperature"}`` and, when a key is
given, ``Authorization: Bearer <key>``; the answer's ``choices[0].message.content`` is the rewrite. The draft goes
only to the endpoint the user chose, is never logged, and errors never quote it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from teamweave.errors import TeamweaveError

SYSTEM_PROMPT = (
    "You help people write warmer workplace messages. Rewrite the user's message so it reads kind, warm and "
    "respectful: a greeting, thanks, a request rather than a command, no blame, no shouting. Keep the meaning, "
    "every deadline, date, number and name exactly as they are. Reply with the rewritten message only."
)
MAX_ANSWER_CHARS = 20_000


class RewriterError(TeamweaveError):
    """The configured rewriter endpoint could not give a rewrite."""

    status = 502


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the rewriter lives: the API base URL (e.g. ``http://127.0.0.1:8080/v1``), the model and a key."""

    url: str
    model: str
    key: str | None = None
    timeout: float = 20.0

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RewriterError("the rewriter URL must be an http(s) URL", hint="e.g. http://127.0.0.1:8080/v1")
        if not self.model.strip():
            raise RewriterError("the rewriter needs a model name")

    def __repr__(self) -> str:
        return f"Endpoint(url={self.url!r}, model={self.model!r}, key={'***' if self.key else None})"


def _request(text: str, endpoint: Endpoint) -> urllib.request.Request:
    body = {
        "model": endpoint.model,
        "messages": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": text}],
        "temperature": 0.3,
    }
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if endpoint.key:
        headers["Authorization"] = f"Bearer {endpoint.key}"
    url = endpoint.url.rstrip("/") + "/chat/completions"
    return urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")


def _content(payload: object) -> str:
    try:
        content = payload["choices"][0]["message"]["content"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        raise RewriterError("the rewriter's answer has no choices[0].message.content") from None
    if not isinstance(content, str) or not content.strip():
        raise RewriterError("the rewriter answered with an empty message")
    return content.strip()[:MAX_ANSWER_CHARS]


def llm_rewrite(text: str, endpoint: Endpoint) -> str:
    """``text`` rewritten warmer by the model at ``endpoint``; :class:`RewriterError` when that fails."""
    try:
        with urllib.request.urlopen(_request(text, endpoint), timeout=endpoint.timeout) as response:
            payload = json.loads(response.read(4 * MAX_ANSWER_CHARS + 65_536))
    except urllib.error.HTTPError as error:
        raise RewriterError(f"the rewriter answered HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RewriterError(f"the rewriter could not be reached ({type(reason).__name__})") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise RewriterError("the rewriter's answer is not JSON") from None
    return _content(payload)

"""A local server on 127.0.0.1 that speaks the OpenAI chat completions API, for the rewriter's tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WARM = "Hi Sam, I hope your week is going well! Would it be possible to get this done by Monday? Thank you so much!"


@dataclass
class FakeApi:
    """What the fake server answers, and the requests it received."""

    status: int = 200
    answer: Any = field(default_factory=lambda: {"choices": [{"message": {"role": "assistant", "content": WARM}}]})
    received: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)


@contextmanager
def serve() -> Iterator[tuple[FakeApi, str]]:
    """A fake chat completions API on 127.0.0.1 (a free port): yields its state and its base URL."""
    state = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.received.append((self.path, dict(self.headers), body))
            raw = state.answer if isinstance(state.answer, bytes) else json.dumps(state.answer).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: the test server must not print requests either."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()

"""The optional OpenAI-compatible rewriter, against a local server on 127.0.0.1 that speaks the same API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from tests.tone.fake_chat_api import WARM, FakeApi, serve

from teamweave.tone.llm_rewrite import SYSTEM_PROMPT, Endpoint, RewriterError, llm_rewrite
from teamweave.tone.service import analyse


@pytest.fixture
def api() -> Iterator[tuple[FakeApi, str]]:
    with serve() as running:
        yield running


def test_the_request_is_an_openai_chat_completion(api: tuple[FakeApi, str]) -> None:
    state, url = api
    assert llm_rewrite("Sam, can you get this done by Monday?", Endpoint(url, "local-model", key="sk-test")) == WARM
    path, headers, body = state.received[0]
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer sk-test"
    assert body["model"] == "local-model"
    assert body["messages"] == [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "Sam, can you get this done by Monday?"},
    ]


def test_analyse_offers_the_model_rewrite_with_the_rule_ones_warmest_first(api: tuple[FakeApi, str]) -> None:
    _, url = api
    report = analyse("Sam, can you get this done by Monday?", endpoint=Endpoint(url, "m"))
    assert {r.style: r.text for r in report.rewrites}["llm"] == WARM
    assert {r.style for r in report.rewrites} == {"llm", "friendly", "brief"}
    assert [r.warmth for r in report.rewrites] == sorted((r.warmth for r in report.rewrites), reverse=True)
    assert report.notes == []


@pytest.mark.parametrize(
    ("status", "answer", "message"),
    [
        (500, {"error": "boom"}, "HTTP 500"),
        (200, b"not json", "not JSON"),
        (200, {"choices": []}, "no choices[0].message.content"),
        (200, {"choices": [{"message": {"content": "  "}}]}, "empty message"),
    ],
)
def test_failures_fall_back_to_the_rules_with_a_note(
    api: tuple[FakeApi, str], status: int, answer: Any, message: str
) -> None:
    state, url = api
    state.status, state.answer = status, answer
    with pytest.raises(RewriterError, match=re.escape(message)):
        llm_rewrite("Can you get this done by Monday?", Endpoint(url, "m"))
    report = analyse("Can you get this done by Monday?", endpoint=Endpoint(url, "m"))
    assert [r.style for r in report.rewrites] == ["friendly", "brief"]
    assert message in report.notes[0]
    assert "Monday" not in report.notes[0]


def test_an_unreachable_endpoint_and_a_bad_url() -> None:
    with pytest.raises(RewriterError, match="could not be reached"):
        llm_rewrite("hello", Endpoint("http://127.0.0.1:9/v1", "m", timeout=2))
    with pytest.raises(RewriterError, match="http"):
        Endpoint("file:///etc/passwd", "m")
    assert "sk-secret" not in repr(Endpoint("http://127.0.0.1/v1", "m", key="sk-secret"))

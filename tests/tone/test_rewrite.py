"""Rewrites keep the meaning, the deadline and the names intact, and never read colder."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamweave.tone.features import find_features
from teamweave.tone.rewrite import STYLES, rewrite
from teamweave.tone.service import analyse, score

MESSAGES = [
    ("Sam, send me the report by Friday.", ["Sam", "by Friday", "report"]),
    ("Can you get this done by Monday?", ["by Monday"]),
    ("Please review PR 42 by EOD. As I said, the release is blocked.", ["PR 42", "by EOD", "release is blocked"]),
    ("Why did you break the build again??", ["break the build"]),
    ("Per my last email, Priya needs the numbers by 3pm.", ["Priya", "by 3pm", "numbers"]),
    ("Fix the login bug before the demo with Acme Corp on 12 March.", ["Acme Corp", "12 March", "login bug"]),
    ("I need the budget from Jean-Luc Picard ASAP.", ["Jean-Luc Picard", "ASAP", "budget"]),
    ("Can't you just merge PR 7 before Friday?", ["merge PR 7", "before Friday"]),
    ("Did you even bother to test the Oslo release?", ["test the Oslo release"]),
]


@pytest.mark.parametrize(("message", "kept"), MESSAGES)
def test_rewrites_keep_names_deadlines_and_the_task(message: str, kept: list[str]) -> None:
    found = find_features(message)
    for style in STYLES:
        warmer = rewrite(message, found, style)
        for words in kept:
            assert words in warmer, (style.name, warmer)
        assert score(warmer) > score(message), warmer


def test_bare_imperative_becomes_a_request() -> None:
    found = find_features("Sam, send me the report by Friday.")
    assert rewrite("Sam, send me the report by Friday.", found, STYLES[1]).startswith(
        "Hi Sam, could you please send me the report by Friday?"
    )


def test_shouting_and_passive_aggression_are_calmed() -> None:
    message = "PER MY LAST EMAIL, the report is due TODAY!!"
    warmer = rewrite(message, find_features(message), STYLES[0])
    assert "TODAY" not in warmer
    assert "!!" not in warmer
    assert not re.search("per my last email", warmer, re.IGNORECASE)
    assert "today" in warmer


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        ("Can't you just merge it?", "just merge it?"),
        ("Didn't you see my message?", "Did you see my message?"),
        ("Don't you think we should wait for QA?", "Do you think we should wait for QA?"),
        ("Care to explain the outage?", "explain the outage?"),
        ("Did you even bother to test it?", "Did you test it?"),
    ],
)
def test_challenging_questions_are_asked_plainly(message: str, plain: str) -> None:
    warmer = rewrite(message, find_features(message), STYLES[1])
    assert plain.lower() in warmer.lower()
    assert not find_features(warmer).has("challenging_question"), warmer


def test_care_to_outside_a_question_is_left_alone() -> None:
    message = "I don't care to argue about tabs. Send me the style guide."
    assert not find_features(message).has("challenging_question")
    assert "I don't care to argue about tabs." in rewrite(message, find_features(message), STYLES[1])


def test_an_already_warm_message_gets_no_rewrite() -> None:
    assert analyse("Hi Ana, thank you so much for your help! We really appreciate it, great work!").rewrites == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_analysed_without_error(text: str) -> None:
    report = analyse(text)
    assert 0.0 <= report.warmth <= 100.0
    for marker in report.markers:
        assert 0 <= marker.start <= marker.end <= len(text)

"""The coach on the issue's seed example and on typical workplace messages."""

from __future__ import annotations

import pytest

from teamweave.errors import InputFormatError
from teamweave.tone.features import find_features
from teamweave.tone.service import MAX_CHARS, analyse, score

SEED = "Can you get this done by Monday?"
WARM_VERSION = "I hope your week is going well. Would it be possible to work on this by Monday?"


def test_the_seed_example_reads_as_blunt() -> None:
    report = analyse(SEED)
    assert report.blunt
    assert report.verdict == "blunt"
    assert {m.label for m in report.markers} == {"deadline_without_context", "no_greeting_or_thanks"}
    assert report.strategies == {}


def test_the_warm_version_reads_warmer_than_the_seed_and_not_blunt() -> None:
    warm = analyse(WARM_VERSION)
    assert not warm.blunt
    assert warm.warmth > analyse(SEED).warmth
    assert {"greeting", "indirect_request"} <= set(warm.strategies)


def test_the_seed_rewrite_is_at_least_as_warm_as_the_warm_version() -> None:
    report = analyse(SEED)
    assert report.rewrites
    best = report.rewrites[0]
    assert best.warmth >= score(WARM_VERSION)
    assert "by Monday" in best.text
    assert not analyse(best.text).blunt
    assert all(r.warmth > report.warmth for r in report.rewrites)


@pytest.mark.parametrize(
    ("message", "marker"),
    [
        ("Send me the report by Friday.", "bare_imperative"),
        ("PER MY LAST EMAIL, the report is due TODAY.", "all_caps"),
        ("Per my last email, the report is due today.", "passive_aggressive"),
        ("As I said, the release is blocked.", "passive_aggressive"),
        ("You never update the ticket.", "accusatory_you"),
        ("Why did you break the build again??", "repeated_punctuation"),
        ("Don't you think the tests should pass first?", "challenging_question"),
        ("Care to explain why the deploy failed?", "challenging_question"),
        ("Did you even bother to read the runbook?", "challenging_question"),
    ],
)
def test_blunt_messages_are_flagged_with_the_span_that_makes_them_blunt(message: str, marker: str) -> None:
    report = analyse(message)
    assert report.blunt
    assert marker in {m.label for m in report.markers}
    span = next(m for m in report.markers if m.label == marker)
    assert 0 <= span.start < span.end <= len(message)
    assert span.hint


def test_a_warm_message_is_warm_and_lists_its_strategies() -> None:
    report = analyse("Hi Ana, thanks so much for your help yesterday! Could we maybe look at the plan together?")
    assert report.verdict == "warm"
    assert not report.blunt
    assert {"greeting", "gratitude", "indirect_request", "hedges", "first_person_plural"} <= set(report.strategies)


@pytest.mark.parametrize(
    ("message", "strategy"),
    [
        ("Good luck with the launch tomorrow, and send me the notes after.", "greeting"),
        ("How are you? The notes from Tuesday are in the doc.", "greeting"),
        ("Have a great weekend. The release moved to Monday.", "greeting"),
        ("The build is red again. Do you need any help with it?", "offer_help"),
        ("The build is red again. What can I do to help?", "offer_help"),
    ],
)
def test_well_wishes_and_offers_of_help_count_as_strategies(message: str, strategy: str) -> None:
    report = analyse(message)
    assert strategy in report.strategies
    if strategy == "greeting":
        assert "no_greeting_or_thanks" not in {m.label for m in report.markers}


@pytest.mark.parametrize(
    ("message", "label"),
    [
        ("How are you going to fix the login bug?", "greeting"),
        ("Could you take care of the release notes?", "greeting"),
        ("I need some help with the flaky test.", "offer_help"),
        ("What can I do about the broken build?", "offer_help"),
        ("I don't care to argue about tabs.", "challenging_question"),
    ],
)
def test_look_alike_phrases_are_not_taken_for_strategies_or_markers(message: str, label: str) -> None:
    assert not find_features(message).has(label)


def test_as_dict_can_leave_out_everything_copied_from_the_text() -> None:
    report = analyse(SEED).as_dict(spans=False, rewrites=False)
    assert set(report) == {"warmth", "verdict", "blunt", "sentiment", "strategies", "markers"}
    assert "Monday" not in repr(report)


def test_empty_and_too_long_messages() -> None:
    assert analyse("").warmth >= 0
    with pytest.raises(InputFormatError, match="too long"):
        analyse("a" * (MAX_CHARS + 1))

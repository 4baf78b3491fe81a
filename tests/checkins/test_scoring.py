"""WHO-5 scoring and flags, and cadence, on known answers (Topp et al. 2015, doi:10.1159/000376585)."""

from __future__ import annotations

from datetime import date

import pytest

from teamweave.checkins.service import is_overdue, score_who5
from teamweave.errors import InputFormatError


@pytest.mark.parametrize(
    ("answers", "raw", "score", "low"),
    [
        ([5, 5, 5, 5, 5], 25, 100, False),
        ([0, 0, 0, 0, 0], 0, 0, True),
        ([3, 3, 2, 3, 2], 13, 52, False),  # just above the cut-off
        ([2, 3, 2, 3, 2], 12, 48, True),  # just below: a closer conversation
        ([4, 3, 4, 3, 3], 17, 68, False),
    ],
)
def test_raw_score_times_four_and_the_low_flag(answers: list[int], raw: int, score: int, low: bool) -> None:
    result = score_who5(answers)
    assert (result.raw, result.score, result.low) == (raw, score, low)
    assert result.change is None
    assert not result.drop


@pytest.mark.parametrize(
    ("previous", "change", "drop"),
    [(60, -8, False), (62, -10, True), (64, -12, True), (40, 12, False), (52, 0, False)],
)
def test_a_drop_of_ten_points_or_more_is_flagged(previous: int, change: int, drop: bool) -> None:
    result = score_who5([3, 3, 2, 3, 2], previous=previous)  # 52
    assert result.change == change
    assert result.drop is drop


@pytest.mark.parametrize("answers", [[3, 3, 3, 3], [3, 3, 3, 3, 3, 3], [3, 3, 6, 3, 3], [3, -1, 3, 3, 3], [True] * 5])
def test_bad_answers_are_located_errors(answers: list[int]) -> None:
    with pytest.raises(InputFormatError) as caught:
        score_who5(answers)
    assert caught.value.field is not None
    assert caught.value.field.startswith("who5")


@pytest.mark.parametrize(
    ("last_held", "every_days", "overdue"),
    [
        (None, 14, True),  # never held
        (date(2026, 11, 9), 14, False),  # exactly 14 days ago
        (date(2026, 11, 8), 14, True),  # 15 days ago
        (date(2026, 11, 20), 7, False),
        (date(2026, 11, 15), 7, True),
        (date(2026, 11, 23), 1, False),
    ],
)
def test_a_pair_is_overdue_when_the_last_1on1_is_older_than_its_cadence(
    last_held: date | None, every_days: int, overdue: bool
) -> None:
    assert is_overdue(last_held, every_days=every_days, today=date(2026, 11, 23)) is overdue

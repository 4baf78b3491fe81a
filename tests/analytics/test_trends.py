"""Change detection (analytics/trends.py): known answers, including Montgomery's published CUSUM example."""

from __future__ import annotations

import math

import numpy as np
import pytest

from teamweave.analytics.trends import CUSUM_H, Z_THRESHOLD, cusum, detect_changes, robust_scale, robust_z

# Montgomery (2019), Introduction to Statistical Quality Control, table 9.1: 20 values from N(10, 1), then
# 10 from N(11, 1); the tabular CUSUM with mu0 = 10, sigma = 1, K = 0.5, H = 5 signals at period 29.
MONTGOMERY_9_1 = [
    9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34,
    9.03, 11.47, 10.51, 9.40, 10.08, 9.37, 10.62, 10.31, 8.52, 10.84,
    10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52,
]  # fmt: skip


def test_montgomery_tabular_cusum() -> None:
    upper, lower = cusum(MONTGOMERY_9_1, target=10, sigma=1)
    # published C+ of periods 28, 29, 30 (table 9.2) and C- of periods 1-3
    assert upper[27:30] == pytest.approx([4.47, 5.28, 5.30], abs=0.005)
    assert lower[:3] == pytest.approx([0.05, 1.56, 1.77], abs=0.005)
    first = next(i for i, value in enumerate(upper) if value >= CUSUM_H)
    assert first + 1 == 29
    assert max(lower) < CUSUM_H


def test_cusum_needs_a_positive_sigma() -> None:
    with pytest.raises(ValueError, match="sigma"):
        cusum([1, 2], target=1, sigma=0)


def test_robust_scale_and_z_by_hand() -> None:
    assert robust_scale([10, 12, 11, 13, 9]) == pytest.approx(1.4826)  # MAD 1
    assert robust_scale([5, 5, 5, 5, 7]) == pytest.approx(1.2533 * 0.4)  # MAD 0: mean AD
    assert robust_scale([3, 3, 3]) == 0.0
    assert robust_scale([]) == 0.0
    assert robust_z(4, [10, 12, 11, 13, 9]) == pytest.approx(-7 / 1.4826)
    assert robust_z(11, [11, 11]) == 0.0
    assert robust_z(12, [11, 11]) == math.inf
    with pytest.raises(ValueError, match="baseline"):
        robust_z(1, [])


def test_one_outlier_does_not_move_the_baseline() -> None:
    """The point of the median and MAD: one wild window in the baseline changes the verdict little."""
    calm = [10, 11, 10, 11, 10, 11]
    wild = [10, 11, 10, 60, 10, 11]
    assert robust_z(6, calm) == pytest.approx(robust_z(6, wild))
    assert abs(robust_z(6, calm)) >= Z_THRESHOLD
    mean, sd = np.mean(wild), np.std(wild, ddof=1)
    assert abs((6 - mean) / sd) < 1  # the classical z-score would miss the fall entirely


def test_a_sudden_fall_is_flagged_by_both_tests() -> None:
    changes = detect_changes([10, 12, 11, 13, 9, 11, 4, 4, 4])
    assert [(c.index, c.direction, c.test) for c in changes] == [
        (6, "down", "robust_z"),
        (6, "down", "cusum"),
        (7, "down", "robust_z"),
    ]
    first = changes[0]
    assert first.baseline == 11.0
    assert first.value == 4.0
    assert first.statistic == pytest.approx(-7 / 1.4826)
    assert first.threshold == Z_THRESHOLD


def test_a_slow_drift_is_flagged_by_cusum_only() -> None:
    """A one-sigma drift no single window shows: robust z stays quiet, CUSUM accumulates the evidence."""
    steady = [10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 10.0, 10.0]
    drift = [9.0, 9.0, 8.5, 9.0, 8.5, 9.0, 8.5, 8.5]
    changes = detect_changes(steady + drift)
    assert {c.test for c in changes} == {"cusum"}
    assert changes[0].direction == "down"
    assert changes[0].index >= len(steady)


def test_a_rise_is_up_and_gaps_keep_their_positions() -> None:
    series: list[float | None] = [5, None, 5, 6, 5, 6, 5, None, 20]
    changes = detect_changes(series)
    assert changes
    assert {c.direction for c in changes} == {"up"}
    assert changes[0].index == 8  # an index into the series given, gaps included


@pytest.mark.parametrize(
    "series",
    [[], [1, 2, 3, 4], [3, None, 3, 3, 3], [7.0] * 20, [10, 11, 10, 11, 10, 11, 10, 11, 10, 11]],
)
def test_no_change_without_evidence(series: list[float | None]) -> None:
    assert detect_changes(series) == []


def test_a_count_is_judged_in_whole_steps() -> None:
    """Weeks of exactly 13 ties, then 14: the baseline has no scale, so without ``counts`` one tie is flagged
    as infinitely unusual; as a count its scale is one step, and a move must reach 3.5 steps (or a sustained
    shift the CUSUM sees) to be flagged."""
    steady = [13.0] * 8
    assert [c.statistic for c in detect_changes([*steady, 14.0])] == [math.inf]
    assert detect_changes([*steady, 14.0], counts=True) == []
    assert [(c.index, c.test, c.statistic) for c in detect_changes([*steady, 17.0], counts=True)] == [
        (8, "robust_z", 4.0)
    ]
    drift = detect_changes([*steady, *[14.0] * 10], counts=True)  # one step up, ten weeks running
    assert [(c.test, c.direction) for c in drift] == [("cusum", "up")]
    wide = [10.0, 12.0, 11.0, 13.0, 9.0, 11.0, 10.0, 12.0, 4.0]  # a scale above one step is the data's own
    assert [round(c.statistic, 1) for c in detect_changes(wide, counts=True) if c.test == "robust_z"] == [-4.7]

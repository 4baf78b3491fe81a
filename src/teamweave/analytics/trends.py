"""Change detection on a metric's series of windows: robust z-scores and one-sided CUSUM.

"Your ties shrank" should be a statement with evidence, not a feeling. Two documented tests run on a
series of windows (weeks or months), each judging a window against a *baseline* of the windows before it:

* :func:`robust_z` — one window against the median and MAD of the previous ``window`` windows (Iglewicz &
  Hoaglin's modified z-score); flags a sudden jump or fall of one window.
* :func:`cusum` — Page's one-sided cumulative sums of standardised deviations from the baseline level;
  flags a *sustained* small shift that no single window shows (Page 1954; Montgomery 2019, ch. 9).

:func:`detect_changes` runs both and returns every flagged window with the figures that justify it. A value
of None (no data in that window) is skipped, never counted as zero. For a count (one person's ties, say) the
scale of both tests is at least one step (:data:`COUNT_STEP`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

MAD_TO_SIGMA: Final = 1.4826
MEAN_AD_TO_SIGMA: Final = 1.2533
Z_THRESHOLD: Final = 3.5
CUSUM_K: Final = 0.5
CUSUM_H: Final = 5.0
MIN_BASELINE: Final = 4
BASELINE_WINDOWS: Final = 8
COUNT_STEP: Final = 1.0
"""The smallest scale of a count's series: one step. A count moves in whole steps, so a baseline that never
moved (13 ties every week) has no scale of its own; one step is taken as one sigma there, and a window must then
lie 3.5 steps away to be flagged, instead of any step being flagged as infinitely unusual."""


@dataclass(frozen=True)
class Change:
    """A window whose value departs from its baseline by a documented test.

    ``index`` is the position in the series given; ``direction`` is ``"up"`` or ``"down"``; ``test`` is
    ``"robust_z"`` or ``"cusum"``; ``statistic`` the test's value (z, or the cumulative sum in sigmas) and
    ``threshold`` the value it reached; ``baseline`` the level it was compared with (the median of the
    baseline windows) and ``value`` the window's own value.
    """

    index: int
    direction: str
    test: str
    statistic: float
    threshold: float
    baseline: float
    value: float


def robust_scale(values: Sequence[float]) -> float:
    """A robust estimate of the standard deviation: ``1.4826 * MAD``, or ``1.2533 * mean |x - median|``
    when the MAD is 0 (more than half the values equal). Unit: the values' unit.

    The MAD (median absolute deviation from the median) is not moved by a few outliers; 1.4826 makes it
    estimate sigma for normal data (Leys et al. 2013). When MAD = 0 the mean absolute deviation, scaled to
    sigma by sqrt(pi/2) = 1.2533, is used instead (Iglewicz & Hoaglin 1993, section 3.3). 0 when all values
    are equal.

    References
    ----------
    .. [1] Leys, C., Ley, C., Klein, O., Bernard, P. & Licata, L. (2013). Detecting outliers: do not use
       standard deviation around the mean, use absolute deviation around the median. Journal of
       Experimental Social Psychology 49(4), 764-766. https://doi.org/10.1016/j.jesp.2013.03.013

    Examples
    --------
    >>> robust_scale([10, 12, 11, 13, 9])  # median 11, MAD 1
    1.4826
    >>> robust_scale([5, 5, 5, 5, 7])  # MAD 0: mean absolute deviation 0.4
    0.50132
    """
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return 0.0
    deviations = np.abs(x - np.median(x))
    mad = float(np.median(deviations))
    if mad > 0:
        return round(MAD_TO_SIGMA * mad, 12)
    return round(MEAN_AD_TO_SIGMA * float(np.mean(deviations)), 12)


def robust_z(value: float, baseline: Sequence[float], *, floor: float = 0.0) -> float:
    """The modified z-score of ``value`` against ``baseline``: ``(value - median) / robust_scale``. Unit: sigmas.

    A window is flagged when ``|z| >= 3.5`` (:data:`Z_THRESHOLD`, Iglewicz & Hoaglin's recommended cut-off).
    With a constant baseline the score is 0 for the same value and +-inf for any other, unless ``floor`` (the
    smallest scale to divide by: :data:`COUNT_STEP` for a count) is positive.

    References
    ----------
    .. [1] Iglewicz, B. & Hoaglin, D. C. (1993). How to Detect and Handle Outliers. ASQC Quality Press
       (ASQC Basic References in Quality Control 16), ISBN 0-87389-247-X.
    .. [2] Leys, C. et al. (2013). https://doi.org/10.1016/j.jesp.2013.03.013

    Examples
    --------
    Ties per week of 10, 12, 11, 13, 9, then 4: median 11, scale 1.4826, z = -7 / 1.4826.

    >>> round(robust_z(4, [10, 12, 11, 13, 9]), 2)
    -4.72
    >>> robust_z(11, [11, 11, 11]), robust_z(8, [11, 11, 11])
    (0.0, -inf)
    """
    if len(baseline) == 0:
        raise ValueError("robust_z needs a baseline of at least one value")
    centre = float(np.median(np.asarray(baseline, dtype=np.float64)))
    scale = max(robust_scale(baseline), floor)
    diff = float(value) - centre
    if scale == 0:
        return 0.0 if diff == 0 else float(np.copysign(np.inf, diff))
    return diff / scale


def cusum(
    values: Sequence[float], *, target: float, sigma: float, k: float = CUSUM_K
) -> tuple[list[float], list[float]]:
    """Page's one-sided cumulative sums of standardised deviations from ``target``. Unit: sigmas.

    ``upper[t] = max(0, upper[t-1] + z_t - k)`` and ``lower[t] = max(0, lower[t-1] - z_t - k)`` with
    ``z_t = (x_t - target) / sigma``, both starting at 0. A sum reaching ``h`` (:data:`CUSUM_H` = 5) signals a
    sustained shift up (upper) or down (lower). ``k = 0.5`` tunes the chart to a shift of one sigma, and
    ``h = 5`` gives an in-control average run length of about 465 windows (Montgomery 2019, table 9.3): a
    false alarm about once in nine years of weeks per metric.

    References
    ----------
    .. [1] Page, E. S. (1954). Continuous inspection schemes. Biometrika 41(1-2), 100-115.
       https://doi.org/10.1093/biomet/41.1-2.100
    .. [2] Montgomery, D. C. (2019). Introduction to Statistical Quality Control, 8th ed., chapter 9.1
       (the tabular CUSUM). Wiley, ISBN 978-1-119-39930-8.

    Examples
    --------
    Five windows on target, then three windows two sigmas low: the lower sum grows 1.5 a window.

    >>> upper, lower = cusum([10, 10, 10, 10, 10, 8, 8, 8], target=10, sigma=1)
    >>> lower
    [0.0, 0.0, 0.0, 0.0, 0.0, 1.5, 3.0, 4.5]
    >>> max(upper)
    0.0
    """
    if sigma <= 0:
        raise ValueError("cusum needs a positive sigma")
    upper, lower = [], []
    hi = lo = 0.0
    for x in values:
        z = (float(x) - target) / sigma
        hi = max(0.0, hi + z - k)
        lo = max(0.0, lo - z - k)
        upper.append(round(hi, 12))
        lower.append(round(lo, 12))
    return upper, lower


def _z_changes(
    values: list[float], positions: list[int], *, window: int, threshold: float, floor: float
) -> list[Change]:
    out = []
    for i in range(MIN_BASELINE, len(values)):
        base = values[max(0, i - window) : i]
        z = robust_z(values[i], base, floor=floor)
        if abs(z) >= threshold:
            centre = float(np.median(base))
            out.append(Change(positions[i], "up" if z > 0 else "down", "robust_z", z, threshold, centre, values[i]))
    return out


def _cusum_changes(values: list[float], positions: list[int], *, window: int, h: float, floor: float) -> list[Change]:
    """CUSUM against the level of the first ``window`` windows; after a signal the sums restart with the
    baseline re-estimated from the windows that follow, so a series can signal again later."""
    out: list[Change] = []
    start = 0
    while len(values) - start > MIN_BASELINE:
        base = values[start : start + min(window, max(MIN_BASELINE, (len(values) - start) // 2))]
        target, sigma = float(np.median(base)), max(robust_scale(base), floor)
        rest = values[start + len(base) :]
        if sigma == 0 or not rest:
            break
        upper, lower = cusum(rest, target=target, sigma=sigma)
        hit = next((j for j, (u, lo) in enumerate(zip(upper, lower, strict=True)) if max(u, lo) >= h), None)
        if hit is None:
            break
        i = start + len(base) + hit
        up = upper[hit] >= h
        statistic = upper[hit] if up else lower[hit]
        out.append(Change(positions[i], "up" if up else "down", "cusum", statistic, h, target, values[i]))
        start = i + 1
    return out


def detect_changes(
    series: Sequence[float | None],
    *,
    window: int = BASELINE_WINDOWS,
    z_threshold: float = Z_THRESHOLD,
    h: float = CUSUM_H,
    counts: bool = False,
) -> list[Change]:
    """Every window of ``series`` flagged by :func:`robust_z` or by :func:`cusum`, in order.

    Robust z: each window from the fifth value on against the median and :func:`robust_scale` of the
    ``window`` values before it; flagged at ``|z| >= z_threshold`` (3.5). CUSUM: target (median) and sigma
    (:func:`robust_scale`) from the first ``window`` values — at most half the series, at least 4 — then
    the cumulative sums over the values after them, flagged when an upper or lower sum
    reaches ``h`` (5 sigmas, k = 0.5), then restarted from the next window. None values are skipped (the
    index refers to the series given). Fewer than five values: no test, no change. ``counts``: the values are
    counts (a person's ties, say), so both tests' scale is at least one step (:data:`COUNT_STEP`) and a steady
    count moving by one or two is not a change. Unit of ``statistic``: sigmas.

    References
    ----------
    .. [1] Iglewicz, B. & Hoaglin, D. C. (1993). How to Detect and Handle Outliers. ASQC Quality Press.
    .. [2] Page, E. S. (1954). Continuous inspection schemes. Biometrika 41(1-2), 100-115.
       https://doi.org/10.1093/biomet/41.1-2.100

    Examples
    --------
    Ties per week: steady around 11, then a fall to 4 — a one-window drop (robust z) that persists (CUSUM).

    >>> for c in detect_changes([10, 12, 11, 13, 9, 11, 4, 4, 4]):
    ...     print(c.index, c.direction, c.test, round(c.statistic, 1))
    6 down robust_z -4.7
    6 down cusum 5.6
    7 down robust_z -4.7
    >>> detect_changes([3, None, 3, 3, 3])
    []
    """
    positions = [i for i, v in enumerate(series) if v is not None]
    values = [float(v) for v in series if v is not None]
    if len(values) <= MIN_BASELINE:
        return []
    floor = COUNT_STEP if counts else 0.0
    found = _z_changes(values, positions, window=window, threshold=z_threshold, floor=floor)
    found += _cusum_changes(values, positions, window=window, h=h, floor=floor)
    return sorted(found, key=lambda c: (c.index, c.test != "robust_z"))

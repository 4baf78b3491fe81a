"""Sentiment of a message with VADER (Hutto & Gilbert 2014), which ships its lexicon in its package.

Reference: C. J. Hutto and E. Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social
Media Text", ICWSM 2014 (https://doi.org/10.1609/icwsm.v8i1.14550).
"""

from __future__ import annotations

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-untyped]


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER's compound score of ``text``, in [-1, 1] (negative to positive).

    Examples
    --------
    >>> compound("Thank you so much, this is great!") > 0.5
    True
    >>> compound("This is awful and wrong.") < 0
    True
    """
    scores: dict[str, float] = _analyzer().polarity_scores(text)
    return float(scores["compound"])

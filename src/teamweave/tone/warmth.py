"""The warmth score: a small linear model over the politeness strategies, the bluntness markers and VADER.

``predicted = INTERCEPT + sum(WEIGHTS[f] * x_f) ``, where ``x_f`` is 1 when feature ``f`` is present (0 otherwise)
and ``x_sentiment`` is VADER's compound score in [-1, 1]. ``predicted`` estimates the Stanford Politeness
Corpus' ``Normalized Score`` (a z-score of five human ratings); the warmth shown to people is
``warmth = clip(50 + 20 * predicted, 0, 100)``: 50 is an average request, higher is warmer.

How the weights were fitted (reproduce with ``python -m teamweave.tone.validation CSV --fit``): ridge regression
(lambda = 1.0, intercept not penalised) of ``Normalized Score`` on the features of the 70% training split of the
4,353 Wikipedia requests of the Stanford Politeness Corpus (Danescu-Niculescu-Mizil et al., ACL 2013), the split
being a shuffle of the rows sorted by ``Id`` with ``random.Random(2013)``. The other 30% are used only to report
(docs/validation.md). Weights are rounded to three decimals.
"""

from __future__ import annotations

from teamweave.tone.features import Found

INTERCEPT = -0.494
WEIGHTS: dict[str, float] = {
    "sentiment": 0.371,
    "gratitude": 0.597,
    "greeting": 0.267,
    "please": 0.047,
    "please_start": -0.111,
    "hedges": 0.103,
    "indirect_request": 0.361,
    "indicative_modal": 0.178,
    "apologising": 0.437,
    "first_person_plural": 0.073,
    "deference": 0.449,
    "indirect_btw": 0.162,
    "bare_imperative": -0.085,
    "deadline_without_context": -0.031,
    "no_greeting_or_thanks": -0.185,
    "all_caps": -0.088,
    "accusatory_you": -0.478,
    "passive_aggressive": -0.319,
    "direct_question": -0.146,
    "direct_start": -0.302,
    "factuality": -0.282,
    "repeated_punctuation": -0.636,
    "second_person_start": -0.09,
    "first_person_start": 0.123,
    "first_person": 0.053,
    "second_person": -0.014,
    "question": 0.479,
    "exclamation": 0.067,
    "offer_help": 0.442,
    "challenging_question": -0.622,
}
FEATURES = tuple(WEIGHTS)
"""The model's inputs, in order (the fitted weights name them)."""

POLITE_ABOVE = -0.05
"""On the binary task, a predicted score above this is called polite (the best threshold on the training split)."""

BLUNT_BELOW = 45.0
"""A message whose warmth is below this reads as blunt."""


def vector(found: Found, sentiment: float) -> list[float]:
    """The model's inputs for one message, in the order of :data:`FEATURES`."""
    return [sentiment] + [1.0 if found.counts[name] else 0.0 for name in FEATURES[1:]]


def predicted_score(
    values: list[float], *, weights: dict[str, float] | None = None, intercept: float | None = None
) -> float:
    """The estimated ``Normalized Score`` (a z-score of politeness) of a feature vector."""
    chosen = WEIGHTS if weights is None else weights
    total = INTERCEPT if intercept is None else intercept
    for name, value in zip(FEATURES, values, strict=True):
        total += chosen[name] * value
    return total


def warmth_of(predicted: float) -> float:
    """The warmth shown to people: 0..100, 50 = an average request, higher is warmer.

    Examples
    --------
    >>> warmth_of(0.0), warmth_of(1.0), warmth_of(-9.0)
    (50.0, 70.0, 0.0)
    """
    return round(min(100.0, max(0.0, 50.0 + 20.0 * predicted)), 1)

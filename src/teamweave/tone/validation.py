"""Validation of the warmth score on the Stanford Politeness Corpus (Danescu-Niculescu-Mizil et al., ACL 2013).

``python -m teamweave.tone.validation PATH/wikipedia.annotated.csv`` prints, on the held-out 30% only, the Spearman
correlation of warmth with the human ``Normalized Score`` and the accuracy on the paper's binary task (top vs
bottom quartile of ``Normalized Score``, quartiles of the whole corpus), next to VADER's compound score alone.
``--fit`` refits the weights on the 70% training split and prints them as Python constants for warmth.py.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from teamweave.errors import InputFormatError
from teamweave.tone.features import find_features
from teamweave.tone.sentiment import compound
from teamweave.tone.warmth import FEATURES, POLITE_ABOVE, predicted_score, vector

SPLIT_SEED = 2013
TRAIN_SHARE = 0.7
RIDGE_LAMBDA = 1.0


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class Figures:
    """How well a scorer ranks held-out requests: Spearman's rho and binary (quartile) accuracy."""

    n: int
    spearman: float
    n_binary: int
    accuracy: float


def load_corpus(path: Path) -> list[Request]:
    """The requests of ``wikipedia.annotated.csv`` (columns ``Id``, ``Request``, ``Normalized Score``)."""
    requests = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                requests.append(Request(row["Id"], row["Request"], float(row["Normalized Score"])))
            except (KeyError, TypeError, ValueError) as error:
                raise InputFormatError(f"not a politeness corpus row: {error}", file=path.name, line=line) from None
    return requests


def split(requests: Sequence[Request]) -> tuple[list[Request], list[Request]]:
    """The fixed 70% / 30% split: rows sorted by ``Id``, shuffled with ``random.Random(SPLIT_SEED)``."""
    ordered = sorted(requests, key=lambda r: r.id)
    random.Random(SPLIT_SEED).shuffle(ordered)
    cut = round(len(ordered) * TRAIN_SHARE)
    return ordered[:cut], ordered[cut:]


def quartile_bounds(requests: Sequence[Request]) -> tuple[float, float]:
    """The bottom and top quartile boundaries of ``Normalized Score`` over the whole corpus."""
    scores = np.array([r.score for r in requests])
    return float(np.quantile(scores, 0.25)), float(np.quantile(scores, 0.75))


def _ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks; tied values share their average rank."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts).astype(float)
    result: np.ndarray = ((ends - counts + 1 + ends) / 2)[inverse]
    return result


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation (ties get their average rank)."""
    rx, ry = _ranks(np.asarray(x, dtype=float)), _ranks(np.asarray(y, dtype=float))
    return float(np.corrcoef(rx, ry)[0, 1])


def _quartile_pairs(
    predicted: Sequence[float], requests: Sequence[Request], bounds: tuple[float, float]
) -> list[tuple[float, bool]]:
    """(prediction, is top quartile) for the requests in the top or bottom quartile."""
    low, high = bounds
    pairs = zip(predicted, requests, strict=True)
    return [(p, r.score >= high) for p, r in pairs if r.score <= low or r.score >= high]


def evaluate(
    requests: Sequence[Request], scorer: Callable[[str], float], *, bounds: tuple[float, float], threshold: float
) -> Figures:
    """Spearman of ``scorer`` with the human score, and accuracy of ``scorer > threshold`` on the quartiles."""
    predicted = [scorer(r.text) for r in requests]
    binary = _quartile_pairs(predicted, requests, bounds)
    correct = sum((p > threshold) == polite for p, polite in binary)
    return Figures(len(requests), spearman(predicted, [r.score for r in requests]), len(binary), correct / len(binary))


def warmth_predictor(text: str) -> float:
    """The model's estimated ``Normalized Score`` of ``text`` (warmth before scaling to 0..100)."""
    return predicted_score(vector(find_features(text), compound(text)))


def fit(train: Sequence[Request], *, bounds: tuple[float, float]) -> tuple[float, dict[str, float], float]:
    """Ridge regression of the score on the features (intercept unpenalised), and the best training threshold."""
    x = np.array([vector(find_features(r.text), compound(r.text)) for r in train])
    y = np.array([r.score for r in train])
    design = np.hstack([np.ones((len(x), 1)), x])
    penalty = RIDGE_LAMBDA * np.eye(design.shape[1])
    penalty[0, 0] = 0.0
    coefficients = np.linalg.solve(design.T @ design + penalty, design.T @ y)
    intercept = round(float(coefficients[0]), 3)
    weights = {name: round(float(c), 3) for name, c in zip(FEATURES, coefficients[1:], strict=True)}
    predicted = [predicted_score(list(row), weights=weights, intercept=intercept) for row in x]
    labelled = _quartile_pairs(predicted, train, bounds)
    candidates = sorted({round(p, 2) for p, _ in labelled})
    threshold = max(candidates, key=lambda t: sum((p > t) == polite for p, polite in labelled))
    return intercept, weights, threshold


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", type=Path, help="wikipedia.annotated.csv of the Stanford Politeness Corpus")
    parser.add_argument("--fit", action="store_true", help="refit on the 70%% split and print the constants")
    args = parser.parse_args(argv)
    requests = load_corpus(args.corpus)
    train, held_out = split(requests)
    bounds = quartile_bounds(requests)
    if args.fit:
        intercept, weights, threshold = fit(train, bounds=bounds)
        lines = [f"INTERCEPT = {intercept}", "WEIGHTS: dict[str, float] = {"]
        lines += [f'    "{name}": {weight},' for name, weight in weights.items()]
        lines += ["}", f"POLITE_ABOVE = {threshold}"]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    ours = evaluate(held_out, warmth_predictor, bounds=bounds, threshold=POLITE_ABOVE)
    vader = evaluate(held_out, compound, bounds=bounds, threshold=0.0)
    sys.stdout.write(
        f"held-out requests: {ours.n} (binary task: {ours.n_binary}); training requests: {len(train)}\n"
        f"warmth: Spearman {ours.spearman:.3f}, accuracy {ours.accuracy:.3f}\n"
        f"VADER compound alone: Spearman {vader.spearman:.3f}, accuracy {vader.accuracy:.3f}\n"
    )


if __name__ == "__main__":
    main()

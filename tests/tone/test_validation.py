"""The held-out figures of docs/validation.md are recomputed here, so the page cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

from teamweave.tone import validation
from teamweave.tone.sentiment import compound
from teamweave.tone.warmth import POLITE_ABOVE

DOC = Path(__file__).resolve().parents[2] / "docs" / "validation.md"
TOLERANCE = 0.002


def _documented(scorer: str) -> tuple[float, float]:
    match = re.search(rf"^\| {re.escape(scorer)} \| ([0-9.]+) \| ([0-9.]+) \|$", DOC.read_text(), re.MULTILINE)
    assert match, f"no row for {scorer!r} in {DOC}"
    return float(match.group(1)), float(match.group(2))


def test_held_out_figures_are_at_least_what_the_docs_say(shared_data: Path) -> None:
    corpus = shared_data / "stanford-politeness-wikipedia" / "wikipedia.annotated.csv"
    requests = validation.load_corpus(corpus)
    assert len(requests) == 4353
    train, held_out = validation.split(requests)
    assert (len(train), len(held_out)) == (3047, 1306)
    assert not {r.id for r in train} & {r.id for r in held_out}
    bounds = validation.quartile_bounds(requests)
    ours = validation.evaluate(held_out, validation.warmth_predictor, bounds=bounds, threshold=POLITE_ABOVE)
    vader = validation.evaluate(held_out, compound, bounds=bounds, threshold=0.0)
    spearman, accuracy = _documented("warmth (this model)")
    assert ours.spearman >= spearman - TOLERANCE
    assert ours.accuracy >= accuracy - TOLERANCE
    assert ours.spearman >= 0.45
    assert ours.accuracy >= 0.80
    vader_spearman, vader_accuracy = _documented("VADER compound alone")
    assert vader.spearman >= vader_spearman - TOLERANCE
    assert vader.accuracy >= vader_accuracy - TOLERANCE


def test_spearman_of_known_rankings() -> None:
    assert validation.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert validation.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert abs(validation.spearman([1, 1, 2, 3], [1, 2, 3, 4]) - 0.9486833) < 1e-6

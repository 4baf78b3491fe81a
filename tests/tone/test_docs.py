"""docs/tone.md states the weights and thresholds that are in the code."""

from __future__ import annotations

import re
from pathlib import Path

from teamweave.tone.warmth import INTERCEPT, WEIGHTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "tone.md"


def test_the_weight_table_is_the_code() -> None:
    text = DOC.read_text()
    table = {name: float(value) for name, value in re.findall(r"^\| `(\w+)` \| ([+-][0-9.]+) \|$", text, re.M)}
    assert table == WEIGHTS
    assert f"Intercept {INTERCEPT:+.3f}." in text

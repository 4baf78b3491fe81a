"""Tone coach throughput on one core: messages analysed per second, against VADER alone measured in the same run.

The messages are the 4,353 real requests of the Stanford Politeness Corpus (../shared/data). Three figures:
VADER's compound score alone (the baseline), the rule path's score (features + VADER + warmth, what
``--batch`` does) and the full analysis with rewrites (what ``teamweave tone "message"`` and ``POST /api/tone`` do).
The process is pinned to one CPU where the OS allows it.

    python bench/tone_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from teamweave.tone.sentiment import compound
from teamweave.tone.service import analyse
from teamweave.tone.validation import load_corpus

CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "stanford-politeness-wikipedia"
    / "wikipedia.annotated.csv"
)


def _rate(texts: list[str], work: Callable[[str], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            work(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = [request.text for request in load_corpus(CORPUS)]
    compound(texts[0])
    baseline = _rate(texts, compound, args.repeat)
    rows = [
        ("VADER compound alone (baseline)", baseline),
        (
            "warmth + strategies + markers (rule path, --batch)",
            _rate(texts, lambda t: analyse(t, rewrites=False), args.repeat),
        ),
        ("full analysis with rewrites", _rate(texts, analyse, args.repeat)),
    ]
    table = Table("analysis", "messages/s", "vs baseline", title=f"tone coach on {len(texts):,} real messages, 1 core")
    for name, rate in rows:
        table.add_row(name, f"{rate:,.0f}", f"{rate / baseline:.2f}x")
    Console().print(table)


if __name__ == "__main__":
    main()

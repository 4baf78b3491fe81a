"""The kept tie tables: written whole, only the latest windows kept, cleared per org or period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from teamweave.store.events import EventStore
from teamweave.store.tie_cache import KEEP, TieCache


def _ties(weight: float) -> pa.Table:
    return pa.table({"a": ["x"], "b": ["y"], "weight": [weight]})


def test_keeps_the_latest_windows_only(tmp_path: Path) -> None:
    cache = TieCache.beside(EventStore(tmp_path / "events"))
    months = [date(2024, m, 1) for m in range(1, 6)]
    cache.replace("acme", "month", {m: _ties(float(m.month)) for m in months[:2]})
    cache.replace("acme", "month", {m: _ties(float(m.month)) for m in months[2:]})
    kept = [m for m in months if cache.read("acme", "month", m) is not None]
    assert kept == months[-KEEP:]
    table = cache.read("acme", "month", months[-1])
    assert table is not None
    assert table.column("weight").to_pylist() == [5.0]
    cache.replace("acme", "month", {months[-1]: _ties(9.0)})  # replaced whole
    again = cache.read("acme", "month", months[-1])
    assert again is not None
    assert again.column("weight").to_pylist() == [9.0]
    assert not list((tmp_path / "events").rglob("*.partial"))


def test_clear_one_period_or_the_org(tmp_path: Path) -> None:
    cache = TieCache(tmp_path / "cache")
    day = date(2024, 1, 1)
    for org in ("acme", "other"):
        for period in ("week", "month"):
            cache.replace(org, period, {day: _ties(1.0)})
    cache.clear("acme", "week")
    assert cache.read("acme", "week", day) is None
    assert cache.read("acme", "month", day) is not None
    cache.clear("acme")
    assert cache.read("acme", "month", day) is None
    assert cache.read("other", "week", day) is not None


def test_the_cache_is_not_read_as_events(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events")
    TieCache.beside(store).replace("acme", "week", {date(2024, 1, 1): _ties(1.0)})
    assert store.count("acme") == 0


def test_org_ids_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid org id"):
        TieCache(tmp_path).read("../acme", "week", date(2024, 1, 1))

"""slack_times against the record path: a day file's order and which of its times are plain (``file_order``,
``one_shape``) and the times read a block at a time (``plain_micros``), aimed by hypothesis at their edges (odd
and equal times, one shape near float's precision, widths that add up alike). test_slack_tables.py compares whole
imports both ways.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.ingest.test_teams_hostile import json_values

from teamweave.ingest.slack_channel import PLAIN_TS, order_key, ts_micros
from teamweave.ingest.slack_times import SAME_ORDER_BELOW, file_order, one_shape, plain_micros

MANY = settings(max_examples=400, deadline=None)

digits = st.text(alphabet="0123456789", min_size=1, max_size=13)
plain_times = st.one_of(
    st.builds(lambda s, f: f"{s}.{f}", digits, st.text(alphabet="0123456789", max_size=9)),
    digits,
    st.builds(lambda s, f: f"{s:010d}.{f:06d}", st.integers(0, 9_999_999_999), st.integers(0, 999_999)),
    st.builds(lambda s: f"{s}.", digits),
)
"""Times of every plain shape and some that are not plain (12+ digits), near 2^33 too."""
near_limit = st.builds(
    lambda s, f, extra: f"{s}.{f:06d}{extra}",
    st.integers(SAME_ORDER_BELOW - 3, SAME_ORDER_BELOW + 3),
    st.integers(0, 999_999),
    st.sampled_from(["", "0", "1", "9"]),
)
odd_times = st.sampled_from(
    ["nan", "inf", "1e5", " 100.3", "100.-1", "١٠٠.٥", ".5", "1,5", "5..1", "", "1_0", "99999999999.9", "0" * 40]
)
times = st.one_of(plain_times, near_limit, odd_times)


def record_order(data: list[Any]) -> list[int]:
    """ChannelReader.messages' order."""
    return [index for index, _ in sorted(enumerate(data), key=lambda item: order_key(item[1]))]


def _message(ts: object) -> dict[str, Any]:
    return {"type": "message", "ts": ts, "user": "U1"}


def one_shape_file(draw: st.DrawFn) -> list[Any]:
    """Times of one shape (what an export holds), in or out of order, some equal, near float's precision."""
    seconds = draw(st.sampled_from([1, 9, 10, 11]))
    fraction = draw(st.sampled_from([0, 1, 6, 7, 9]))
    base = draw(st.integers(0, 10**seconds - 1))
    stamps = []
    for _ in range(draw(st.integers(0, 8))):
        whole = min(base + draw(st.integers(0, 2)), 10**seconds - 1)
        tail = (
            f".{draw(st.integers(0, 10**fraction - 1)):0{fraction}d}" if fraction else draw(st.sampled_from(["", "."]))
        )
        stamps.append(f"{whole:0{seconds}d}{tail}")
    return [_message(stamp) for stamp in stamps]


@st.composite
def day_files(draw: st.DrawFn) -> list[Any]:
    if draw(st.booleans()):
        return one_shape_file(draw)
    items: list[Any] = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            items.append(draw(json_values))
        elif kind == 1:
            items.append({"type": "message"})
        else:
            items.append(_message(draw(st.one_of(times, json_values) if kind == 2 else times)))
    return items


@MANY
@given(day_files())
def test_file_order_is_the_record_paths_order(data: list[Any]) -> None:
    try:
        expected = record_order(data)
    except (ValueError, OverflowError) as error:  # pragma: no cover - order_key does not raise
        with pytest.raises(type(error)):
            file_order(data)
        return
    order, plain, slack = file_order(data)
    assert not slack or plain
    assert list(order) == expected
    if plain:  # every message an object with a time the record path reads as plain digits, to the same value
        assert all(type(m) is dict and type(m["ts"]) is str for m in data)
        stamps = [m["ts"] for m in data]
        assert all(len(stamp) <= 32 and ts_micros(stamp) is not None for stamp in stamps)
        assert list(plain_micros(pa.array(stamps, pa.string()))) == [ts_micros(stamp) for stamp in stamps]


@MANY
@given(st.lists(plain_times, max_size=12))
def test_plain_times_read_as_ts_micros_reads_them(stamps: list[str]) -> None:
    """Any mix of widths (the general reading) and, one shape at a time, the quick one."""
    stamps = [s for s in stamps if PLAIN_TS.fullmatch(s)]
    assert list(plain_micros(pa.array(stamps, pa.string()))) == [ts_micros(s) for s in stamps]
    for width in {len(s) for s in stamps}:
        shaped = [s for s in stamps if len(s) == width and s.find(".") == stamps[0].find(".")]
        assert list(plain_micros(pa.array(shaped, pa.string()))) == [ts_micros(s) for s in shaped]


def test_plain_times_of_one_shape() -> None:
    stamps = ["1452845865.000008", "1452845866.1", "0000000001.5"]
    assert not one_shape(stamps, ",".join(stamps))  # widths differ
    same = ["1452845865.000008", "1452845866.000001", "0000000001.500000"]
    assert one_shape(same, ",".join(same))
    assert list(plain_micros(pa.array(same))) == [1452845865000008, 1452845866000001, 1500000]
    assert list(plain_micros(pa.array(["12", "1."]))) == [12_000_000, 1_000_000]  # one width, a dot in one
    assert list(plain_micros(pa.array(["5", "5.", "5.1234567"]))) == [5_000_000, 5_000_000, 5_123_456]
    for odd in (["1,2", "3,4"], [".123", ".456"], ["8589934592.000001"], ["1.1234567"], ["12345678901.1"]):
        assert not one_shape(odd, ",".join(odd))
    assert plain_micros(pa.array([], pa.string())).tolist() == []

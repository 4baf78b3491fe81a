"""The times of a Slack day file's messages, for the table path: their order, and their microseconds a block at
a time.

:func:`file_order` gives the record path's order of a file's messages (``ChannelReader.messages``: stable, by
:func:`~teamweave.ingest.slack_channel.order_key`) and whether all their times are plain; the table path keeps a
plain time as its text and :func:`plain_micros` (or :func:`slack_micros`, for times as Slack writes them) reads a
block's at once, to what :func:`~teamweave.ingest.slack_channel.ts_micros` reads.
tests/ingest/test_slack_plain.py checks both against the record path's functions.
"""

from __future__ import annotations

import re
from itertools import islice
from operator import itemgetter, le
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from teamweave.ingest.slack_channel import order_key


def file_order(data: list[Any]) -> tuple[range | list[int], bool, bool]:
    """The positions of a day file's messages in the record path's order (:func:`order_key`, stable), whether
    every message is an object whose ``ts`` is plain (:func:`plain_stamps`, at most :data:`PLAIN_LENGTH`
    characters), and whether every ``ts`` is as Slack writes them (:data:`SLACK_SHAPE`).

    The usual file, every message an object whose ``ts`` is a string, takes its keys from ``float`` directly (what
    :func:`order_key` computes for such a message), or, when its times all have one shape
    (:func:`one_shape`), from the texts themselves, which sort alike; already in order, it is not sorted. Any
    other goes through :func:`order_key`. A file with a key that is not a number (``nan``) is sorted as the record
    path sorts it."""
    try:
        stamps = list(map(_TS, data))  # TypeError: not an object; KeyError: no ts
        joined = ",".join(stamps)  # TypeError: not a string
    except (TypeError, KeyError):
        return sorted(range(len(data)), key=[order_key(message) for message in data].__getitem__), False, False
    slack = SLACK_SHAPE.fullmatch(joined) is not None
    if slack or one_shape(stamps, joined):
        keys: list[Any] = stamps  # texts or floats
        plain = True
    else:
        try:
            keys = list(map(float, stamps))  # ValueError: not a number (so none holds a comma)
        except ValueError:
            return sorted(range(len(data)), key=[order_key(message) for message in data].__getitem__), False, False
        plain = plain_stamps(joined, keys) and max(map(len, stamps), default=0) <= PLAIN_LENGTH
    if all(map(le, keys, islice(keys, 1, None))):  # false on nan: sorted below, as the record path does
        return range(len(data)), plain, slack
    return sorted(range(len(data)), key=keys.__getitem__), plain, slack


_TS: Final = itemgetter("ts")
SLACK_WIDTH: Final = 17
SLACK_SHAPE: Final = re.compile(r"[0-7][0-9]{9}\.[0-9]{6}(?:,[0-7][0-9]{9}\.[0-9]{6})*")
"""Times as Slack writes them (``1452845865.000008``, before 2223), joined by commas: :func:`one_shape` holds
for them; one match a file is quicker than its checks."""
SAME_ORDER_BELOW: Final = 2**33
"""Times of one shape under this many seconds, with at most six digits after the dot, are as far apart as floats
as they are as texts: sorting their texts sorts them as :func:`order_key` does."""


def one_shape(stamps: list[str], joined: str) -> bool:
    """Whether these times (``joined``: them joined by commas) are plain, of one length with the dot (if any) at
    the same place, at most six digits after it, and under :data:`SAME_ORDER_BELOW` seconds."""
    if not stamps:
        return True
    count, width = len(stamps), len(stamps[0])
    dot = stamps[0].find(".")
    digits = width if dot < 0 else dot
    return (
        0 < digits <= 11
        and width - digits <= 7
        and len(joined) == count * (width + 1) - 1
        and joined.count(",") == count - 1
        and joined[width :: width + 1] == "," * (count - 1)  # so each is `width` long, with no comma
        and not joined.translate(_DIGITS_AND_DOTS)  # digits and dots
        and (
            joined.count(".") == 0
            if dot < 0
            else joined.count(".") == count and joined[dot :: width + 1] == "." * count
        )
        and float(max(stamps)) < SAME_ORDER_BELOW
    )


_DIGITS_AND_DOTS: Final = str.maketrans("", "", "0123456789.,")
PLAIN_LENGTH: Final = 32
"""The longest time read as plain (longer ones go through the rules: ``int`` refuses thousands of digits)."""


def plain_stamps(joined: str, keys: list[float]) -> bool:
    """Whether each time of a file (``joined``: the times joined by commas, which ``float`` refuses; ``keys``:
    each one's ``float``) is ASCII digits with at most one dot, not first, under 10^11 seconds: what
    :data:`~teamweave.ingest.slack_channel.PLAIN_TS` matches, or (12 digits or more, zeros first) what
    :func:`~teamweave.ingest.slack_channel.parse_ts` reads to the same microseconds. :func:`plain_micros` reads
    them."""
    return (
        not joined.translate(_DIGITS_AND_DOTS)
        and not joined.startswith(".")
        and ",." not in joined
        and (max(keys, default=0.0) < 1e11)
    )


def plain_micros(stamps: pa.StringArray) -> npt.NDArray[np.int64]:
    """Plain times (:func:`plain_stamps`) as microseconds since the epoch, as
    :func:`~teamweave.ingest.slack_channel.ts_micros` reads them: the seconds, then the first six digits after
    the dot (padded with zeros); from the characters' codes, without a Python object per time."""
    count = len(stamps)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.frombuffer(stamps.buffers()[1], np.int32)[stamps.offset : stamps.offset + count + 1]
    chars = np.frombuffer(stamps.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
    width = int(offsets[1] - offsets[0])
    if (np.diff(offsets) == width).all():  # maybe one shape, as in every export since 2001 ("1452845865.000008")
        table = chars.reshape(count, width)
        dots = table == ord(".")
        dot = int(np.argmax(dots[0])) if dots[0].any() else width
        if dots[:, dot].all() if dot < width else not dots.any():  # plain: one dot at most, so no other
            return _shaped_micros(table, dot)
    return _any_micros(chars, (offsets - offsets[0]).astype(np.int64))


def _digits_value(digits: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """Rows of ASCII digits as the numbers they write."""
    places = 10 ** np.arange(digits.shape[1] - 1, -1, -1, dtype=np.int64)
    value: npt.NDArray[np.int64] = (digits.astype(np.int64) - ord("0")) @ places
    return value


def _shaped_micros(table: npt.NDArray[np.uint8], dot: int) -> npt.NDArray[np.int64]:
    """:func:`plain_micros` of times of one width whose dot (or end) is at column ``dot``."""
    seconds = table[:, max(dot - 11, 0) : dot]  # before: zeros (under 10^11 seconds)
    fraction = table[:, dot + 1 : dot + 7]
    micros = _digits_value(seconds) * 1_000_000
    if fraction.shape[1]:
        micros += _digits_value(fraction) * 10 ** (6 - fraction.shape[1])
    return micros


def _any_micros(chars: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """:func:`plain_micros` of times of any widths (``starts``: where each begins in ``chars``, then the end)."""
    count = len(starts) - 1
    lengths = np.diff(starts)
    owner = np.repeat(np.arange(count), lengths)
    position = np.arange(len(chars), dtype=np.int64) - starts[:-1][owner]  # within its time
    dots = chars == ord(".")
    dot_at = lengths.copy()  # no dot: after the last digit
    dot_at[owner[dots]] = position[dots]
    after_dot = position - dot_at[owner]  # < 0: seconds (-1: units), 0: the dot, 1-6: the microseconds' digits
    place = np.clip(-after_dot - 1, 0, 11)  # seconds' places; 10^11 and above hold zeros (under 10^11 seconds)
    weight = np.where((after_dot < 0) & (place < 11), 10**place * 1_000_000, 0)
    fraction = (after_dot >= 1) & (after_dot <= 6)
    weight[fraction] = 10 ** (6 - after_dot[fraction])
    digits = chars.astype(np.int64) - ord("0")
    digits[dots] = 0
    return np.add.reduceat(digits * weight, starts[:-1])


def slack_micros(stamps: list[str]) -> tuple[npt.NDArray[np.int64], pa.StringArray]:
    """:func:`plain_micros` of times all as Slack writes them (:data:`SLACK_SHAPE`), from one text of them all;
    and the times as an array."""
    text = "".join(stamps).encode("ascii")
    micros = _shaped_micros(np.frombuffer(text, np.uint8).reshape(len(stamps), SLACK_WIDTH), SLACK_WIDTH - 7)
    offsets = np.arange(0, SLACK_WIDTH * (len(stamps) + 1), SLACK_WIDTH, dtype=np.int32)
    texts = pa.StringArray.from_buffers(len(stamps), pa.py_buffer(offsets), pa.py_buffer(text))
    return micros, texts

"""The pages of a ``gh api --paginate`` file parsed with orjson, unless only the standard library's parser can
say what the file holds (the connector then reads it as its record path does).

``gh api --paginate`` writes one JSON array per page, back to back (``[...][...]``, or with whitespace between).
orjson parses one document at a time, so the file is cut after each ``]`` that whitespace and a ``[`` follow.
Outside strings that happens only between top-level values (inside a document a ``,`` must follow a ``]``); a
cut inside a string leaves a piece that ends inside that string, which no parser accepts, so such a piece is
joined to the next one and parsed again. A piece that parses is therefore exactly the value
:func:`~teamweave.ingest.github_json.decode_pages` reads there, and the next piece starts where it goes on.

Where orjson refuses anything (truncated or invalid JSON, ``NaN``, numbers beyond a double, lone surrogates,
invalid UTF-8, a byte-order mark left after the one the record path strips, nesting deeper than 1,024 levels)
:class:`Unvouched` is raised and the file's errors come from the standard library, as before. Where both parse, the
values are the same but for integers beyond 64 bits, which orjson reads as floats: no field the connector reads
accepts either (an id must be below 2**63). Nesting between Python's recursion limit (~1,000 levels less the
caller's stack) and orjson's 1,024 is read here where the record path's parser gives up; that boundary already
moves with the caller's stack depth.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import orjson

BOM: Final = b"\xef\xbb\xbf"
MAX_RETRIES: Final = 64
"""Cuts inside strings (``][`` in a comment's text) tried per file, beyond one a page, before the file is left
to the standard library (each costs a parse of the page again)."""
_CUT: Final = re.compile(rb"\][ \t\r\n]*\[")
_BLANK: Final = b" \t\r\n"


class Unvouched(Exception):
    """orjson refuses part of the file, or it holds no value: the record path's parser must read it."""


def parse_pages(data: bytes) -> Iterator[Any]:
    """The top-level JSON values of a file's bytes, in order, as orjson reads them, one page at a time (one is
    in memory at once); :class:`Unvouched` where orjson refuses some part, or when the file holds no value
    (the caller then forgets the pages it had and leaves the file to the record path's parser)."""
    view = memoryview(data)
    start = 3 if data.startswith(BOM) else 0
    end = len(data)
    while end > start and data[end - 1] in _BLANK:
        end -= 1
    if end == start:
        raise Unvouched
    pages = retries = 0
    for cut in _cuts(data, start, end):
        try:
            value = orjson.loads(view[start:cut])
        except orjson.JSONDecodeError:
            retries += 1
            if cut == end or retries > MAX_RETRIES + pages:
                raise Unvouched from None
            continue
        pages += 1
        start = cut
        yield value


def _cuts(data: bytes, start: int, end: int) -> Iterator[int]:
    """Where a page may end: after each ``]`` followed by whitespace and ``[``, and the end."""
    for match in _CUT.finditer(data, start, end):
        yield match.start() + 1
    yield end

"""Integer codes for the connectors that work on Arrow columns (the generic CSV's blocks, Teams' message blocks):
distinct values numbered in order of first appearance, and the first of each value repeated within a row of a
list column (a target named twice), found with numpy over the whole block rather than row by row."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.ingest.arrow_masks import Mask, mask

Index = npt.NDArray[np.int64]


def int_array(array: pa.Array | pa.ChunkedArray) -> Index:
    """An integer Arrow array (no nulls) as numpy int64."""
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=np.int64)


def codes_of(array: pa.Array) -> tuple[pa.Array, Index]:
    """The distinct values in order of first appearance, and each value's index among them (0 for a null).

    >>> distinct, codes = codes_of(pa.array(["b", "a", "b"]))
    >>> distinct.to_pylist(), codes.tolist()
    (['b', 'a'], [0, 1, 0])
    """
    encoded = pc.dictionary_encode(array)
    return encoded.dictionary, int_array(pc.fill_null(encoded.indices, 0))


def first_positions(codes: Index) -> Index:
    """Where each code first appears, for codes numbered in order of first appearance (0, 1, 2, ...).

    >>> first_positions(np.array([0, 1, 0, 2, 1])).tolist()
    [0, 1, 3]
    """
    if len(codes) == 0:
        return codes
    seen = np.maximum.accumulate(codes)
    return np.flatnonzero(np.concatenate([[True], codes[1:] > seen[:-1]]))


def first_per_row(rows: Index, codes: Index, positions: Index) -> Index:
    """``positions`` keeping the first of each repeated (row, code) pair, in order (``rows`` ascending).

    >>> first_per_row(np.array([0, 0, 1, 1]), np.array([5, 5, 5, 6]), np.array([10, 11, 12, 13])).tolist()
    [10, 12, 13]
    """
    if len(rows) == 0:
        return positions
    longest = int(np.bincount(rows).max())
    if longest <= 32:  # short lists: compare each value with the up to 31 before it in its row
        repeated = np.zeros(len(rows), dtype=bool)
        for back in range(1, longest):
            repeated[back:] |= (rows[back:] == rows[:-back]) & (codes[back:] == codes[:-back])
        return positions[~repeated]
    keys = rows * (int(codes.max()) + 1) + codes
    first: Index = np.sort(np.unique(keys, return_index=True)[1])
    kept: Index = positions[first]
    return kept


def repeated_in_row(rows: Index, values: pa.Array) -> Mask:
    """Marks each value equal to an earlier one of its row (``rows`` ascending), comparing strings in Arrow.

    >>> repeated_in_row(np.array([0, 0, 1]), pa.array(["a", "a", "a"])).tolist()
    [False, True, False]
    """
    repeated = np.zeros(len(rows), dtype=bool)
    if len(rows) == 0:
        return repeated
    longest = int(np.bincount(rows).max())
    if longest > 32:
        codes = codes_of(values)[1]
        repeated[:] = True
        repeated[first_per_row(rows, codes, np.arange(len(rows), dtype=np.int64))] = False
        return repeated
    for back in range(1, longest):
        same_row = rows[back:] == rows[:-back]
        same = mask(pc.equal(values.slice(back), values.slice(0, len(values) - back)))
        repeated[back:] |= same_row & same
    return repeated

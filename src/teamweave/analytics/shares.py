"""Shares (part / whole) over whole columns at once, undefined where the whole is zero."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa


def share(part: npt.ArrayLike, whole: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``part / whole`` element-wise, NaN where ``whole`` is 0 or missing. Unit: share, 0..1.

    Examples
    --------
    >>> share([1, 0, 2], [4, 0, 2]).tolist()
    [0.25, nan, 1.0]
    """
    p = np.asarray(part, dtype=np.float64)
    w = np.asarray(whole, dtype=np.float64)
    out = np.full(np.broadcast(p, w).shape, np.nan, dtype=np.float64)
    np.divide(p, w, out=out, where=(w != 0) & ~np.isnan(w))
    return out


def column(table: pa.Table, name: str) -> npt.NDArray[np.float64]:
    """A numeric Arrow column as floats, nulls as NaN.

    Examples
    --------
    >>> column(pa.table({"x": [1, None, 3]}), "x").tolist()
    [1.0, nan, 3.0]
    """
    values = table.column(name).to_numpy(zero_copy_only=False)
    return np.asarray(values, dtype=np.float64)


def to_arrow(values: npt.NDArray[np.float64]) -> pa.Array:
    """Floats as an Arrow column, NaN as null (what the database stores as NULL).

    Examples
    --------
    >>> to_arrow(np.array([0.5, np.nan])).to_pylist()
    [0.5, None]
    """
    return pa.array(values, type=pa.float64(), from_pandas=True)

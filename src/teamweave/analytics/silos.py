"""Silos: Krackhardt and Stern's E-I index of a group's external versus internal ties."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from teamweave.analytics.shares import share

G = TypeVar("G", bound=Hashable)


def ei_index(external: npt.ArrayLike, internal: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Krackhardt and Stern's E-I index, ``(E - I) / (E + I)``, element-wise. Unit: -1..1.

    ``E`` counts ties from members to non-members, ``I`` ties among members (each tie once). -1 is a
    closed group (a silo), +1 a group whose members are tied only outside it. NaN when there are no ties.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
       experimental simulation. Social Psychology Quarterly 51(2), 123-140. https://doi.org/10.2307/2786835

    Examples
    --------
    >>> ei_index([1, 0, 3, 0], [3, 2, 1, 0]).tolist()
    [-0.5, -1.0, 0.5, nan]
    """
    e = np.asarray(external, dtype=np.float64)
    i = np.asarray(internal, dtype=np.float64)
    return share(e - i, e + i)


def group_ei_index(edges: Iterable[tuple[str, str]], group_of: Mapping[str, G]) -> dict[G, float]:
    """The E-I index of every group of an undirected graph, over tie counts.

    ``edges`` are undirected ties (each once, self-loops ignored); ``group_of`` gives each node's group.
    A group whose members have no ties is left out.

    Examples
    --------
    Five people, team A = {a, b, c} with ties a-b, b-c, team B = {d, e} with tie d-e, and one bridge c-d:

    >>> groups = {"a": "A", "b": "A", "c": "A", "d": "B", "e": "B"}
    >>> group_ei_index([("a", "b"), ("b", "c"), ("d", "e"), ("c", "d")], groups)
    {'A': -0.3333333333333333, 'B': 0.0}
    """
    external: dict[G, int] = {}
    internal: dict[G, int] = {}
    for u, v in edges:
        if u == v:
            continue
        gu, gv = group_of[u], group_of[v]
        if gu == gv:
            internal[gu] = internal.get(gu, 0) + 1
        else:
            external[gu] = external.get(gu, 0) + 1
            external[gv] = external.get(gv, 0) + 1
    groups = sorted(set(external) | set(internal), key=str)
    values = ei_index([external.get(g, 0) for g in groups], [internal.get(g, 0) for g in groups])
    return {g: float(x) for g, x in zip(groups, values, strict=True)}

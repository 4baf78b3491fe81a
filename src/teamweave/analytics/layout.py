"""Positions for drawing a small weighted graph (the organisation map: teams as nodes).

Pure: takes node ids and weighted edges, returns coordinates in the unit square. Deterministic: the start
positions are a circle in the order given, so the same input always gives the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TypeVar

import igraph as ig

N = TypeVar("N", bound=Hashable)


def unit_layout(
    nodes: Sequence[N],
    edges: Sequence[tuple[N, N, float]],
    *,
    iterations: int = 500,
    margin: float = 0.08,
) -> dict[N, tuple[float, float]]:
    """Kamada-Kawai positions of ``nodes`` scaled into ``[margin, 1 - margin]`` on both axes.

    Heavier edges are shorter springs, so strongly tied nodes sit closer (Kamada & Kawai 1989, Information
    Processing Letters 31(1), doi:10.1016/0020-0190(89)90102-6). Edges naming unknown nodes, self-loops and
    weights <= 0 are ignored. No randomness: equal input gives equal output.

    Parameters
    ----------
    nodes : sequence of hashable
        The node ids, in a fixed order (the order fixes the start positions).
    edges : sequence of (a, b, weight)
        Undirected weighted edges.
    iterations : int
        Iterations per node of the spring simulation.
    margin : float
        Empty border left on each side of the unit square.

    Returns
    -------
    dict
        Node id -> (x, y), both in ``[margin, 1 - margin]``.

    Examples
    --------
    >>> pos = unit_layout(["a", "b", "c", "d", "e"], [("a", "b", 5.0), ("b", "c", 1.0), ("d", "e", 2.0)])
    >>> sorted(pos) == ["a", "b", "c", "d", "e"]
    True
    >>> all(0.08 <= v <= 0.92 for xy in pos.values() for v in xy)
    True
    >>> unit_layout(["solo"], [])
    {'solo': (0.5, 0.5)}
    >>> pos == unit_layout(["a", "b", "c", "d", "e"], [("a", "b", 5.0), ("b", "c", 1.0), ("d", "e", 2.0)])
    True
    """
    count = len(nodes)
    if count == 0:
        return {}
    if count == 1:
        return {nodes[0]: (0.5, 0.5)}
    index = {node: i for i, node in enumerate(nodes)}
    kept = [(index[a], index[b], w) for a, b, w in edges if a in index and b in index and a != b and w > 0]
    graph = ig.Graph(n=count, edges=[(a, b) for a, b, _ in kept])
    lengths = [1.0 / (1.0 + math.log1p(w)) for _, _, w in kept] or None
    start = [[math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count)] for i in range(count)]
    layout = graph.layout_kamada_kawai(maxiter=iterations * count, seed=start, weights=lengths)
    xs = [p[0] for p in layout.coords]
    ys = [p[1] for p in layout.coords]
    return {node: (_scale(xs[i], xs, margin), _scale(ys[i], ys, margin)) for node, i in index.items()}


def _scale(value: float, values: Sequence[float], margin: float) -> float:
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return 0.5
    return round(margin + (value - low) / (high - low) * (1 - 2 * margin), 4)

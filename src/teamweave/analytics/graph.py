"""Ties -> an igraph ``Graph`` whose vertices are named by pseudonym, for the structural metrics.

The metric modules (``centrality``, ``brokerage``, ``communities``, ``cohesion``) take such a graph and
return plain dicts keyed by pseudonym (the vertex attribute ``name``). Edges carry the tie weight in the
edge attribute ``weight`` (tie units; 1.0 for an unweighted edge list).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import igraph as ig
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.errors import TeamweaveError

Edge = tuple[str, str] | tuple[str, str, float]


def edge_graph(
    edges: Iterable[Edge],
    *,
    nodes: Iterable[str] = (),
    directed: bool = False,
    loops: bool = False,
) -> ig.Graph:
    """A graph from ``(a, b)`` or ``(a, b, weight)`` pairs; vertex ``name`` = the pseudonym.

    Repeated pairs are merged into one edge whose ``weight`` is the sum (in an undirected graph ``(a, b)``
    and ``(b, a)`` are the same pair). Self-loops are dropped unless ``loops``. Vertices are the names of
    ``nodes`` and of the edges' ends, sorted, so equal input gives the same graph whatever its order (and
    seeded community detection gives the same answer).

    Parameters
    ----------
    edges : iterable of (a, b) or (a, b, weight)
        Ties between pseudonyms; a missing weight counts as 1.0.
    nodes : iterable of str
        People to include even without any tie (isolates).
    directed : bool
        Keep the direction of each pair (``a`` acted towards ``b``).
    loops : bool
        Keep self-loops (``a == b``).

    Returns
    -------
    igraph.Graph
        Simple graph (no repeated edges) with vertex attribute ``name`` and edge attribute ``weight``.

    Examples
    --------
    >>> g = edge_graph([("a", "b"), ("b", "a", 2.0), ("b", "c"), ("c", "c")], nodes=["z"])
    >>> g.vs["name"], g.ecount(), g.es["weight"]
    (['a', 'b', 'c', 'z'], 2, [3.0, 1.0])
    >>> edge_graph([("a", "b"), ("b", "a")], directed=True).ecount()
    2
    """
    triples = [(str(e[0]), str(e[1]), float(e[2]) if len(e) > 2 else 1.0) for e in edges]
    labels = sorted({str(n) for n in nodes} | {a for a, _, _ in triples} | {b for _, b, _ in triples})
    index = {name: i for i, name in enumerate(labels)}
    kept = [(a, b, w) for a, b, w in triples if loops or a != b]
    graph = ig.Graph(n=len(labels), edges=[(index[a], index[b]) for a, b, _ in kept], directed=directed)
    graph.vs["name"] = labels
    graph.es["weight"] = [w for _, _, w in kept]
    graph.simplify(multiple=True, loops=not loops, combine_edges={"weight": "sum"})
    return graph


def tie_graph(ties: pa.Table, *, nodes: Iterable[str] = (), weight: str = "weight") -> ig.Graph:
    """The undirected weighted graph of a tie table (``a, b, weight``, e.g. one window of
    :func:`teamweave.analytics.ties.tie_table`).

    Select the window first: rows of several windows for the same pair would be summed. Edge ``weight`` is
    the tie weight in tie units; vertex ``name`` the pseudonym. The same graph as :func:`edge_graph` of the
    rows, built from Arrow codes and numpy arrays rather than Python tuples (1.7M ties: 8.5 s before, 1.6 s).

    Examples
    --------
    >>> ties = pa.table({"a": ["a", "a", "c"], "b": ["b", "c", "d"], "weight": [2.0, 0.5, 1.0]})
    >>> g = tie_graph(ties, nodes=["e"])
    >>> g.vs["name"], g.es["weight"]
    (['a', 'b', 'c', 'd', 'e'], [2.0, 0.5, 1.0])
    """
    for name in ("a", "b", weight):
        if name not in ties.column_names:
            raise TeamweaveError(f"the tie table has no column {name!r}", where=name)
    ends = [ties.column(end).cast(pa.string()) for end in ("a", "b")]
    extra = pa.array([str(n) for n in nodes], type=pa.string())
    labels = pc.unique(pa.concat_arrays([extra, *(e.combine_chunks() for e in ends)]))
    labels = labels.take(pc.sort_indices(labels))
    codes = [pc.index_in(e, value_set=labels).to_numpy(zero_copy_only=False).astype(np.int64) for e in ends]
    weights = ties.column(weight).cast(pa.float64()).to_numpy(zero_copy_only=False)
    kept = codes[0] != codes[1]  # self-loops dropped, as edge_graph does
    low, high = np.minimum(codes[0], codes[1])[kept], np.maximum(codes[0], codes[1])[kept]
    # repeated pairs merged, weights summed, edges in (low, high) order: what igraph's simplify gives, in numpy
    # (simplify took 1.9 s of 5.5 on 1.7M ties)
    order = np.lexsort((high, low))
    low, high, summed = low[order], high[order], weights[kept][order]
    first = np.flatnonzero(np.r_[True, (low[1:] != low[:-1]) | (high[1:] != high[:-1])]) if len(low) else order
    graph = ig.Graph(n=len(labels), edges=edge_list(np.column_stack([low[first], high[first]])))
    graph.vs["name"] = labels.to_pylist()
    graph.es["weight"] = np.add.reduceat(summed, first).tolist() if len(first) else []
    return graph


EDGE_CHUNK = 65_536
"""Pairs converted to Python at a time by :func:`edge_list`."""


def edge_list(ends: npt.NDArray[np.int64]) -> Iterator[tuple[int, int]]:
    """An (n, 2) integer array as the pairs ``igraph.Graph`` takes, :data:`EDGE_CHUNK` rows at a time.

    igraph reads the pairs one by one into its own vector, so a generator is all it needs: the Python pairs of
    one chunk are alive at once instead of a list of every pair (which held ~1 GB more than the graph itself at
    7.3M edges: a 2-tuple of ints is ~120 bytes). Built from plain int lists, 3x faster than handing igraph the
    array (which it converts row by row; ~1 us per edge).

    Examples
    --------
    >>> list(edge_list(np.array([[0, 1], [1, 2]])))
    [(0, 1), (1, 2)]
    """
    for start in range(0, len(ends), EDGE_CHUNK):
        chunk = ends[start : start + EDGE_CHUNK]
        yield from zip(chunk[:, 0].tolist(), chunk[:, 1].tolist(), strict=True)


def largest_component(graph: ig.Graph) -> ig.Graph:
    """The largest (weakly) connected component, as a graph keeping names and weights.

    Ties between equal sizes go to the component holding the first vertex. An empty graph gives itself.

    Examples
    --------
    >>> largest_component(edge_graph([("a", "b"), ("b", "c"), ("d", "e")])).vs["name"]
    ['a', 'b', 'c']
    """
    if graph.vcount() == 0:
        return graph.copy()
    parts = graph.connected_components(mode="weak")
    return parts.giant()


def names(graph: ig.Graph) -> Sequence[str]:
    """The vertex names (pseudonyms) in vertex order.

    Examples
    --------
    >>> names(edge_graph([("b", "a")]))
    ['a', 'b']
    """
    result: list[str] = graph.vs["name"] if graph.vcount() else []
    return result


def edge_weights(graph: ig.Graph, weight: str | None) -> list[float] | None:
    """The edge attribute ``weight`` as floats (None when ``weight`` is None); a located error if it is missing.

    Examples
    --------
    >>> edge_weights(edge_graph([("a", "b", 2.0)]), "weight")
    [2.0]
    >>> edge_weights(edge_graph([("a", "b")]), "depth")
    Traceback (most recent call last):
    ...
    teamweave.errors.TeamweaveError: weight: the graph's edges have no attribute 'depth'
    """
    if weight is None:
        return None
    if graph.ecount() == 0:
        return []
    if weight not in graph.es.attributes():
        raise TeamweaveError(f"the graph's edges have no attribute {weight!r}", where="weight")
    return [float(w) for w in graph.es[weight]]

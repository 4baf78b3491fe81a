"""Brokerage: Burt's structural holes — whether a person's contacts are tied to each other or only through them.

A person whose contacts do not know each other spans *structural holes*: they broker between circles, hear
things first, and are a single point of connection. Measured by Burt's constraint (low = broker) and
effective size (high = broker). Directed graphs are taken as undirected, ties in both directions summed.
"""

from __future__ import annotations

from collections.abc import Iterator

import igraph as ig
import numpy as np
import numpy.typing as npt

from teamweave.analytics.graph import edge_weights, names

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
_BATCH = 1 << 23  # wedges looked up at once in the triangle listing: bounds its memory (a few 8M-long arrays)


def _undirected(graph: ig.Graph) -> ig.Graph:
    if not graph.is_directed():
        return graph
    copy = graph.copy()
    combine = {"weight": "sum"} if "weight" in copy.es.attributes() else "first"
    copy.to_undirected(mode="collapse", combine_edges=combine)
    return copy


def constraint(graph: ig.Graph, *, weight: str | None = None) -> dict[str, float]:
    """Burt's constraint: how much a person's contacts are tied to each other. Unit: index, about 0..1.

    ``c_i = sum over contacts j of (p_ij + sum over q != i, j of p_iq p_qj) ** 2``, where ``p_ij`` is the share
    of ``i``'s tie weight (or ties, unweighted) that goes to ``j``. A person tied to one contact scores 1; to
    ``n`` contacts who know no one else ``1 / n``; a clique scores more. NaN for people without ties.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition. Harvard University
       Press. https://doi.org/10.4159/9780674029095

    Examples
    --------
    A star with centre ``c`` and four leaves: ``c`` has 4 contacts who are not tied (4 * (1/4)^2 = 0.25);
    each leaf has one contact (1).

    >>> from teamweave.analytics.graph import edge_graph
    >>> constraint(edge_graph([("c", x) for x in "vwxy"]))
    {'c': 0.25, 'v': 1.0, 'w': 1.0, 'x': 1.0, 'y': 1.0}
    """
    g = _undirected(graph)
    values = g.constraint(weights=edge_weights(g, weight))
    return {name: float(v) for name, v in zip(names(g), values, strict=True)}


def effective_size(graph: ig.Graph, *, weight: str | None = None) -> dict[str, float]:
    """Burt's effective size: a person's number of contacts minus their redundancy. Unit: contacts.

    ``sum over contacts j of (1 - sum over q != i, j of p_iq m_jq)``, with ``p_iq`` the share of ``i``'s tie
    weight going to ``q`` and ``m_jq`` the weight of tie ``j``-``q`` over ``j``'s strongest tie. Unweighted this
    is ``n - 2 t / n`` for ``n`` contacts and ``t`` ties among them (Borgatti 1997). NaN without ties.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition. Harvard University
       Press. https://doi.org/10.4159/9780674029095
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures. Connections 20(1),
       35-38 (no DOI).

    Examples
    --------
    The star's centre has 4 non-redundant contacts. In a 5-clique everyone's 4 contacts share 6 ties:
    4 - 2 * 6 / 4 = 1.

    >>> from teamweave.analytics.graph import edge_graph
    >>> effective_size(edge_graph([("c", x) for x in "vwxy"]))["c"]
    4.0
    >>> effective_size(edge_graph([(a, b) for a in "abcde" for b in "abcde" if a < b]))
    {'a': 1.0, 'b': 1.0, 'c': 1.0, 'd': 1.0, 'e': 1.0}
    """
    g = _undirected(graph)
    n = g.vcount()
    ends = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    weights = np.array(edge_weights(g, weight) or [1.0] * g.ecount(), dtype=np.float64)
    low, high, tie = _simple_ties(ends, weights)
    both = np.r_[low, high]
    contacts = np.bincount(both, minlength=n).astype(np.float64)
    total = np.bincount(both, weights=np.r_[tie, tie], minlength=n).astype(np.float64, copy=False)
    strongest = np.full(n, -np.inf)
    np.maximum.at(strongest, both, np.r_[tie, tie])
    with np.errstate(divide="ignore", invalid="ignore"):
        redundancy = _redundancy(low, high, tie, total, strongest)
    size = np.where((contacts > 0) & (total > 0), contacts - redundancy, np.nan)
    return {name: float(s) for name, s in zip(names(g), size, strict=True)}


def _simple_ties(ends: Ints, weights: Floats) -> tuple[Ints, Ints, Floats]:
    """Each pair of distinct people once as (low, high), repeated edges' weights summed, self-ties dropped."""
    kept = ends[:, 0] != ends[:, 1]
    low = np.minimum(ends[kept, 0], ends[kept, 1])
    high = np.maximum(ends[kept, 0], ends[kept, 1])
    order = np.lexsort((high, low))
    low, high, summed = low[order], high[order], weights[kept][order]
    first = np.flatnonzero(np.r_[True, (low[1:] != low[:-1]) | (high[1:] != high[:-1])]) if len(low) else order
    return low[first], high[first], np.add.reduceat(summed, first) if len(first) else summed


def _redundancy(low: Ints, high: Ints, tie: Floats, total: Floats, strongest: Floats) -> Floats:
    """Each person's summed redundancy ``sum over j, q of p_iq m_jq``: non-zero only where i, j, q is a triangle.

    Each triangle (a, b, c) adds one term for each of its six orderings (i, j, q), so the work is a triangle
    listing (numpy, vectorised) rather than the ``sum of degree^2`` dict loops of the definition.
    """
    n = len(total)
    redundancy = np.zeros(n)
    for a, b, c, ab, ac, bc in _triangles(low, high, n):
        w_ab, w_ac, w_bc = tie[ab], tie[ac], tie[bc]
        terms = (
            (a, w_ab / total[a] * w_bc / strongest[c] + w_ac / total[a] * w_bc / strongest[b]),
            (b, w_ab / total[b] * w_ac / strongest[c] + w_bc / total[b] * w_ac / strongest[a]),
            (c, w_ac / total[c] * w_ab / strongest[b] + w_bc / total[c] * w_ab / strongest[a]),
        )
        for person, term in terms:
            redundancy += np.bincount(person, weights=term, minlength=n)
    return redundancy


def _triangles(low: Ints, high: Ints, n: int) -> Iterator[tuple[Ints, Ints, Ints, Ints, Ints, Ints]]:
    """Every triangle once, in batches: its corners (a, b, c) and the indices of its ties a-b, a-c and b-c.

    Degree ordering: each tie points from the lower- to the higher-ranked person (by degree), so a triangle is
    found once, from its lowest corner, as two ties out of it whose far ends are tied; no person has more than
    ``sqrt(2 m)`` ties out, which bounds the pairs tried.
    """
    by_rank = np.lexsort((np.arange(n), np.bincount(np.r_[low, high], minlength=n)))
    rank = np.empty(n, dtype=np.int64)
    rank[by_rank] = np.arange(n)
    src, dst = np.minimum(rank[low], rank[high]), np.maximum(rank[low], rank[high])
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    keys = src * n + dst  # sorted: a tie's position by binary search
    later = np.searchsorted(src, src, side="right") - 1 - np.arange(len(src))  # later ties out of the same person
    done = np.cumsum(later)
    start = 0
    while start < len(src):
        stop = max(int(np.searchsorted(done, done[start] - later[start] + _BATCH, side="right")), start + 1)
        counts = later[start:stop]
        first = np.repeat(np.arange(start, stop), counts)
        second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(counts) - counts, counts)
        wanted = dst[first] * n + dst[second]
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        hit = keys[at] == wanted
        first, second, at = first[hit], second[hit], at[hit]
        corners = by_rank[src[first]], by_rank[dst[first]], by_rank[dst[second]]
        yield *corners, order[first], order[second], order[at]
        start = stop

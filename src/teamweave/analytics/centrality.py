"""Centrality: how many ties a person has, how much contact, and how much of the network runs through them.

Every function takes a graph from :mod:`teamweave.analytics.graph` and returns ``{pseudonym: value}``.
Path-based measures (betweenness, closeness) count hops by default; with ``weight=`` a tie's length is
``1 / weight``, so a strong tie is a short path (Newman 2001). Directed graphs are followed along their
direction except by closeness, which (like ``vivainsights``) ignores it.
"""

from __future__ import annotations

import math

import igraph as ig
import numpy as np

from teamweave.analytics.graph import edge_weights, names
from teamweave.errors import TeamweaveError


def _lengths(graph: ig.Graph, weight: str | None) -> list[float] | None:
    weights = edge_weights(graph, weight)
    return None if weights is None else [1.0 / w if w > 0 else math.inf for w in weights]


def _keyed(graph: ig.Graph, values: list[float]) -> dict[str, float]:
    return {name: float(v) for name, v in zip(names(graph), values, strict=True)}


def degree(graph: ig.Graph) -> dict[str, int]:
    """Number of ties of each person (in a directed graph: ties in plus ties out). Unit: count.

    References
    ----------
    .. [1] Freeman, L. C. (1978). Centrality in social networks: conceptual clarification. Social Networks
       1(3), 215-239. https://doi.org/10.1016/0378-8733(78)90021-7

    Examples
    --------
    A star: ``c`` tied to four leaves.

    >>> from teamweave.analytics.graph import edge_graph
    >>> degree(edge_graph([("c", x) for x in "vwxy"]))
    {'c': 4, 'v': 1, 'w': 1, 'x': 1, 'y': 1}
    """
    return {name: int(d) for name, d in zip(names(graph), graph.degree(mode="all"), strict=True)}


def strength(graph: ig.Graph, *, weight: str = "weight") -> dict[str, float]:
    """Sum of the weights of each person's ties. Unit: tie units.

    References
    ----------
    .. [1] Barrat, A., Barthelemy, M., Pastor-Satorras, R. & Vespignani, A. (2004). The architecture of
       complex weighted networks. PNAS 101(11), 3747-3752. https://doi.org/10.1073/pnas.0400087101

    Examples
    --------
    >>> from teamweave.analytics.graph import edge_graph
    >>> strength(edge_graph([("c", "v", 2.0), ("c", "w", 0.5), ("c", "x"), ("c", "y"), ("x", "y", 3.0)]))
    {'c': 4.5, 'v': 2.0, 'w': 0.5, 'x': 4.0, 'y': 4.0}
    """
    return _keyed(graph, graph.strength(mode="all", weights=edge_weights(graph, weight), loops=True))


def _scale(graph: ig.Graph, normalized: bool) -> float:
    """Divisor that turns raw betweenness into a share of the pairs of other people."""
    n = graph.vcount()
    if not normalized or n < 3:
        return 1.0
    pairs = (n - 1) * (n - 2)
    return float(pairs if graph.is_directed() else pairs / 2)


def betweenness(graph: ig.Graph, *, weight: str | None = None, normalized: bool = True) -> dict[str, float]:
    """Exact betweenness: how much of the shortest-path traffic between others passes through a person.

    ``sum over pairs s, t (s, t != v) of sigma_st(v) / sigma_st``, with ``sigma_st`` the number of shortest
    paths from ``s`` to ``t`` and ``sigma_st(v)`` those through ``v`` (Brandes' algorithm). Unit: pairs of
    people (each unordered pair once in an undirected graph); with ``normalized`` (default) a share 0..1 of
    the ``(n - 1)(n - 2) / 2`` pairs of others (``(n - 1)(n - 2)`` when directed). Cost ``O(n m)``: for large
    graphs use :func:`betweenness_sample`.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on betweenness. Sociometry 40(1),
       35-41. https://doi.org/10.2307/3033543
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of Mathematical
       Sociology 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249

    Examples
    --------
    A path a-b-c-d-e: ``b`` lies between ``a`` and each of c, d, e (3 pairs), ``c`` between {a, b} and
    {d, e} (4 pairs); there are 6 pairs of others.

    >>> from teamweave.analytics.graph import edge_graph
    >>> path = edge_graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    >>> betweenness(path, normalized=False)
    {'a': 0.0, 'b': 3.0, 'c': 4.0, 'd': 3.0, 'e': 0.0}
    >>> betweenness(path)["c"]
    0.6666666666666666
    """
    raw = graph.betweenness(directed=True, weights=_lengths(graph, weight))
    scale = _scale(graph, normalized)
    return _keyed(graph, [b / scale for b in raw])


def betweenness_sample(
    graph: ig.Graph,
    *,
    pivots: int,
    seed: int,
    weight: str | None = None,
    normalized: bool = True,
) -> dict[str, float]:
    """Estimated betweenness from shortest paths out of ``pivots`` sources drawn at random (seeded).

    Brandes & Pich's pivot estimate: draw ``k`` sources without replacement, sum each person's dependency on
    them, scale by ``n / k``. It is unbiased, costs ``O(k m)`` instead of ``O(n m)``, and is exact when
    ``k >= n``. Its error is bounded by :func:`betweenness_error`. Unit: as :func:`betweenness`.

    References
    ----------
    .. [1] Brandes, U. & Pich, C. (2007). Centrality estimation in large networks. International Journal of
       Bifurcation and Chaos 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403

    Examples
    --------
    With as many pivots as people the estimate is exact (the path a-b-c-d-e):

    >>> from teamweave.analytics.graph import edge_graph
    >>> path = edge_graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    >>> betweenness_sample(path, pivots=5, seed=1, normalized=False)
    {'a': 0.0, 'b': 3.0, 'c': 4.0, 'd': 3.0, 'e': 0.0}
    """
    n = graph.vcount()
    if pivots < 1:
        raise TeamweaveError(f"pivots must be at least 1, not {pivots}", where="pivots")
    k = min(pivots, n)
    sources = sorted(int(s) for s in np.random.default_rng(seed).choice(n, size=k, replace=False)) if n else []
    raw = graph.betweenness(directed=True, weights=_lengths(graph, weight), sources=sources, targets=None)
    factor = n / k if k else 1.0
    scale = _scale(graph, normalized)
    return _keyed(graph, [b * factor / scale for b in raw])


def betweenness_error(people: int, *, pivots: int, confidence: float = 0.95) -> float:
    """Bound on the error of :func:`betweenness_sample`, in normalised betweenness (share 0..1).

    Each pivot ``s`` contributes ``n * delta_s(v)`` with ``0 <= delta_s(v) <= n - 2``; by Hoeffding's
    inequality (which holds for draws without replacement too) the normalised estimate is within
    ``xi = sqrt(ln(2 / (1 - confidence)) / (2 k)) * n / (n - 1)`` of the exact value with probability at least
    ``confidence``, for each person (the pivot-sampling argument of Brandes & Pich 2007). 0 when ``k >= n``.

    References
    ----------
    .. [1] Brandes, U. & Pich, C. (2007). Centrality estimation in large networks. International Journal of
       Bifurcation and Chaos 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403
    .. [2] Hoeffding, W. (1963). Probability inequalities for sums of bounded random variables. JASA 58(301),
       13-30. https://doi.org/10.1080/01621459.1963.10500830

    Examples
    --------
    >>> round(betweenness_error(50_000, pivots=500), 4)
    0.0607
    >>> betweenness_error(5, pivots=5)
    0.0
    """
    if not 0 < confidence < 1:
        raise TeamweaveError(f"confidence must be in (0, 1), not {confidence}", where="confidence")
    if pivots >= people:
        return 0.0
    return math.sqrt(math.log(2 / (1 - confidence)) / (2 * pivots)) * people / max(people - 1, 1)


def closeness(graph: ig.Graph, *, weight: str | None = None, wf_improved: bool = True) -> dict[str, float]:
    """Closeness: the inverse of a person's mean distance to the people they can reach. Unit: 1 / hops.

    ``(r - 1) / sum of distances`` over the ``r - 1`` others reachable (direction ignored). With
    ``wf_improved`` (default) it is multiplied by ``(r - 1) / (n - 1)`` so people in small fragments do not
    look central (Wasserman & Faust 1994, networkx's default); isolates get 0. Without it, the value
    within the person's own component (igraph's and vivainsights' convention; isolates NaN).

    References
    ----------
    .. [1] Freeman, L. C. (1978). Centrality in social networks: conceptual clarification. Social Networks
       1(3), 215-239. https://doi.org/10.1016/0378-8733(78)90021-7
    .. [2] Wasserman, S. & Faust, K. (1994). Social Network Analysis, section 5.3. Cambridge University
       Press. https://doi.org/10.1017/CBO9780511815478

    Examples
    --------
    A star: the centre is 1 hop from all 4 (4 / 4 = 1), a leaf 1 + 2 + 2 + 2 = 7 hops (4 / 7).

    >>> from teamweave.analytics.graph import edge_graph
    >>> star = closeness(edge_graph([("c", x) for x in "vwxy"]))
    >>> star["c"], round(star["v"], 4)
    (1.0, 0.5714)

    Two fragments a-b-c and d-e: ``d`` reaches 1 of 4 others at distance 1.

    >>> closeness(edge_graph([("a", "b"), ("b", "c"), ("d", "e")]))["d"]
    0.25
    >>> closeness(edge_graph([("a", "b"), ("b", "c"), ("d", "e")]), wf_improved=False)["d"]
    1.0
    """
    n = graph.vcount()
    raw = graph.closeness(mode="all", weights=_lengths(graph, weight), normalized=True)
    if not wf_improved:
        return _keyed(graph, raw)
    parts = graph.connected_components(mode="weak")
    sizes, member = parts.sizes(), parts.membership
    scaled = [0.0 if n < 2 or math.isnan(c) else c * (sizes[member[i]] - 1) / (n - 1) for i, c in enumerate(raw)]
    return _keyed(graph, scaled)


def pagerank(graph: ig.Graph, *, weight: str | None = None, damping: float = 0.85) -> dict[str, float]:
    """PageRank: the share of time a random walker following ties spends at each person. Unit: share, sums to 1.

    With probability ``damping`` the walker follows a tie (chosen in proportion to ``weight`` when given),
    otherwise jumps to anyone at random; from someone without outgoing ties it jumps at random.

    References
    ----------
    .. [1] Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual Web search engine.
       Computer Networks and ISDN Systems 30(1-7), 107-117. https://doi.org/10.1016/S0169-7552(98)00110-X

    Examples
    --------
    On a 5-cycle everyone is alike:

    >>> from teamweave.analytics.graph import edge_graph
    >>> ring = pagerank(edge_graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "a")]))
    >>> [round(v, 6) for v in ring.values()]
    [0.2, 0.2, 0.2, 0.2, 0.2]
    """
    values = graph.pagerank(directed=True, damping=damping, weights=edge_weights(graph, weight))
    return _keyed(graph, values)

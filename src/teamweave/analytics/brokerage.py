"""Brokerage: Burt's structural holes — whether a person's contacts are tied to each other or only through them.

A person whose contacts do not know each other spans *structural holes*: they broker between circles, hear
things first, and are a single point of connection. Measured by Burt's constraint (low = broker) and
effective size (high = broker). Directed graphs are taken as undirected, ties in both directions summed.
"""

from __future__ import annotations

import math

import igraph as ig

from teamweave.analytics.graph import edge_weights, names


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
    weights = edge_weights(g, weight) or [1.0] * g.ecount()
    tie: list[dict[int, float]] = [{} for _ in range(g.vcount())]
    for edge, w in zip(g.es, weights, strict=True):
        a, b = edge.tuple
        if a != b:
            tie[a][b] = tie[a].get(b, 0.0) + w
            tie[b][a] = tie[b].get(a, 0.0) + w
    return {name: _effective_size_of(i, tie) for i, name in enumerate(names(g))}


def _effective_size_of(i: int, tie: list[dict[int, float]]) -> float:
    contacts = tie[i]
    total = sum(contacts.values())
    if not contacts or total <= 0:
        return math.nan
    size = 0.0
    for j in contacts:
        strongest = max(tie[j].values())
        redundancy = sum(contacts[q] / total * tie[j][q] / strongest for q in contacts if q != j and q in tie[j])
        size += 1 - redundancy
    return size

"""Cohesion: how densely a group's members are tied to each other, and how clustered the network is."""

from __future__ import annotations

import math

import igraph as ig
import numpy as np
import numpy.typing as npt

from teamweave.analytics.graph import largest_component, names
from teamweave.analytics.shares import share


def density(internal_ties: npt.ArrayLike, members: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Share of possible pairs of members that have a tie: ``L / (m (m - 1) / 2)``. Unit: share, 0..1.

    Undefined (NaN) for groups of fewer than two members. Works element-wise over columns.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). Social Network Analysis: Methods and Applications, section 4.2
       (density). Cambridge University Press. https://doi.org/10.1017/CBO9780511815478

    Examples
    --------
    Five members: a star has 4 of the 10 possible ties, a path 4, a 5-clique 10, no ties 0:

    >>> density([4, 4, 10, 0], [5, 5, 5, 5]).tolist()
    [0.4, 0.4, 1.0, 0.0]
    >>> density(0, 1).tolist()
    nan
    """
    m = np.asarray(members, dtype=np.float64)
    return share(internal_ties, m * (m - 1) / 2)


def local_clustering(graph: ig.Graph) -> dict[str, float]:
    """Share of the pairs of a person's contacts who are tied to each other. Unit: share, 0..1.

    ``C_i = 2 T_i / (k_i (k_i - 1))`` for ``k_i`` contacts and ``T_i`` ties among them; 0 for people with
    fewer than two contacts (networkx's convention). Ties count, not their weight; directed graphs are taken
    as undirected.

    References
    ----------
    .. [1] Watts, D. J. & Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks. Nature 393,
       440-442. https://doi.org/10.1038/30918

    Examples
    --------
    A triangle a-b-c with a tail c-d-e: ``c`` has 3 contacts and 1 of their 3 pairs is tied.

    >>> from teamweave.analytics.graph import edge_graph
    >>> g = edge_graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e")])
    >>> {k: round(v, 4) for k, v in local_clustering(g).items()}
    {'a': 1.0, 'b': 1.0, 'c': 0.3333, 'd': 0.0, 'e': 0.0}
    """
    g = _simple_undirected(graph)
    values = g.transitivity_local_undirected(mode="zero")
    return {name: float(v) for name, v in zip(names(g), values, strict=True)}


def average_clustering(graph: ig.Graph) -> float:
    """Mean of :func:`local_clustering` over everyone (people with fewer than two contacts count as 0).

    Unit: share, 0..1. NaN for an empty graph.

    References
    ----------
    .. [1] Watts, D. J. & Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks. Nature 393,
       440-442. https://doi.org/10.1038/30918

    Examples
    --------
    The triangle with a tail above: (1 + 1 + 1/3 + 0 + 0) / 5.

    >>> from teamweave.analytics.graph import edge_graph
    >>> g = edge_graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e")])
    >>> round(average_clustering(g), 4)
    0.4667
    """
    if graph.vcount() == 0:
        return math.nan
    values = _simple_undirected(graph).transitivity_local_undirected(mode="zero")
    return math.fsum(values) / len(values)


def triangles(graph: ig.Graph) -> dict[str, int]:
    """Number of triangles (three people all tied to each other) each person is part of. Unit: count.

    The graph's total is the sum divided by 3. Directed graphs are taken as undirected.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). Social Network Analysis: Methods and Applications, chapter 14
       (triads). Cambridge University Press. https://doi.org/10.1017/CBO9780511815478

    Examples
    --------
    >>> from teamweave.analytics.graph import edge_graph
    >>> triangles(edge_graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e")]))
    {'a': 1, 'b': 1, 'c': 1, 'd': 0, 'e': 0}
    """
    g = _simple_undirected(graph)
    counts = [0] * g.vcount()
    for triangle in g.list_triangles():
        for vertex in triangle:
            counts[vertex] += 1
    return dict(zip(names(g), counts, strict=True))


def diameter(graph: ig.Graph) -> int:
    """The longest shortest path (in ties) between two people of the largest connected component. Unit: hops.

    Directed graphs are taken as undirected; 0 for a graph of fewer than two people.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). Social Network Analysis: Methods and Applications, section 4.2
       (diameter). Cambridge University Press. https://doi.org/10.1017/CBO9780511815478

    Examples
    --------
    The triangle with a tail: a (or b) to e is 3 ties; an isolated pair elsewhere does not count.

    >>> from teamweave.analytics.graph import edge_graph
    >>> diameter(edge_graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("x", "y")]))
    3
    """
    giant = largest_component(_simple_undirected(graph))
    if giant.vcount() < 2:
        return 0
    return int(giant.diameter(directed=False, unconn=True, weights=None))


def _simple_undirected(graph: ig.Graph) -> ig.Graph:
    if not graph.is_directed() and graph.is_simple():
        return graph
    g = graph.as_undirected(mode="collapse") if graph.is_directed() else graph.copy()
    g.simplify(multiple=True, loops=True)
    return g

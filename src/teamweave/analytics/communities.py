"""Communities found in the network (Leiden, seeded) and how far they agree with the formal teams."""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping

import igraph as ig

from teamweave.analytics.graph import edge_weights, names
from teamweave.errors import TeamweaveError


def leiden(
    graph: ig.Graph,
    *,
    seed: int,
    weight: str | None = "weight",
    resolution: float = 1.0,
    iterations: int = -1,
) -> dict[str, int]:
    """Communities of people more tied to each other than to the rest, by the Leiden algorithm.

    Maximises modularity (``resolution`` > 1 gives more, smaller communities) until an iteration no longer
    improves it, or for ``iterations`` iterations when that is positive (2 is igraph's and leidenalg's
    default: later iterations rarely change much, and on large graphs cost several times the first two).
    Communities found by Leiden are guaranteed to be connected. The random choices come from a generator
    seeded with ``seed``, so equal input and seed give equal output (igraph's generator is set for the call
    and then given back to Python's ``random`` module, igraph's default). Directed graphs are taken as
    undirected. Returns community numbers ``0, 1, ...`` numbered by first member in vertex order.
    Unit: label.

    References
    ----------
    .. [1] Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
       well-connected communities. Scientific Reports 9, 5233. https://doi.org/10.1038/s41598-019-41695-z
    .. [2] Newman, M. E. J. & Girvan, M. (2004). Finding and evaluating community structure in networks.
       Physical Review E 69, 026113. https://doi.org/10.1103/PhysRevE.69.026113

    Examples
    --------
    A triangle a-b-c with a tail c-d-e: the triangle is one community, the tail d-e another.

    >>> from teamweave.analytics.graph import edge_graph
    >>> g = edge_graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e")])
    >>> leiden(g, seed=1)
    {'a': 0, 'b': 0, 'c': 0, 'd': 1, 'e': 1}
    """
    g = graph.as_undirected(combine_edges="sum") if graph.is_directed() else graph
    weights = edge_weights(g, weight) or None
    ig.set_random_number_generator(random.Random(seed))
    try:
        found = g.community_leiden(
            objective_function="modularity", weights=weights, resolution=resolution, n_iterations=iterations
        )
    finally:
        ig.set_random_number_generator(random)
    renumber: dict[int, int] = {}
    labels = [renumber.setdefault(c, len(renumber)) for c in found.membership]
    return dict(zip(names(g), labels, strict=True))


def modularity(graph: ig.Graph, groups: Mapping[str, Hashable], *, weight: str | None = "weight") -> float:
    """Newman-Girvan modularity of a partition: share of tie weight inside groups minus its expected share.

    ``Q = sum over groups of (e_gg - a_g ** 2)``, ``e_gg`` the share of tie weight inside ``g`` and ``a_g``
    the share of tie ends in ``g``. Unit: -0.5..1; 0 for a random split. Every vertex must have a group.

    References
    ----------
    .. [1] Newman, M. E. J. & Girvan, M. (2004). Finding and evaluating community structure in networks.
       Physical Review E 69, 026113. https://doi.org/10.1103/PhysRevE.69.026113

    Examples
    --------
    A path a-b-c-d-e split {a, b} | {c, d, e}: 3 of 4 ties inside, tie-end shares 3/8 and 5/8.

    >>> from teamweave.analytics.graph import edge_graph
    >>> path = edge_graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    >>> modularity(path, {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2})
    0.21875
    """
    membership = _numbered([groups[name] for name in names(graph)])
    weights = edge_weights(graph, weight) or None
    return float(graph.modularity(membership, weights=weights))


def normalized_mutual_information(found: Mapping[str, Hashable], formal: Mapping[str, Hashable]) -> float:
    """How much knowing someone's found community tells about their formal team, and back. Unit: 0..1.

    ``NMI = 2 I(X; Y) / (H(X) + H(Y))`` over the people present in both mappings: 1 when the communities are
    exactly the teams, 0 when they are independent of them. 1 when both have a single group.

    References
    ----------
    .. [1] Danon, L., Diaz-Guilera, A., Duch, J. & Arenas, A. (2005). Comparing community structure
       identification. Journal of Statistical Mechanics P09008.
       https://doi.org/10.1088/1742-5468/2005/09/P09008

    Examples
    --------
    Five people; the communities match the teams up to naming, then ``c`` is misplaced: both partitions
    split 2-3 (entropy H = 0.673 nats each) and share I = 0.291 nats, so NMI = 2 * 0.291 / 1.346:

    >>> teams = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
    >>> normalized_mutual_information({"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}, teams)
    1.0
    >>> round(normalized_mutual_information({"a": 0, "b": 0, "c": 1, "d": 1, "e": 1}, teams), 4)
    0.4325
    """
    people = sorted(set(found) & set(formal))
    if not people:
        raise TeamweaveError("the two partitions share no one", where="found")
    a = _numbered([found[p] for p in people])
    b = _numbered([formal[p] for p in people])
    if max(a) == 0 and max(b) == 0:
        return 1.0
    return float(ig.compare_communities(a, b, method="nmi"))


def _numbered(labels: list[Hashable]) -> list[int]:
    index: dict[Hashable, int] = {}
    return [index.setdefault(label, len(index)) for label in labels]

"""The pairs igraph is built from (analytics.graph.edge_list), across chunk boundaries."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest

from teamweave.analytics import graph
from teamweave.analytics.graph import EDGE_CHUNK, edge_list


@pytest.mark.parametrize("count", [0, 1, EDGE_CHUNK - 1, EDGE_CHUNK, EDGE_CHUNK + 1, 2 * EDGE_CHUNK + 17])
def test_every_pair_in_order_whatever_the_chunks(count: int) -> None:
    rng = np.random.default_rng(count)
    ends = rng.integers(0, 1_000, size=(count, 2), dtype=np.int64)
    expected = [(int(a), int(b)) for a, b in ends]
    assert list(edge_list(ends)) == expected
    assert ig.Graph(n=1_000, edges=edge_list(ends), directed=True).get_edgelist() == expected


def test_small_chunks_give_the_same_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    ends = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]], dtype=np.int64)
    whole = ig.Graph(n=4, edges=edge_list(ends), directed=True).get_edgelist()
    monkeypatch.setattr(graph, "EDGE_CHUNK", 2)
    assert (
        ig.Graph(n=4, edges=edge_list(ends), directed=True).get_edgelist()
        == whole
        == [tuple(pair) for pair in ends.tolist()]
    )

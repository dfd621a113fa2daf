"""Eigenvector centrality ("standing") against networkx on published networks, weighted and in pieces."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from connector_graph.analysis.centrality import compute_metrics, key_connectors
from connector_graph.analysis.engine import eigenvector
from connector_graph.graph import build_graph

from .helpers import load_graph, node_id

PUBLISHED = {
    "karate": nx.karate_club_graph,
    "florentine": nx.florentine_families_graph,
    "les_miserables": nx.les_miserables_graph,
    "davis_southern_women": nx.davis_southern_women_graph,
}


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_matches_networkx_on_published_networks(store, name):
    original = PUBLISHED[name]()
    load_graph(store, original)
    G = build_graph(store)
    expected = nx.eigenvector_centrality(nx.Graph(original.edges()), max_iter=10_000, tol=1e-12)
    table = compute_metrics(G)
    got = table.values["eigenvector"]
    assert {k: got[node_id(k)] for k in expected} == pytest.approx(expected, abs=1e-7)
    assert not any("separate parts" in note for note in table.notes)
    best = max(expected, key=lambda k: (expected[k], str(k)))
    assert key_connectors(G, top=1, by="eigenvector", table=table)[0].id == node_id(best)


def test_uses_weights_when_present():
    rng = random.Random(3)
    G = nx.les_miserables_graph()  # published co-appearance counts as weights
    for u, v in G.edges():
        G[u][v]["weight"] = G[u][v].get("weight", rng.randint(1, 5))
    expected = nx.eigenvector_centrality(G, weight="weight", max_iter=10_000, tol=1e-12)
    assert eigenvector(G)[0] == pytest.approx(expected, abs=1e-7)
    unweighted = nx.eigenvector_centrality(G, max_iter=10_000, tol=1e-12)
    assert eigenvector(G, weight=None)[0] == pytest.approx(unweighted, abs=1e-7)
    assert eigenvector(G)[0] != pytest.approx(unweighted, abs=1e-3)


def test_each_part_of_a_disconnected_network_is_ranked_on_its_own():
    karate, florentine = nx.karate_club_graph(), nx.florentine_families_graph()
    G = nx.union(karate, florentine)
    G.add_node("alone")
    values, parts = eigenvector(G)
    assert parts == 2 and values["alone"] == 0.0
    n = G.number_of_nodes()
    for part in (karate, florentine):
        alone = nx.eigenvector_centrality(part, weight="weight", max_iter=10_000, tol=1e-12)  # karate has weights
        scale = (part.number_of_nodes() / n) ** 0.5
        assert {k: values[k] / scale for k in alone} == pytest.approx(alone, abs=1e-7)
    # networkx on the whole graph leaves the smaller part at (nearly) zero: ours does not.
    assert values["Medici"] > 0.1
    note = compute_metrics(G).notes
    assert any("2 separate parts" in line for line in note)

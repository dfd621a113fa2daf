"""Communities: seeded Leiden (whatever the engine), and the actors bridging them."""

from __future__ import annotations

import networkx as nx
import pytest

from connector_graph.analysis.communities import bridging_actors, detect_communities
from connector_graph.graph import build_graph

from .helpers import load_graph

BOTH = ["networkx", "igraph"]


@pytest.mark.parametrize("engine", BOTH)
def test_barbell_splits_into_its_two_triangles(engine):
    G = nx.relabel_nodes(nx.barbell_graph(3, 0), str)
    part = detect_communities(G, engine=engine)
    assert [c.members for c in part.communities] == [["0", "1", "2"], ["3", "4", "5"]]
    # Two triangles and one link between them: 2 * (3/7 - (7/14)^2) = 5/14.
    assert part.modularity == pytest.approx(5 / 14)
    assert [c.internal_ties for c in part.communities] == [3, 3]
    assert [(b.id, b.community, b.links_to) for b in bridging_actors(G, part)] == [("2", 1, {2: 1}), ("3", 2, {1: 1})]


def test_empty_edgeless_and_one_actor():
    assert detect_communities(nx.Graph()).communities == []
    G = nx.Graph()
    G.add_nodes_from(["b", "a", "c"])
    part = detect_communities(G)
    assert [c.members for c in part.communities] == [["a"], ["b"], ["c"]] and part.modularity == 0
    assert bridging_actors(G, part) == []


@pytest.mark.parametrize("engine", BOTH)
def test_planted_groups_are_found_and_seeded(engine):
    G = nx.relabel_nodes(nx.planted_partition_graph(4, 20, 0.6, 0.01, seed=4), lambda n: f"n{n:03d}")
    part = detect_communities(G, seed=3, engine=engine)
    planted = [[f"n{i:03d}" for i in range(g * 20, g * 20 + 20)] for g in range(4)]
    assert sorted(c.members for c in part.communities) == planted
    again = detect_communities(G, seed=3, engine=engine)
    assert again.membership == part.membership and again.modularity == part.modularity


def test_engines_reach_similar_modularity():
    G = nx.relabel_nodes(nx.powerlaw_cluster_graph(400, 3, 0.3, seed=1), str)
    a = detect_communities(G, seed=0, engine="networkx").modularity
    b = detect_communities(G, seed=0, engine="igraph").modularity
    assert a == pytest.approx(b, abs=0.03) and a > 0.3


def test_main_ward_and_membership_through_a_store(store):
    G0 = nx.barbell_graph(4, 0)
    load_graph(store, G0, ward="Armley")
    part = detect_communities(build_graph(store))
    assert [c.size for c in part.communities] == [4, 4]
    assert all(c.main_ward == "Armley" for c in part.communities)
    assert set(part.membership) == {str(n) for n in G0}


def test_modularity_matches_networkx_with_weights():
    G = nx.relabel_nodes(nx.powerlaw_cluster_graph(200, 3, 0.3, seed=5), str)
    for i, (u, v) in enumerate(G.edges()):
        G[u][v]["weight"] = 1 + i % 4
    for engine in BOTH:
        part = detect_communities(G, seed=2, engine=engine)
        groups = [set(c.members) for c in part.communities]
        assert part.modularity == pytest.approx(nx.community.modularity(G, groups, weight="weight"), abs=1e-12)
        assert [c.internal_ties for c in part.communities] == [G.subgraph(g).number_of_edges() for g in groups]

"""Published networks through the whole path: store, projection, analysis.

Each answer is checked three ways: against the published value, against
python-igraph run directly on the original edge list (an independent
implementation), and on both storage backends.
"""

from __future__ import annotations

import igraph as ig
import networkx as nx
import pytest

from connector_graph.analysis.centrality import compute_metrics, key_connectors
from connector_graph.analysis.communities import detect_communities
from connector_graph.analysis.gaps import single_points
from connector_graph.graph import build_graph

from .helpers import load_graph, node_id


def independent(G: nx.Graph) -> dict[str, dict[str, float]]:
    """Betweenness, harmonic closeness, PageRank and constraint straight from igraph."""
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    n = len(nodes)
    between = g.betweenness(directed=False)
    return {
        "betweenness": {node_id(v): between[i] * 2 / ((n - 1) * (n - 2)) for i, v in enumerate(nodes)},
        "closeness": {node_id(v): c for v, c in zip(nodes, g.harmonic_centrality(normalized=True))},
        "pagerank": {node_id(v): p for v, p in zip(nodes, g.pagerank(directed=False))},
        "constraint": {node_id(v): c for v, c in zip(nodes, g.constraint())},
        "degree": {node_id(v): d / (n - 1) for v, d in zip(nodes, g.degree())},
    }


def check_against(values: dict, reference: dict) -> None:
    for key, expected in reference.items():
        assert values[key] == pytest.approx(expected, rel=1e-6, abs=1e-9), key


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_karate_club(store, engine):
    karate = nx.karate_club_graph()
    load_graph(store, karate)
    G = build_graph(store)
    assert (G.number_of_nodes(), G.number_of_edges()) == (34, 78)
    values = compute_metrics(G, engine=engine).values
    check_against(values, independent(karate))
    # Published: Zachary (1977); betweenness as in Newman & Girvan (2004), normalised.
    assert values["betweenness"]["0"] == pytest.approx(0.437635, abs=1e-6)  # Mr Hi, the instructor
    assert values["betweenness"]["33"] == pytest.approx(0.304075, abs=1e-6)  # the administrator
    assert [c.id for c in key_connectors(G, top=2, by="betweenness", table=compute_metrics(G, engine=engine))] == [
        "0",
        "33",
    ]
    assert [c.id for c in key_connectors(G, top=2, by="degree")] == ["33", "0"]  # 17 and 16 members
    # Louvain finds 4 communities with modularity about 0.42 (Blondel et al. 2008: 0.42).
    partition = detect_communities(G, seed=1, engine=engine)
    assert 0.40 <= partition.modularity <= 0.4199 + 1e-4
    assert 3 <= len(partition.communities) <= 5
    # The instructor and the administrator end up in different communities.
    assert partition.membership["0"] != partition.membership["33"]
    # Node 0 is the club's one articulation point (member 11 hangs on the instructor alone).
    assert [p.actor.id for p in single_points(G).cut_points] == ["0"]
    assert sorted(nx.articulation_points(karate)) == [0]


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_florentine_families(store, engine):
    families = nx.florentine_families_graph()
    load_graph(store, families)
    G = build_graph(store)
    assert (G.number_of_nodes(), G.number_of_edges()) == (15, 20)
    values = compute_metrics(G, engine=engine).values
    check_against(values, independent(families))
    # Padgett & Ansell (1993): the Medici are the top broker of the marriage network.
    assert values["betweenness"]["Medici"] == pytest.approx(0.521978, abs=1e-6)
    table = compute_metrics(G, engine=engine)
    for by in ("betweenness", "score", "effective_size", "closeness", "degree"):
        assert key_connectors(G, top=1, by=by, table=table)[0].id == "Medici", by
    assert key_connectors(G, top=1, by="constraint", table=table)[0].id == "Medici"
    # Cutting the Medici off splits the network: Acciaiuoli, and the Salviati-Pazzi branch.
    medici = next(p for p in single_points(G).cut_points if p.actor.id == "Medici")
    assert medici.pieces == [11, 2, 1] and medici.cut_off == 3
    assert sorted(p.actor.id for p in single_points(G).cut_points) == sorted(nx.articulation_points(families))


def test_sampled_bridging_finds_the_same_top_connectors_on_a_larger_network():
    """Seeded pivots, both engines equal, and the sampled top 10 close to the exact top 10."""
    G = nx.relabel_nodes(nx.powerlaw_cluster_graph(600, 3, 0.4, seed=2), str)
    exact = compute_metrics(G, engine="igraph", exact=True).values["betweenness"]
    sampled = compute_metrics(G, engine="igraph", exact=False, samples=256, seed=0).values["betweenness"]
    reference = compute_metrics(G, engine="networkx", exact=False, samples=256, seed=0).values["betweenness"]
    assert sampled == pytest.approx(reference, abs=1e-12)
    best = lambda d: set(sorted(d, key=lambda n: (-d[n], n))[:10])  # noqa: E731
    assert len(best(exact) & best(sampled)) >= 8

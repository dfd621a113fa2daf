"""Key connector measures: hand-computed answers on tiny graphs, and engine agreement."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from connector_graph.analysis import engine as engines
from connector_graph.analysis.gaps import cut_off_by
from connector_graph.analysis.centrality import (
    COMPOSITE_WEIGHTS,
    METRICS,
    brokerage,
    compute_metrics,
    key_connectors,
    percentile_ranks,
)
from connector_graph.graph import build_graph

from .helpers import load_graph

BOTH = ["networkx", "igraph"]


def bowtie() -> nx.Graph:
    """Two triangles joined by one person, m."""
    return nx.Graph([("a", "b"), ("a", "m"), ("b", "m"), ("c", "d"), ("c", "m"), ("d", "m")])


def values(G: nx.Graph, engine: str = "networkx", **kw) -> dict:
    return compute_metrics(G, engine=engine, **kw).values


@pytest.mark.parametrize("engine", BOTH)
def test_path(engine):
    v = values(nx.path_graph(["a", "b", "c", "d"]), engine)
    assert v["degree"] == pytest.approx({"a": 1 / 3, "b": 2 / 3, "c": 2 / 3, "d": 1 / 3})
    assert v["betweenness"] == pytest.approx({"a": 0, "b": 2 / 3, "c": 2 / 3, "d": 0})
    assert v["closeness"] == pytest.approx({"a": 11 / 18, "b": 5 / 6, "c": 5 / 6, "d": 11 / 18})
    assert v["effective_size"]["a"] == 1 and v["constraint"]["a"] == 1


@pytest.mark.parametrize("engine", BOTH)
def test_star(engine):
    G = nx.star_graph(["hub", "l1", "l2", "l3", "l4"])
    v = values(G, engine)
    assert v["degree"]["hub"] == 1 and v["betweenness"]["hub"] == 1 and v["closeness"]["hub"] == 1
    assert v["closeness"]["l1"] == pytest.approx((1 + 3 * 0.5) / 4)
    assert v["effective_size"]["hub"] == pytest.approx(4) and v["constraint"]["hub"] == pytest.approx(0.25)
    assert v["effective_size"]["l1"] == pytest.approx(1) and v["constraint"]["l1"] == pytest.approx(1)
    # PageRank of a star: the hub holds (1 + 0.85 * 4) / 5 / (1 + 0.85) of it... check it sums and leads.
    assert sum(v["pagerank"].values()) == pytest.approx(1)
    assert v["pagerank"]["hub"] > 0.4 and v["pagerank"]["l1"] == pytest.approx(v["pagerank"]["l4"])
    assert [c.id for c in key_connectors(G, top=1, engine=engine)] == ["hub"]


@pytest.mark.parametrize("engine", BOTH)
def test_barbell(engine):
    G = nx.barbell_graph(3, 0)  # triangles {0,1,2} and {3,4,5}, joined by 2-3
    v = values(G, engine)
    assert v["betweenness"] == pytest.approx({0: 0, 1: 0, 2: 0.6, 3: 0.6, 4: 0, 5: 0})
    assert v["closeness"][2] == pytest.approx((1 + 1 + 1 + 0.5 + 0.5) / 5)
    assert v["effective_size"][2] == pytest.approx(3 - 2 * 1 / 3)


@pytest.mark.parametrize("engine", BOTH)
def test_two_triangles_joined_by_one_person(engine):
    v = values(bowtie(), engine)
    assert v["betweenness"] == pytest.approx({"a": 0, "b": 0, "c": 0, "d": 0, "m": 4 / 6})
    assert v["closeness"]["m"] == 1 and v["closeness"]["a"] == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert v["effective_size"]["m"] == pytest.approx(3)
    assert v["constraint"]["m"] == pytest.approx(4 * (1 / 4 + 1 / 8) ** 2)
    ranked = key_connectors(bowtie(), top=None, engine=engine)
    assert ranked[0].id == "m" and ranked[0].rank == 1 and len(ranked) == 5


def test_empty_graph_and_one_actor():
    assert key_connectors(nx.Graph(), top=5) == []
    G = nx.Graph()
    G.add_node("solo", name="Solo", actor_type="person", roles=["resident"])
    (only,) = key_connectors(G)
    assert (only.degree, only.betweenness, only.closeness, only.pagerank) == (0, 0, 0, 1)
    assert only.effective_size is None and only.constraint is None and only.name == "Solo"


@pytest.mark.parametrize("engine", BOTH)
def test_disconnected_parts(engine):
    G = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    G.add_node("z")
    v = values(G, engine)
    assert v["closeness"] == pytest.approx({"a": 0.2, "b": 0.2, "c": 0.3, "d": 0.4, "e": 0.3, "z": 0})
    assert v["betweenness"]["d"] == pytest.approx(1 / 10)
    assert v["effective_size"]["z"] is None and v["pagerank"]["z"] > 0
    assert sum(v["pagerank"].values()) == pytest.approx(1)


def test_sorting_by_each_measure_and_constraint_ascending():
    G = bowtie()
    G.add_edge("d", "e")
    for key in METRICS:
        ranked = key_connectors(G, top=None, by=key)
        got = [getattr(c, key) for c in ranked]
        if METRICS[key].higher_is_better:
            assert got == sorted(got, reverse=True), key
        else:
            assert got == sorted(got), key
    assert key_connectors(G, top=1, by="constraint")[0].id == "m"
    with pytest.raises(ValueError):
        key_connectors(G, by="fame")


def test_introductions_made_feed_the_ranking():
    G = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(G, {"a": 5, "b": 0, "c": 1}, "introductions_made")
    ranked = key_connectors(G, top=None, by="introductions")
    assert [(c.id, c.introductions) for c in ranked] == [("a", 5), ("c", 1), ("b", 0)]


def test_composite_score_is_the_weighted_percentile_mean():
    assert sum(COMPOSITE_WEIGHTS.values()) == pytest.approx(1)
    G = nx.Graph([("hub", x) for x in "abcd"] + [("a", "b")])
    table = compute_metrics(G)
    expected = {n: 0.0 for n in G}
    for metric, weight in COMPOSITE_WEIGHTS.items():
        for node, pct in percentile_ranks(table.values[metric]).items():
            expected[node] += weight * pct
    assert table.values["score"] == pytest.approx(expected)
    assert table.values["score"]["hub"] == pytest.approx(0.95)  # top everywhere; introductions all tie at 0.5
    assert percentile_ranks({}) == {}
    assert percentile_ranks({"a": None, "b": 1}) == {"a": 0.0, "b": 1.0}


def test_graph_is_not_mutated():
    G = bowtie()
    before = (list(G.nodes(data=True)), list(G.edges(data=True)))
    compute_metrics(G)
    compute_metrics(G, engine="igraph", exact=False, samples=3)
    assert (list(G.nodes(data=True)), list(G.edges(data=True))) == before


def test_metric_explanations_are_plain_one_liners():
    assert list(METRICS) == [
        "degree", "betweenness", "closeness", "pagerank", "eigenvector", "effective_size", "constraint",
        "introductions", "score",
    ]
    for metric in METRICS.values():
        assert metric.explanation.startswith(metric.label + ":") and "\n" not in metric.explanation
    # Bridging is betweenness (shortest routes), not a cut point: on a ring everyone bridges, no one cuts anyone off.
    bridging = METRICS["betweenness"].explanation
    assert "shortest routes" in bridging and "otherwise not be connected" not in bridging
    ring = nx.cycle_graph(6)
    assert all(value > 0 for value in compute_metrics(ring).values["betweenness"].values())
    assert all(cut_off_by(ring, node) == [] for node in ring)


# ----------------------------------------------------------- engine agreement


def community_like(n: int = 250, seed: int = 3) -> nx.Graph:
    G = nx.powerlaw_cluster_graph(n, 3, 0.3, seed=seed)
    G = nx.relabel_nodes(G, {i: f"n{i:04d}" for i in G})
    G.add_edges_from([("x1", "x2"), ("x2", "x3")])  # a separate part
    G.add_node("alone")
    for i, (u, v) in enumerate(G.edges()):
        G[u][v]["weight"] = 1 + i % 3
    return G


def top(d: dict, k: int = 10) -> list:
    """The top k, with values rounded so that float noise cannot reorder exact ties."""
    return sorted(d, key=lambda n: (-round(d[n] if d[n] is not None else -1.0, 9), n))[:k]


@pytest.mark.parametrize("exact", [True, False])
def test_igraph_agrees_with_networkx(exact):
    G = community_like()
    nxv = values(G, "networkx", exact=exact, samples=64, seed=7)
    igv = values(G, "igraph", exact=exact, samples=64, seed=7)
    for key in ("degree", "betweenness", "closeness", "pagerank", "effective_size", "constraint", "score"):
        for node in G:
            a, b = nxv[key][node], igv[key][node]
            assert (a is None) == (b is None), (key, node)
            if a is not None:
                assert b == pytest.approx(a, rel=1e-6, abs=1e-9), (key, node)
        if key != "constraint":
            assert top(nxv[key]) == top(igv[key]), key


def test_pagerank_matches_networkx_reference():
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    G = community_like(120)
    expected = _pagerank_python(G, weight="weight", tol=1e-12, max_iter=1000)
    for engine in BOTH:
        assert engines.pagerank(G, engine=engine) == pytest.approx(expected, abs=1e-8)


def test_sampled_betweenness_matches_networkx_sampling():
    G = community_like(150)
    got = engines.betweenness(G, k=20, seed=11, engine="igraph")
    assert got == pytest.approx(nx.betweenness_centrality(G, k=20, seed=11), abs=1e-12)


def test_work_split_over_cores_gives_the_same_answer(monkeypatch):
    G = community_like(300)
    single = engines.betweenness(G, engine="igraph")
    single_close = engines.harmonic_closeness(G, engine="igraph")
    monkeypatch.setattr(engines, "PARALLEL_WORK", 0)
    monkeypatch.setattr(engines, "_cores", lambda: 2)
    assert engines._can_fork()
    calls = []
    real = engines._map_over_cores

    def spy(function, g, items):
        calls.append(len(items))
        return real(function, g, items)

    monkeypatch.setattr(engines, "_map_over_cores", spy)
    assert engines.betweenness(G, engine="igraph") == pytest.approx(single, abs=1e-12)
    assert engines.harmonic_closeness(G, engine="igraph") == pytest.approx(single_close, abs=1e-12)
    sampled = engines.betweenness(G, k=30, seed=2, engine="igraph")
    assert sampled == pytest.approx(nx.betweenness_centrality(G, k=30, seed=2), abs=1e-12)
    assert calls == [G.number_of_nodes(), G.number_of_nodes(), 30]


def test_two_threads_splitting_work_at_once_each_get_their_own_graphs_answer(monkeypatch):
    """The forked workers read the graph from a module global: two threads must not swap it (a server's
    shared analysis and a page can both split work over the cores)."""
    import threading

    graphs = [community_like(200 + 40 * i) for i in range(4)]
    expected = [engines.betweenness(G, engine="igraph") for G in graphs]
    monkeypatch.setattr(engines, "PARALLEL_WORK", 0)
    monkeypatch.setattr(engines, "_cores", lambda: 2)
    assert engines._can_fork()
    got: dict[int, dict] = {}
    start = threading.Barrier(len(graphs))

    def work(i: int) -> None:
        start.wait()
        got[i] = engines.betweenness(graphs[i], engine="igraph")

    for _ in range(3):
        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(graphs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for i, values in enumerate(expected):
            assert got[i] == pytest.approx(values, abs=1e-12)


def test_engine_is_chosen_by_size():
    assert engines.choose_engine(nx.path_graph(engines.ACCELERATE_FROM - 1)) == "networkx"
    assert engines.choose_engine(nx.path_graph(engines.ACCELERATE_FROM)) == "igraph"
    assert compute_metrics(nx.path_graph(engines.ACCELERATE_FROM)).engine == "igraph"
    with pytest.raises(ValueError):
        engines.choose_engine(nx.path_graph(3), "rust")


def test_sampling_above_the_exact_limit_is_seeded(monkeypatch):
    from connector_graph.analysis import centrality

    G = community_like(120)
    monkeypatch.setattr(centrality, "EXACT_LIMIT_NETWORKX", 100)
    first = compute_metrics(G, engine="networkx", samples=40, seed=5)
    assert not first.exact and first.samples == 40 and first.notes
    assert compute_metrics(G, engine="networkx", samples=40, seed=5).values == first.values
    assert compute_metrics(G, engine="networkx", samples=40, seed=6).values["betweenness"] != first.values["betweenness"]


# ------------------------------------------------------------ through a store


def test_same_answers_from_either_backend(store):
    load_graph(store, bowtie(), connectors={"m"})
    G = build_graph(store)
    ranked = key_connectors(G, top=None)
    assert [c.id for c in ranked][0] == "m"
    m = ranked[0]
    assert (m.degree, m.betweenness, m.closeness) == (1.0, pytest.approx(4 / 6), 1.0)
    assert m.effective_size == pytest.approx(3) and m.constraint == pytest.approx(0.5625)
    assert m.roles == ["connector"] and m.ward == "Armley"
    assert all(math.isfinite(c.score) for c in ranked)


def test_brokerage_matches_networkx_burt_measures():
    graphs = [nx.karate_club_graph(), nx.barbell_graph(4, 2), community_like(150)]
    for G in graphs:
        G.add_node("alone")
        expected_size, expected_constraint = nx.effective_size(G), nx.constraint(G)
        for engine in BOTH:
            size, constraint = brokerage(G, engine=engine)
            for node in G:
                if math.isnan(expected_size[node]):
                    assert size[node] is None and constraint[node] is None
                else:
                    assert size[node] == pytest.approx(expected_size[node], abs=1e-9)
                    assert constraint[node] == pytest.approx(expected_constraint[node], abs=1e-9)

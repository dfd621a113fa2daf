"""Work done beside the measures, in a forked process, gives exactly what the caller would compute."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from connector_graph.analysis import engine as engines
from connector_graph.analysis.report import network_report


def _city(n: int = 6000, seed: int = 3) -> nx.Graph:
    G = nx.relabel_nodes(nx.powerlaw_cluster_graph(n, 4, 0.3, seed=seed), lambda i: f"a{i:05d}")
    for i, node in enumerate(sorted(G)):
        G.nodes[node].update(name=f"Actor {i}", actor_type="organisation" if i % 9 == 0 else "person",
                             ward=f"W{i % 7}", sector="health" if i % 18 == 0 else ("faith" if i % 9 == 0 else None),
                             roles=["connector"] if i % 50 == 0 else ["resident"], introductions_made=i % 4)
    for u, v in G.edges:
        G[u][v].update(weight=1, kinds=["knows"] if (hash(u) + hash(v)) % 5 else [], introductions=0)
    G.add_node("alone", name="Alone", actor_type="person", ward="W1", roles=["resident"], introductions_made=0)
    return G


def _rounded(value):
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return float(f"{value:.9g}")
    return value


@pytest.mark.skipif(not engines._can_fork(), reason="fork is not available here")
def test_the_forked_report_equals_the_in_process_one(monkeypatch):
    G = _city()
    assert G.number_of_nodes() >= engines.BESIDE_FROM
    today = dt.date(2026, 1, 1)
    beside = network_report(G, top=15, today=today)
    monkeypatch.setattr(engines, "BESIDE_FROM", 10**9)
    in_process = network_report(nx.Graph(G), top=15, today=today)
    assert _rounded(beside) == _rounded(in_process)  # PageRank's last bits depend on edge order
    assert beside["gaps"]["isolated"]["count"] == 1 and beside["network"]["exact"] is False


def test_beside_runs_in_the_caller_for_small_work():
    with engines.beside(lambda a, b: a * b, 6, 7, size=10) as result:
        pass
    assert result() == 42

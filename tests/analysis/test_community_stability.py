"""Communities are one algorithm (Leiden): the same across runs and engines, and unmoved by one new isolated actor."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from connector_graph.analysis.communities import detect_communities
from connector_graph.graph import build_graph
from connector_graph.seed import generate

from .helpers import load_graph, person


def groups(part) -> set[frozenset[str]]:
    return {frozenset(c.members) for c in part.communities}


@pytest.mark.parametrize("size", ["karate", 400])
def test_same_partition_across_runs_and_engines_and_one_new_isolated_actor(store, size):
    if size == "karate":
        load_graph(store, nx.karate_club_graph())
    else:
        store.bulk_load(generate(size, seed=11, today=dt.date(2026, 1, 1)))
    G = build_graph(store)
    first = detect_communities(G, engine="networkx")
    assert detect_communities(G, engine="igraph").membership == first.membership
    assert detect_communities(build_graph(store), engine="auto").membership == first.membership
    assert first.engine == "leiden" and len(first.communities) > 1
    # One new actor with no links (an id sorting first, so every position moves) changes no one's group.
    store.add_person(person("0000-new", "New Neighbour"))
    grown = detect_communities(build_graph(store))
    assert groups(grown) == groups(first) | {frozenset({"0000-new"})}
    bigger = [c for c in grown.communities if c.size > 1]
    assert [(c.number, c.members) for c in bigger] == [(c.number, c.members) for c in first.communities if c.size > 1]


def test_modularity_at_least_louvain_on_karate():
    G = nx.karate_club_graph()
    ours = detect_communities(G).modularity
    louvain = max(nx.community.modularity(G, nx.community.louvain_communities(G, weight="weight", seed=s),
                                          weight="weight") for s in range(5))
    assert ours >= louvain - 1e-9


def test_a_previous_partition_is_the_starting_point():
    G = nx.relabel_nodes(nx.powerlaw_cluster_graph(300, 3, 0.3, seed=2), lambda n: f"n{n:03d}")
    before = detect_communities(G, seed=1)
    G.add_edge("n299", "extra")
    after = detect_communities(G, seed=5, previous=before.membership)
    moved = [m for m in before.membership if after.membership[m] != after.membership[before.communities[
        before.membership[m] - 1].members[0]]]
    assert len(moved) <= 0.05 * len(before.membership)

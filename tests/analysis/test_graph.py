"""The projection from a store to the analysis graph, on both backends."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from connector_graph.graph import build_graph, clear_graph_cache, graph_for_analysis
from connector_graph.store import Batch

from .helpers import intro, org, person, tie

D1, D2, D3 = dt.date(2025, 1, 10), dt.date(2025, 3, 10), dt.date(2025, 5, 10)


@pytest.fixture
def network(store):
    """A connector, three residents, two organisations in two wards, ties and introductions."""
    store.bulk_load(
        Batch(
            people=[
                person("con", "Cath", roles=["connector", "worker"], ward="Armley"),
                person("ann", "Ann", ward="Armley"),
                person("bob", "Bob", ward="Bramley"),
                person("cyd", "Cyd", ward="Armley"),
            ],
            organisations=[
                org("lib", "Library", sector="statutory", kind="library", ward="Armley"),
                org("gar", "Garden Club", kind="community_group", ward="Bramley"),
            ],
            ties=[
                tie("con", "ann", since=D1),
                tie("con", "ann", kind="partners_with", since=D1),
                tie("con", "bob", since=D3),
                tie("bob", "gar", kind="member_of"),
            ],
            introductions=[
                intro("i1", "con", "ann", "gar", day=D1, status="made"),
                intro("i2", "con", "bob", "lib", day=D2, status="planned"),
                intro("i3", "ann", "cyd", "lib", day=D3, status="followed_up"),
                intro("i4", "con", "ann", "gar", day=D2, status="declined"),
            ],
        )
    )
    return store


def edges(G: nx.Graph) -> dict:
    return {tuple(sorted((u, v))): (d["weight"], d["kinds"], d["introductions"]) for u, v, d in G.edges(data=True)}


def test_nodes_carry_their_attributes(network):
    G = build_graph(network)
    assert list(G.nodes) == sorted(G.nodes)
    assert G.nodes["con"] == {
        "name": "Cath",
        "actor_type": "person",
        "ward": "Armley",
        "sector": None,
        "kind": None,
        "roles": ["connector", "worker"],
        "introductions_made": 1,  # i1 happened; i2 is only planned and i4 was declined
    }
    assert G.nodes["lib"]["sector"] == "statutory" and G.nodes["lib"]["kind"] == "library"
    assert G.nodes["lib"]["roles"] == [] and G.nodes["lib"]["actor_type"] == "organisation"


def test_ties_and_introductions_become_weighted_edges(network):
    assert edges(build_graph(network)) == {
        ("ann", "con"): (2 + 1, ["knows", "partners_with"], 1),  # two ties, introducer of i1 (i4 was declined)
        ("bob", "con"): (1, ["knows"], 0),  # i2 is only planned: not a link (analysis/links.py)
        ("bob", "gar"): (1, ["member_of"], 0),
        ("con", "gar"): (1, [], 1),  # i1 made; i4 declined adds nothing, not even to its introducer
        ("ann", "gar"): (1, [], 1),
        ("ann", "cyd"): (1, [], 1),
        ("ann", "lib"): (1, [], 1),
        ("cyd", "lib"): (1, [], 1),  # i3 followed up
    }


def test_as_of_leaves_out_later_ties_and_introductions(network):
    G = build_graph(network, as_of=D2)
    assert ("bob", "con") not in edges(G)  # the tie began later and i2 is only planned
    assert ("con", "gar") in edges(G) and ("ann", "gar") in edges(G)  # i1 had happened by then
    assert ("ann", "cyd") not in edges(G)
    assert ("bob", "gar") in edges(G)  # undated tie always kept
    assert G.nodes["con"]["introductions_made"] == 1 and G.nodes["ann"]["introductions_made"] == 0
    assert build_graph(network, as_of=D1 - dt.timedelta(days=1)).number_of_edges() == 1


def test_ward_filter_keeps_only_those_wards(network):
    G = build_graph(network, wards=["Bramley"])
    assert sorted(G.nodes) == ["bob", "gar"] and edges(G) == {("bob", "gar"): (1, ["member_of"], 0)}
    assert build_graph(network, wards=[]).number_of_nodes() == 0


def test_without_organisations_and_by_tie_kind(network):
    G = build_graph(network, include_organisations=False)
    assert sorted(G.nodes) == ["ann", "bob", "con", "cyd"]
    G = build_graph(network, tie_kinds=["member_of"])
    assert edges(G)[("bob", "gar")] == (1, ["member_of"], 0)
    assert edges(G)[("ann", "con")] == (1, [], 1)  # introductions that happened are always kept (i1)


def test_empty_store_gives_empty_graph(store):
    G = build_graph(store)
    assert G.number_of_nodes() == 0 and G.number_of_edges() == 0


def test_cache_follows_the_graph_version(network):
    clear_graph_cache()
    first = graph_for_analysis(network)
    assert graph_for_analysis(network) is first
    assert graph_for_analysis(network, wards=["Armley"]) is not first
    network.add_person(person("dee", ward="Armley"))
    again = graph_for_analysis(network)
    assert again is not first and "dee" in again

"""Suggestions: matches for a person, unlinked pairs, and bridges between communities."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from connector_graph.analysis.communities import detect_communities
from connector_graph.analysis.suggestions import (
    bridge_candidates,
    matching_tags,
    neighbouring_wards,
    suggest_for_person,
    suggest_links,
    unlinked_community_pairs,
)
from connector_graph.graph import build_graph
from connector_graph.store import Batch

from .helpers import org, person, tie


@pytest.fixture
def town(store):
    store.bulk_load(
        Batch(
            people=[
                person("ann", "Ann", ward="Armley", interests=["gardening"], needs=["company"]),
                person("cat", "Cath", ward="Armley", roles=["connector"]),
                person("dev", "Dev", ward="Bramley", gifts=["good company"], roles=["volunteer"]),
                person("eve", "Eve", ward="Far", gifts=["gardening"]),
                person("fay", "Fay", ward="Armley", skills=["gardening"]),
                person("gil", "Gil", ward="Armley", roles=["connector"]),
            ],
            organisations=[
                org("club", "Garden Club", ward="Armley", offers=["community gardening"]),
                org("cafe", "Chat Cafe", ward="Bramley", offers=["company", "tea"]),
                org("gym", "Gym", ward="Armley", offers=["weights"]),
                org("far", "Far Allotments", ward="Far", offers=["gardening"]),
            ],
            ties=[
                tie("ann", "cat"),
                tie("cat", "club", kind="partners_with"),
                tie("cat", "dev"),
                tie("ann", "fay"),
                tie("gil", "cafe", kind="works_at"),
                tie("eve", "far", kind="member_of"),
            ],
        )
    )
    return store


def test_person_suggestions_with_introducer_and_reasons(town):
    G = build_graph(town)
    actors = {a.id: a for a in town.iter_actors()}
    found = suggest_for_person(G, actors, "ann")
    # The club and Dev share Cath with Ann (resource allocation 1/3 each); the club also offers gardening.
    assert [s.target_id for s in found[:2]] == ["club", "dev"]
    club, dev = found[:2]
    assert club.introducer_id == "cat" and club.matched == ["gardening"]
    assert club.reasons == [
        "both know Cath",
        "Garden Club offers community gardening; Ann is interested in gardening",
        "both in Armley",
        "Cath knows both",
    ]
    assert "Dev offers good company; Ann is looking for company" in dev.reasons
    cafe = next(s for s in found if s.target_id == "cafe")
    assert "Chat Cafe offers company; Ann is looking for company" in cafe.reasons
    assert cafe.introducer_id == "cat"  # knows Ann; Gil only knows the cafe
    assert "fay" not in {s.target_id for s in found}  # already linked
    assert {s.target_type for s in suggest_for_person(G, actors, "ann", include_people=False)} == {"organisation"}
    with pytest.raises(ValueError):
        suggest_for_person(G, actors, "club")


def test_neighbouring_wards_and_tag_matching(town):
    assert neighbouring_wards(build_graph(town)) == {"Armley": {"Bramley"}, "Bramley": {"Armley"}}
    assert matching_tags(["chess", "art classes"], ["modern art", "chessboxing"]) == ["art classes"]
    assert matching_tags(["tea"], []) == []


def test_unlinked_pairs_on_a_square():
    G = nx.cycle_graph(["a", "b", "c", "d"])
    found = suggest_links(G, people_only=False)
    assert [(s.a_id, s.b_id, s.shared) for s in found] == [("a", "c", ["b", "d"]), ("b", "d", ["a", "c"])]
    assert found[0].score == pytest.approx(2 / math.log(2))
    assert found[0].reason == "not linked yet, but both know b, d"
    assert suggest_links(nx.complete_graph(4)) == [] and suggest_links(nx.Graph()) == []


def test_unlinked_pairs_skip_organisations_and_big_hubs():
    G = nx.star_graph(["hub", "a", "b", "org"])
    G.nodes["org"]["actor_type"] = "organisation"
    assert [(s.a_id, s.b_id) for s in suggest_links(G)] == [("a", "b")]
    assert suggest_links(G, max_hub=2) == []


def test_bridges_between_communities():
    G = nx.Graph([("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("b2", "b3"), ("b1", "b3")])
    G.nodes["a2"]["roles"] = ["connector"]
    part = detect_communities(G)
    assert unlinked_community_pairs(G, part) == [(1, 2)]
    best = bridge_candidates(G, part, 1, 2, top=1)[0]
    assert best.ids == ["a2", "b1"] and "would connect them" in best.reason
    with pytest.raises(ValueError):
        bridge_candidates(G, part, 1, 9)


def test_bridge_candidate_who_already_knows_both_sides():
    G = nx.Graph([("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("b2", "b3"), ("b1", "b3")])
    G.add_edges_from([("m", "a1"), ("m", "a2"), ("m", "b1")])
    # m's own group is a tight four (m, x, y, z all know each other), so it is a community of its own
    G.add_edges_from([("m", "x"), ("x", "y"), ("y", "m"), ("x", "z"), ("y", "z"), ("m", "z")])
    part = detect_communities(G)
    a, b = part.membership["a1"], part.membership["b1"]
    assert part.membership["m"] not in (a, b)
    best = bridge_candidates(G, part, a, b)[0]
    assert best.ids == ["m"] and best.score == 1

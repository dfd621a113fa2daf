"""Gaps: isolated and fragile actors, single points of failure, coverage and record checks."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from connector_graph.analysis.gaps import (
    isolated_actors,
    months_before,
    overdue_follow_ups,
    single_points,
    stale_ties,
    tie_matrix,
    unlinked_organisations,
    ward_stats,
)
from connector_graph.graph import build_graph
from connector_graph.model import Ward
from connector_graph.store import Batch

from .helpers import intro, org, person, tie

TODAY = dt.date(2026, 6, 1)


def named(G: nx.Graph) -> nx.Graph:
    for node in G:
        G.nodes[node].update(name=str(node).title(), actor_type="person", ward=None, roles=["resident"])
    return G


def test_empty_and_one_actor():
    assert isolated_actors(nx.Graph()) == [] and single_points(nx.Graph()).cut_points == []
    G = named(nx.Graph())
    G.add_node("solo", name="Solo", actor_type="person")
    assert [a.id for a in isolated_actors(G)] == ["solo"]
    sp = single_points(G)
    assert (sp.cut_points, sp.bridges, sp.fragile) == ([], [], [])


def test_path_every_inner_actor_is_a_cut_point():
    sp = single_points(named(nx.path_graph(["a", "b", "c", "d", "e"])))
    assert {p.actor.id: (p.pieces, p.cut_off) for p in sp.cut_points} == {
        "b": ([3, 1], 1),
        "c": ([2, 2], 2),
        "d": ([3, 1], 1),
    }
    assert len(sp.bridges) == 4 and sp.bridges[0].cut_off == 2
    # c splits the path in two equal halves; the half found second (d, e) counts as cut off.
    assert {f.actor.id: f.via.id for f in sp.fragile} == {"a": "b", "d": "c", "e": "d"}


def test_star_hub_holds_everyone():
    sp = single_points(named(nx.star_graph(["hub", "a", "b", "c", "d"])))
    (hub,) = sp.cut_points
    assert hub.actor.id == "hub" and hub.pieces == [1, 1, 1, 1] and hub.cut_off == 3
    assert hub.sentence == "If Hub left, 3 people would lose their only link to the rest of the network."
    assert {f.actor.id for f in sp.fragile} == {"a", "b", "c", "d"}
    assert all(f.reason == "one tie only, to Hub" for f in sp.fragile)


def test_barbell_bridge_and_its_ends():
    G = named(nx.barbell_graph(3, 0))
    sp = single_points(G)
    assert [(p.actor.id, p.pieces, p.cut_off) for p in sp.cut_points] == [("2", [3, 2], 2), ("3", [3, 2], 2)]
    (bridge,) = sp.bridges
    assert (bridge.a.id, bridge.b.id, bridge.cut_off) == ("2", "3", 3)
    assert "would be cut off" in bridge.sentence
    # Beyond each end of the bridge, two people reach the rest only through that end.
    assert {f.actor.id: f.via.id for f in sp.fragile} == {"0": "2", "1": "2", "4": "3", "5": "3"}
    assert single_points(G, max_pocket=1).fragile == []


def test_two_triangles_joined_by_one_person():
    G = named(nx.Graph([("a", "b"), ("a", "m"), ("b", "m"), ("c", "d"), ("c", "m"), ("d", "m")]))
    sp = single_points(G)
    assert [(p.actor.id, p.pieces, p.cut_off) for p in sp.cut_points] == [("m", [2, 2], 2)]
    assert sp.bridges == []
    assert {f.actor.id: f.via.id for f in sp.fragile} == {"c": "m", "d": "m"}  # the side cut off, not the kept one


def test_disconnected_parts_are_judged_separately():
    G = named(nx.Graph([("a", "b"), ("b", "c"), ("x", "y")]))
    G.add_node("z", name="Z", actor_type="person")
    sp = single_points(G)
    assert [p.actor.id for p in sp.cut_points] == ["b"]
    assert [a.id for a in isolated_actors(G)] == ["z"]
    assert {f.actor.id: f.via.id for f in sp.fragile} == {"a": "b", "c": "b", "x": "y", "y": "x"}


def test_cut_points_and_bridges_agree_with_networkx_on_random_graphs():
    for seed in range(20):
        G = named(nx.gnm_random_graph(50, 60, seed=seed))
        sp = single_points(G)
        assert {p.actor.id for p in sp.cut_points} == {str(n) for n in nx.articulation_points(G)}
        assert {frozenset((b.a.id, b.b.id)) for b in sp.bridges} == {frozenset(map(str, e)) for e in nx.bridges(G)}
        for point in sp.cut_points:
            node = int(point.actor.id)
            rest = G.subgraph(nx.node_connected_component(G, node) - {node})
            sizes = sorted((len(c) for c in nx.connected_components(rest)), reverse=True)
            assert point.pieces == sizes and point.cut_off == sum(sizes) - sizes[0]


def test_people_and_organisations_counted_in_the_impact():
    G = nx.Graph([("con", "p1"), ("con", "o1"), ("con", "x"), ("x", "y"), ("y", "con")])
    for node in G:
        G.nodes[node].update(name=node, actor_type="organisation" if node.startswith("o") else "person")
    (point,) = single_points(G).cut_points
    assert point.sentence == "If con left, 1 person and 1 organisation would lose their only link to the rest of the network."


@pytest.fixture
def city(store):
    store.add_wards([Ward(name="Armley", population=4000), Ward(name="Bramley"), Ward(name="Empty", population=10)])
    store.bulk_load(
        Batch(
            people=[
                person("con", roles=["connector"], ward="Armley"),
                person("ann", ward="Armley"),
                person("bob", ward="Bramley"),
                person("cyd", ward="Armley"),
            ],
            organisations=[
                org("lib", sector="statutory", ward="Armley"),
                org("gar", sector="voluntary_community", ward="Bramley"),
                org("gp", sector="health", ward="Bramley"),
            ],
            ties=[
                tie("con", "ann", last_confirmed=dt.date(2026, 5, 1)),
                tie("con", "bob", since=dt.date(2024, 1, 1)),
                tie("bob", "gar", kind="member_of"),
                tie("lib", "gp", kind="partners_with", since=dt.date(2025, 1, 1)),
                tie("con", "lib", kind="works_at", since=dt.date(2025, 9, 1)),
            ],
            introductions=[
                intro("i1", "con", "ann", "gar", day=dt.date(2026, 1, 1), follow_up=dt.date(2026, 2, 1)),
                intro("i2", "con", "bob", "lib", day=dt.date(2026, 1, 1), follow_up=dt.date(2026, 5, 1),
                      outcome="joined the reading group"),
                intro("i3", "con", "cyd", "lib", day=dt.date(2026, 1, 1), follow_up=dt.date(2026, 3, 1),
                      status="declined"),
                intro("i4", "con", "cyd", "gp", day=dt.date(2026, 5, 1), follow_up=dt.date(2026, 7, 1),
                      status="planned"),
            ],
        )
    )
    return store


def test_ward_stats_on_both_backends(city):
    G = build_graph(city)
    stats = {s.ward: s for s in ward_stats(G, wards=city.list_wards(), introductions=list(city.iter_introductions()))}
    assert sorted(stats) == ["Armley", "Bramley", "Empty"]
    armley = stats["Armley"]
    assert (armley.actors, armley.people, armley.organisations, armley.connectors) == (4, 3, 1, 1)
    assert (armley.ties_within, armley.ties_out, armley.isolated) == (2, 2, 1)  # cyd: declined and planned only
    assert armley.introductions == 4  # every introduction names someone in Armley
    assert armley.actors_per_1000 == 1.0 and armley.connectors_per_1000 == 0.25 and armley.introductions_per_1000 == 1.0
    bramley = stats["Bramley"]
    assert (bramley.actors, bramley.ties_within, bramley.ties_out, bramley.introductions) == (3, 1, 2, 3)
    assert bramley.actors_per_1000 is None  # population unknown
    assert (stats["Empty"].actors, stats["Empty"].actors_per_1000) == (0, 0.0)
    assert ward_stats(G)[0].introductions is None


def test_tie_matrices_name_missing_pairs(city):
    G = build_graph(city)
    sectors = tie_matrix(G, "sector")
    assert sectors.counts == {("health", "statutory"): 1}
    assert sectors.missing == [("health", "voluntary_community"), ("statutory", "voluntary_community")]
    assert sectors.priority_missing == [("statutory", "voluntary_community"), ("health", "voluntary_community")]
    wards = tie_matrix(G, "ward")
    assert wards.counts == {("Armley", "Armley"): 2, ("Armley", "Bramley"): 2, ("Bramley", "Bramley"): 1}
    assert wards.missing == [] and wards.priority_missing == []
    with pytest.raises(ValueError):
        tie_matrix(G, "colour")


def test_organisations_no_connector_is_linked_to(city):
    # con works at lib and introduced ann to gar; the introduction to gp is only planned, so it is not a link
    assert [o.id for o in unlinked_organisations(build_graph(city))] == ["gp"]
    city.add_organisation(org("gym", sector="private", ward="Bramley"))
    city.add_tie(tie("bob", "gym", kind="attends"))
    assert [o.id for o in unlinked_organisations(build_graph(city))] == ["gp", "gym"]


def test_stale_ties_and_overdue_follow_ups(city):
    stale = stale_ties(city.iter_ties(), today=TODAY, months=12)
    assert [(s.source_id, s.target_id, s.months) for s in stale] == [("bob", "con", 29), ("gp", "lib", 17), ("bob", "gar", None)]
    assert [s.target_id for s in stale_ties(city.iter_ties(), today=TODAY, months=6)][:3] == ["con", "lib", "lib"]
    overdue = overdue_follow_ups(city.iter_introductions(), today=TODAY)
    assert [(o.introduction_id, o.days_overdue) for o in overdue] == [("i1", 120)]


def test_months_before_handles_short_months_and_years():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)
    assert months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)

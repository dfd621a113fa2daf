"""Cut points and departures against the definition: remove the actor in networkx and look at what is left."""

from __future__ import annotations

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connector_graph.analysis.gaps import cut_off_by, departure_impact, single_points


def named(G: nx.Graph) -> nx.Graph:
    for node in G:
        G.nodes[node].update(name=f"N{node}", actor_type="organisation" if str(node).endswith("7") else "person")
    return G


def removed(G: nx.Graph, node) -> tuple[list[int], list]:
    """Sizes of the parts left when ``node`` leaves its group, and who is outside the kept one (largest, smallest id)."""
    rest = G.subgraph(nx.node_connected_component(G, node) - {node})
    parts = sorted(nx.connected_components(rest), key=lambda part: (-len(part), min(str(n) for n in part)))
    return [len(part) for part in parts], sorted((n for part in parts[1:] for n in part), key=str)


@st.composite
def graphs(draw) -> nx.Graph:
    n = draw(st.integers(min_value=1, max_value=16))
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), max_size=2 * n)) if pairs else []
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges)
    return named(G)


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_every_departure_matches_removing_the_actor(G):
    sp = single_points(G)
    points = {p.actor.id: p for p in sp.cut_points}
    assert set(points) == {str(n) for n in nx.articulation_points(G)}
    fragile = {f.actor.id: f.via.id for f in sp.fragile}
    for node in G:
        sizes, cut = removed(G, node)
        assert cut_off_by(G, node) == cut
        count, sentence = departure_impact(G, node)
        assert count == len(cut)
        if str(node) in points:
            point = points[str(node)]
            assert point.pieces == sizes
            assert point.cut_off == len(cut) == count
            people = sum(1 for n in cut if G.nodes[n]["actor_type"] == "person")
            assert (f"{people} {'person' if people == 1 else 'people'}" in point.sentence) == (people > 0)
            # Everyone cut off in a small pocket is listed as fragile (attached to some cut point).
            assert {str(n) for n in cut} <= set(fragile)
        else:
            assert cut == [] and "still be linked" in sentence


def test_the_seven_person_example():
    G = named(nx.Graph([("a", "c"), ("c", "d"), ("d", "a"), ("c", "g"), ("g", "f"), ("f", "e"), ("e", "b"), ("b", "g")]))
    sp = single_points(G)
    c = next(p for p in sp.cut_points if p.actor.id == "c")
    assert c.cut_off == 2 and c.pieces == [4, 2]
    assert c.sentence == "If Nc left, 2 people would lose their only link to the rest of the network."
    assert {f.actor.id for f in sp.fragile if f.via.id == "c"} == {"a", "d"}
    assert cut_off_by(G, "c") == ["a", "d"]
    assert departure_impact(G, "c")[0] == 2


def _one_by_one(G: nx.Graph) -> list:
    """Every cut point's departure, each from its own search of the network (the definition, slowly)."""
    from connector_graph.analysis.answers import departure

    points = [departure(G, node) for node in nx.articulation_points(G)]
    return sorted((d for d in points if d.cut_off), key=lambda d: (-len(d.cut_off), d.actor.name.casefold(), d.actor.id))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_failure_points_read_at_once_equal_each_departure(G):
    """The failure points read from the block-cut tree equal each cut point's own departure, backups included."""
    from connector_graph.analysis.answers import failure_points

    assert failure_points(G) == _one_by_one(G)


def test_failure_points_on_a_seeded_city_equal_each_departure():
    import datetime as dt
    import tempfile

    from connector_graph.analysis.answers import failure_points
    from connector_graph.graph import build_graph
    from connector_graph.seed import generate
    from connector_graph.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/city.db")
        try:
            store.bulk_load(generate(1_500, seed=3, today=dt.date(2026, 1, 1)))
            G = build_graph(store)
        finally:
            store.close()
    found = failure_points(G)
    assert found and found == _one_by_one(G)

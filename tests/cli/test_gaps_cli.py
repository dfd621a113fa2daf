"""``connector-graph gaps``: the managers' answers on the command line, checked against networkx."""

from __future__ import annotations

import json

import networkx as nx
from click.testing import CliRunner

from connector_graph.cli import main


def _invoke(url: str, *args: str):
    result = CliRunner().invoke(main, ["--store", url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_gaps_names_who_is_cut_off_and_the_statutory_organisations_with_no_partner(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    _invoke(url, "seed", "--size", "demo")
    answers = json.loads(_invoke(url, "gaps", "--json").output)
    assert set(answers) == {"link_definition", "weakest_wards", "unpartnered", "single_points", "went_nowhere",
                            "declined_most"}
    assert len(answers["weakest_wards"]) == 3 and all(w["bridges"] for w in answers["weakest_wards"])

    # independent: links straight from the store's records, the person removed in networkx
    from connector_graph.auth import acting_as
    from connector_graph.store import open_store

    store = open_store(url)
    with acting_as("test", "admin"):
        actors = {a.id: a for a in store.iter_actors() if a.actor_type == "organisation" or a.in_analysis}
        G = nx.Graph()
        G.add_nodes_from(actors)
        G.add_edges_from((t.source_id, t.target_id) for t in store.iter_ties()
                         if t.source_id in actors and t.target_id in actors)
        for i in store.iter_introductions():
            if i.status.value in ("made", "followed_up"):
                ends = [x for x in (i.introducer_id, i.subject_id, i.target_id) if x in actors]
                G.add_edges_from((a, b) for k, a in enumerate(ends) for b in ends[k + 1:] if a != b)
    store.close()
    points = {p["id"]: p for p in answers["single_points"]}
    assert set(points) == set(nx.articulation_points(G))
    for node, point in list(points.items())[:10]:
        rest = G.subgraph(nx.node_connected_component(G, node) - {node})
        pieces = sorted(nx.connected_components(rest), key=len, reverse=True)
        assert set(point["cut_off_ids"]) == {m for piece in pieces[1:] for m in piece}
    statutory = {n for n in G if getattr(actors[n], "sector", None) and actors[n].sector.value == "statutory"}
    alone = {n for n in statutory if not any(getattr(actors[m], "sector", None) and actors[m].sector.value
                                             in ("voluntary_community", "faith") for m in G[n])}
    named = {u["id"] for u in answers["unpartnered"] if u["sector"] == "statutory" and u["no_partner_at_all"]}
    assert named == alone and alone

    text = _invoke(url, "gaps").output
    assert "Least connected wards" in text and "Single points of failure" in text and "went nowhere" in text

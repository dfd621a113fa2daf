"""GraphML and GEXF exports read back by independent parsers; GraphML import."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import igraph
import pytest

from connector_graph.errors import InvalidInput
from connector_graph.io import graphml, transfer

from io_support import contents, loaded, make_sqlite, network  # noqa: F401  (fixtures)

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def test_graphml_export_read_by_xml_parser_has_every_actor_and_attribute(loaded, tmp_path):
    result = transfer.export_file(loaded, tmp_path / "g.graphml", "graphml")
    root = ET.parse(result.paths[0]).getroot()
    keys = {k.get("id"): (k.get("for"), k.get("attr.name")) for k in root.iter(GRAPHML + "key")}
    nodes = {}
    for node in root.iter(GRAPHML + "node"):
        nodes[node.get("id")] = {keys[d.get("key")][1]: d.text for d in node.findall(GRAPHML + "data")}
    assert set(nodes) == {"con", "ann", "bob", "cyd", "dee", "lib", "gar", "gp"}
    assert nodes["con"]["roles"] == "connector|worker"
    assert nodes["con"]["actor_type"] == "person" and nodes["con"]["ward"] == "Armley"
    assert nodes["lib"]["sector"] == "statutory" and nodes["lib"]["kind"] == "library"
    assert nodes["bob"]["name"] == "=HYPERLINK(\"http://x\")"  # XML text, not a spreadsheet cell
    edges = list(root.iter(GRAPHML + "edge"))
    assert len(edges) == result.edges
    assert result.nodes == 8


def test_graphml_export_read_by_igraph(loaded, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "g.graphml", "graphml").paths[0]
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.vcount() == 8
    by_id = {v["id"]: v for v in g.vs}
    assert by_id["gar"]["name"] == "Bramley Garden Club"
    assert by_id["cyd"]["roles"] == "volunteer"
    # ties plus introductions: con-ann carries a tie and an introduction
    con_ann = g.es[g.get_eid(by_id["con"].index, by_id["ann"].index)]
    assert con_ann["weight"] == 2 and con_ann["kinds"] == "knows" and con_ann["introductions"] == 1


def test_gexf_export_read_by_xml_parser(loaded, tmp_path):
    result = transfer.export_file(loaded, tmp_path / "g.gexf", "gexf")
    root = ET.parse(result.paths[0]).getroot()
    ns = root.tag.split("}")[0] + "}"
    titles = {a.get("id"): a.get("title") for a in root.iter(ns + "attribute")}
    nodes = {}
    for node in root.iter(ns + "node"):
        values = {titles[v.get("for")]: v.get("value") for v in node.iter(ns + "attvalue")}
        nodes[node.get("id")] = (node.get("label"), values)
    assert len(nodes) == 8
    assert nodes["gp"][0] == "+Hollybush Surgery"
    assert nodes["gp"][1]["actor_type"] == "organisation" and nodes["gp"][1]["sector"] == "health"
    assert nodes["con"][1]["roles"] == "connector|worker"
    assert len(list(root.iter(ns + "edge"))) == result.edges


def test_graphml_export_then_import_gives_the_same_actors_and_tie_kinds(loaded, make_sqlite, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "g.graphml", "graphml").paths[0]
    target = make_sqlite("t")
    report = transfer.import_file(target, path, "graphml")
    assert report.written, report.lines()
    want, got = contents(loaded), contents(target)
    assert [(p.id, p.name, p.roles, p.ward) for p in got["people"]] == [(p.id, p.name, p.roles, p.ward) for p in want["people"]]
    assert [(o.id, o.name, o.kind, o.sector, o.ward) for o in got["organisations"]] == [
        (o.id, o.name, o.kind, o.sector, o.ward) for o in want["organisations"]
    ]
    assert [(t.source_id, t.target_id, t.kind) for t in got["ties"]] == [
        (t.source_id, t.target_id, t.kind) for t in want["ties"]
    ]
    # con-gar, ann-gar, bob-lib, ann-dee and ann-cyd come only from introductions
    assert "5 edge(s) carry only introductions, which are not ties; they were left out" in report.notes
    assert report.ignored_columns == {"nodes": ["introductions_made"], "edges": ["weight"]}


def test_graphml_import_into_either_backend_twice_changes_nothing(store, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="n" for="node" attr.name="label" attr.type="string"/>'
        '<key id="t" for="node" attr.name="type" attr.type="string"/>'
        '<key id="k" for="edge" attr.name="kind" attr.type="string"/>'
        '<graph edgedefault="undirected">'
        '<node id="a"><data key="n">Ana</data><data key="t">Person</data></node>'
        '<node id="b"><data key="n">Ben</data><data key="t">Connector</data></node>'
        '<node id="c"><data key="n">Church</data><data key="t">Faith group</data></node>'
        '<edge source="a" target="b"/><edge source="a" target="c"><data key="k">member_of</data></edge>'
        "</graph></graphml>",
        encoding="utf-8",
    )
    first = transfer.import_file(store, path, "graphml")
    second = transfer.import_file(store, path, "graphml")
    assert first.after == second.after
    assert (first.after.people, first.after.organisations, first.after.ties) == (2, 1, 2)
    assert store.get_actor("c").sector.value == "faith"
    assert [r.value for r in store.get_actor("b").roles] == ["connector"]


def test_graphml_rejections_and_bad_files(tmp_path):
    path = tmp_path / "bad.graphml"
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="n" for="node" attr.name="name" attr.type="string"/>'
        '<key id="t" for="node" attr.name="actor_type" attr.type="string"/>'
        '<key id="k" for="edge" attr.name="kinds" attr.type="string"/>'
        '<graph edgedefault="undirected">'
        '<node id="a"><data key="n">Ana</data><data key="t">person</data></node>'
        '<node id="b"><data key="n">Ben</data></node>'
        '<node id="c"><data key="t">person</data></node>'
        '<node id="d"><data key="n">Dee</data><data key="t">robot</data></node>'
        '<node id="e"><data key="n">Eve</data><data key="t">person</data></node>'
        '<edge source="a" target="e"><data key="k">enemy_of</data></edge>'
        '<edge source="a" target="b"><data key="k">knows</data></edge>'
        "</graph></graphml>",
        encoding="utf-8",
    )
    reasons = [str(r) for r in graphml.read_graphml(path).report.rejected]
    assert "node 'b': has no actor_type (person or organisation)" in reasons
    assert "node 'c': has no name or label" in reasons
    assert "node 'd': unknown actor type 'robot'; use person or organisation" in reasons
    assert any(r.startswith("edge 'a'-'e': unknown tie kind 'enemy_of'") for r in reasons)
    assert any(r.startswith("edge 'a'-'b': joins a node that was rejected") for r in reasons)
    broken = tmp_path / "broken.graphml"
    broken.write_text("<graphml><graph>", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not well-formed XML"):
        graphml.read_graphml(broken)
    with pytest.raises(InvalidInput, match="no such GraphML file"):
        graphml.read_graphml(tmp_path / "none.graphml")

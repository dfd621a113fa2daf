"""GraphML, GEXF and GML: our exports read by independent parsers and checked against the official schema;
imports of files as other tools write them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import igraph
import pytest
import xmlschema

from connector_graph.errors import InvalidInput
from connector_graph.io import transfer
from connector_graph.io.graph_files import GEXF_VERSIONS, read_graph_file
from connector_graph.io.mapping import Mapping
from connector_graph.io.source_ids import stored_id

from io_support import loaded  # noqa: F401  (fixture)

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
SCHEMAS = Path(__file__).parents[1] / "data" / "real" / "gexf-schema"


def _graphml_nodes_and_edges(path: Path) -> tuple[dict, list]:
    root = ET.parse(path).getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(GRAPHML + "key")}
    nodes = {n.get("id"): {keys[d.get("key")]: d.text for d in n.findall(GRAPHML + "data")} for n in root.iter(GRAPHML + "node")}
    edges = [
        (e.get("source"), e.get("target"), {keys[d.get("key")]: d.text for d in e.findall(GRAPHML + "data")})
        for e in root.iter(GRAPHML + "edge")
    ]
    return nodes, edges


def test_graphml_export_read_by_xml_parser_has_every_actor_and_one_edge_per_tie(loaded, tmp_path):
    result = transfer.export_file(loaded, tmp_path / "g.graphml", "graphml")
    nodes, edges = _graphml_nodes_and_edges(result.paths[0])
    assert set(nodes) == {"con", "ann", "bob", "cyd", "dee", "lib", "gar", "gp"}
    assert nodes["con"]["roles"] == "connector|worker"
    assert nodes["con"]["actor_type"] == "person" and nodes["con"]["ward"] == "Armley"
    assert nodes["lib"]["sector"] == "statutory" and nodes["lib"]["kind"] == "library"
    assert nodes["bob"]["name"] == "=HYPERLINK(\"http://x\")"  # XML text, not a spreadsheet cell
    stored = {(t.source_id, t.target_id, t.kind.value) for t in loaded.list_ties()}
    assert {(u, v, d["kind"]) for u, v, d in edges} == stored
    assert len(edges) == len(stored) == result.edges
    assert all(float(d["weight"]) == 1.0 for _u, _v, d in edges)


def test_graphml_export_read_by_igraph(loaded, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "g.graphml", "graphml").paths[0]
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.vcount() == 8 and g.is_directed()
    by_id = {v["id"]: v for v in g.vs}
    assert by_id["gar"]["name"] == "Bramley Garden Club"
    assert by_id["cyd"]["roles"] == "volunteer"
    works = g.es[g.get_eid(by_id["con"].index, by_id["lib"].index)]  # directed: con -> lib
    assert works["kind"] == "works_at" and works["tie_source"] == "conversation"


def test_gml_export_read_by_igraph(loaded, tmp_path):
    path = transfer.export_file(loaded, tmp_path / "g.gml", "gml").paths[0]
    g = igraph.Graph.Read_GML(str(path))
    assert g.vcount() == 8 and g.ecount() == len(loaded.list_ties()) and g.is_directed()
    by_label = {v["label"]: v.index for v in g.vs}
    assert g.es[g.get_eid(by_label["bob"], by_label["gar"])]["kind"] == "member_of"


@pytest.mark.parametrize("version", GEXF_VERSIONS)
def test_gexf_export_validates_against_the_official_schema_and_reads_back(version, loaded, tmp_path):
    result = transfer.export_file(loaded, tmp_path / "g.gexf", "gexf", gexf_version=version)
    schema = xmlschema.XMLSchema(str(SCHEMAS / version / "gexf.xsd"))
    schema.validate(str(result.paths[0]))  # raises with the first error
    root = ET.parse(result.paths[0]).getroot()
    ns = root.tag.split("}")[0] + "}"
    titles = {a.get("id"): a.get("title") for a in root.iter(ns + "attribute")}
    nodes = {n.get("id"): (n.get("label"), {titles[v.get("for")]: v.get("value") for v in n.iter(ns + "attvalue")})
             for n in root.iter(ns + "node")}
    assert len(nodes) == 8
    assert nodes["gp"][0] == "+Hollybush Surgery"
    assert nodes["gp"][1]["actor_type"] == "organisation" and nodes["gp"][1]["sector"] == "health"
    assert len(list(root.iter(ns + "edge"))) == result.edges == len(loaded.list_ties())


def test_graphml_import_into_either_backend_twice_changes_nothing(store, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="n" for="node" attr.name="label" attr.type="string"/>'
        '<key id="t" for="node" attr.name="type" attr.type="string"/>'
        '<key id="k" for="edge" attr.name="kind" attr.type="string"/>'
        '<key id="w" for="edge" attr.name="weight" attr.type="double"/>'
        '<graph edgedefault="undirected">'
        '<node id="a"><data key="n">Ana</data><data key="t">Person</data></node>'
        '<node id="b"><data key="n">Ben</data><data key="t">Connector</data></node>'
        '<node id="c"><data key="n">Church</data><data key="t">Faith group</data></node>'
        '<edge source="a" target="b"><data key="w">2.5</data></edge>'
        '<edge source="c" target="a"><data key="k">member_of</data></edge>'
        "</graph></graphml>",
        encoding="utf-8",
    )
    first = transfer.import_file(store, path)
    second = transfer.import_file(store, path)
    assert first.after == second.after
    assert (first.after.people, first.after.organisations, first.after.ties) == (2, 1, 2)
    assert second.tables["ties"].unchanged == 2 and second.tables["people"].unchanged == 2
    a, b, c = (stored_id(store, node) for node in "abc")  # the records' own ids, found through the mapping
    assert store.get_actor(c).sector.value == "faith"
    assert [r.value for r in store.get_actor(b).roles] == ["connector"]
    ties = {t.kind.value: t for t in store.list_ties()}
    # an undirected edge of a one-way kind runs from the person to the organisation
    assert (ties["member_of"].source_id, ties["member_of"].target_id) == (a, c)
    assert ties["knows"].weight == 2.5


def test_generic_graphml_rules_default_type_labels_and_kinds(tmp_path):
    path = tmp_path / "tool.graphml"
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="n" for="node" attr.name="name" attr.type="string"/>'
        '<key id="t" for="node" attr.name="type" attr.type="string"/>'
        '<key id="k" for="edge" attr.name="relationship" attr.type="string"/>'
        '<graph edgedefault="directed">'
        '<node id="a"><data key="n">Ana</data></node>'
        '<node id="b"/>'
        '<node id="d"><data key="n">Acme Ltd</data><data key="t">Company</data></node>'
        '<node id="e"><data key="n">Eve</data><data key="t">robot</data></node>'
        '<edge source="a" target="e"><data key="k">enemy_of</data></edge>'
        '<edge source="d" target="a"><data key="k">employs</data></edge>'
        '<edge source="a" target="a"/>'
        "</graph></graphml>",
        encoding="utf-8",
    )
    parsed = read_graph_file(path, "graphml")
    report = parsed.report
    assert report.ok, report.lines()
    people = {p.id: p.name for p in parsed.batch.people}
    assert people == {"a": "Ana", "b": "b", "e": "Eve"}  # no name or label: the node id; unknown type: a person
    assert [(o.id, o.kind.value) for o in parsed.batch.organisations] == [("d", "business")]
    ties = {(t.source_id, t.target_id): t for t in parsed.batch.ties}
    assert ties[("a", "e")].kind.value == "knows" and ties[("a", "e")].label == "enemy_of"
    assert ties[("a", "d")].kind.value == "works_at"  # "employs" from the company: turned round to the person
    assert report.tables["edges"].skipped == {"self-loop": 1}
    assert report.mappings["robot \u2192 person (default)"] == 1
    as_orgs = read_graph_file(path, "graphml", Mapping.from_options("robot=person", "organisation"))
    assert {o.id for o in as_orgs.batch.organisations} == {"a", "b", "d"}


def test_parallel_edges_merge_into_one_tie_with_the_summed_weight(tmp_path):
    path = tmp_path / "multi.gml"
    path.write_text(
        "graph [ directed 0 multigraph 1\n"
        ' node [ id 0 label "x" ] node [ id 1 label "y" ] node [ id 2 label "z" ]\n'
        " edge [ source 0 target 1 weight 2 ] edge [ source 1 target 0 weight 3.5 ] edge [ source 0 target 1 ]\n"
        " edge [ source 1 target 2 ]\n]\n",
        encoding="utf-8",
    )
    parsed = read_graph_file(path, "gml")
    assert sorted((t.source_id, t.target_id, t.weight) for t in parsed.batch.ties) == [("x", "y", 6.5), ("y", "z", 1.0)]
    assert parsed.report.tables["edges"].merged == 2
    assert any("2 parallel edge(s) merged" in note for note in parsed.report.notes)


@pytest.mark.parametrize(
    "text, fmt, message",
    [
        ("<graphml><graph>", "graphml", "not well-formed XML"),
        ('<gexf xmlns="http://www.gexf.net/1.2draft"><meta/></gexf>', "gexf", "not a readable GEXF file"),
        ("graph [ node [ id 0 ] edge [ source 0 target 9 ] ]", "gml", "not a readable GML file"),
        ("*Vertices 2\n1 \"a\"\n*Arcs\n1 x 1\n", "pajek", "not a readable Pajek file"),
    ],
)
def test_malformed_graph_files_say_why_in_one_line_and_write_nothing(text, fmt, message, store, tmp_path):
    path = tmp_path / f"bad.{fmt}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message) as caught:
        transfer.import_file(store, path, fmt)
    assert "\n" not in str(caught.value)
    assert store.counts().people == 0


def test_a_missing_file_is_named():
    with pytest.raises(InvalidInput, match="no such GraphML file"):
        read_graph_file("/nonexistent/none.graphml", "graphml")


def test_graphml_mixing_directed_and_undirected_edges_keeps_each_edges_direction(tmp_path):
    path = tmp_path / "mixed.graphml"
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="t" for="node" attr.name="type" attr.type="string"/>'
        '<key id="k" for="edge" attr.name="kind" attr.type="string"/>'
        '<graph edgedefault="directed">'
        '<node id="ana"/><node id="ben"/><node id="lib"><data key="t">Library</data></node>'
        '<node id="gym"><data key="t">Sports club</data></node>'
        '<edge source="lib" target="ana" directed="false"><data key="k">member_of</data></edge>'
        '<edge source="gym" target="ben"><data key="k">member_of</data></edge>'
        "</graph></graphml>",
        encoding="utf-8",
    )
    ties = {(t.source_id, t.target_id) for t in read_graph_file(path, "graphml").batch.ties}
    # undirected: runs from the person to the organisation; directed (the default here): as the file says
    assert ties == {("ana", "lib"), ("gym", "ben")}

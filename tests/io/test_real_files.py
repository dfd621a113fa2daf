"""Public example files from the tools' own repositories import without edits.

Each file's nodes and edges are counted here by an independent reader
(ElementTree for XML, igraph for GML and Pajek, openpyxl/json/csv for Kumu
and Gephi tables); the import must give one actor per node and one tie per
pair of ends (and kind), with every edge accounted for: kept, merged into a
tie it repeats, or skipped as a self-loop, all reported. Sources and
licences: ``tests/data/real/SOURCES.md``.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import igraph
import pytest
from openpyxl import load_workbook

from connector_graph.errors import InvalidInput
from connector_graph.io import transfer
from connector_graph.io.sniff import sniff

from io_support import make_sqlite  # noqa: F401  (fixture)

REAL = Path(__file__).parents[1] / "data" / "real"


def _xml_edges(path: Path) -> tuple[int, list[tuple[str, str, float]]]:
    root = ET.parse(path).getroot()
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    nodes = sum(1 for el in root.iter() if local(el) == "node")
    keys = {k.get("id"): k.get("attr.name") for k in root.iter() if local(k) == "key"}
    edges = []
    for el in root.iter():
        if local(el) != "edge":
            continue
        weight = el.get("weight")
        for data in el:
            if local(data) == "data" and keys.get(data.get("key")) == "weight":
                weight = data.text
        edges.append((el.get("source"), el.get("target"), float(weight) if weight else 1.0))
    return nodes, edges


def _igraph_edges(path: Path, fmt: str) -> tuple[int, list[tuple[str, str, float]]]:
    g = igraph.Graph.Read_GML(str(path)) if fmt == "gml" else igraph.Graph.Read_Pajek(str(path))
    weights = g.es["weight"] if "weight" in g.es.attributes() else [1.0] * g.ecount()
    return g.vcount(), [(str(e.source), str(e.target), float(w)) for e, w in zip(g.es, weights)]


def _gml_text_edges(path: Path) -> tuple[int, list[tuple[str, str, float]]]:
    """A direct reading of a small GML file: its node blocks and its edges' source and target."""
    text = path.read_text(encoding="utf-8")
    nodes = len(re.findall(r"\bnode\s*\[", text))
    edges = [(u, v, 1.0) for u, v in re.findall(r"\bsource\s+(\S+)\s+target\s+(\S+)", text)]
    return nodes, edges


def _gephi_edges(folder_or_file: Path) -> tuple[int, list[tuple[str, str, float]]]:
    files = sorted(folder_or_file.glob("*.csv")) if folder_or_file.is_dir() else [folder_or_file]
    nodes: set[str] = set()
    edges = []
    for file in files:
        lines = [line for line in file.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
        for row in csv.DictReader(lines):
            row = {k.casefold(): v for k, v in row.items()}
            if "source" in row:
                edges.append((row["source"].strip(), row["target"].strip(), float(row.get("weight") or 1)))
                nodes.update((row["source"].strip(), row["target"].strip()))
            else:
                nodes.add(row["id"].strip())
    return len(nodes), edges


GRAPH_FILES = {
    "gephi/football.graphml": _xml_edges,
    "gephi/moviegalaxies.graphml": _xml_edges,
    "gephi/withdesc.graphml": _xml_edges,
    "gephi/data.gexf": _xml_edges,
    "gephi/basic.gexf": _xml_edges,
    "gephi/zeroweight.gexf": _xml_edges,
    "igraph/weighted.gml": lambda p: _igraph_edges(p, "gml"),
    "gephi-lite/airlines.graphml": _xml_edges,
    "gephi-lite/gephi-lite.gexf": _xml_edges,
    "gephi-lite/spotify-veronica-espinoza.gexf": _xml_edges,
    "gexf-primer/1.1draft-simple.gexf": _xml_edges,
    "gexf-primer/1.2draft-simple.gexf": _xml_edges,
    "igraph/yfiles.graphml": _xml_edges,
    "igraph/karate.gml": lambda p: _igraph_edges(p, "gml"),
    "igraph/celegansneural.gml": lambda p: _igraph_edges(p, "gml"),
    "gephi/label.gml": _gml_text_edges,
    "igraph/links.net": lambda p: _igraph_edges(p, "pajek"),
    "gephi/spreadsheet-types": _gephi_edges,
    "gephi/spreadsheet-repeated/edges_table_repeated_without_ids.csv": _gephi_edges,
}


@pytest.mark.parametrize("name", GRAPH_FILES)
def test_graph_tool_files_import_with_the_counts_an_independent_reader_gives(name, make_sqlite):
    path = REAL / name
    nodes, edges = GRAPH_FILES[name](path)
    loops = sum(1 for u, v, _w in edges if u == v)
    pairs = {frozenset((u, v)) for u, v, _w in edges if u != v}
    store = make_sqlite("s")
    report = transfer.import_file(store, path)  # no --format: recognised from the content
    assert report.written, report.lines()
    ties = store.list_ties()
    assert store.counts().people + store.counts().organisations == nodes
    assert len({frozenset((t.source_id, t.target_id)) for t in ties}) == len(pairs)
    edge_table = next(stats for table, stats in report.tables.items() if "edge" in table)
    # every edge is kept, merged into the tie it repeats, or skipped as a self-loop, and the report says so
    assert edge_table.skipped.get("self-loop", 0) == loops
    assert len(ties) + edge_table.merged + loops == len(edges)
    # weights: a merged tie carries the sum of its edges' weights (non-positive weights count as 1)
    assert sum(t.weight for t in ties) == pytest.approx(sum(w if w > 0 else 1.0 for u, v, w in edges if u != v))
    again = transfer.import_file(store, path)
    assert again.after == report.after
    assert all(stats.added == stats.changed == 0 for stats in again.tables.values() if stats.compared)
    assert sum(stats.unchanged for stats in again.tables.values() if stats.compared) == nodes + len(ties)


def _kumu_expected(path: Path) -> tuple[int, Counter]:
    """Elements, and connections counted by (pair of ends, type): what one tie each should be."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [(c["from"], c["to"], c.get("attributes", {}).get("connection type")) for c in data["connections"]]
        return len(data["elements"]), Counter((frozenset(r[:2]), r[2]) for r in rows if r[0] != r[1])
    book = load_workbook(path, read_only=True, data_only=True)
    elements = list(book["Elements"].iter_rows(values_only=True))
    connections = list(book["Connections"].iter_rows(values_only=True))
    label = elements[0].index("Label")
    head = connections[0]
    kind = head.index("Type") if "Type" in head else None
    rows = [(r[head.index("From")], r[head.index("To")], r[kind] if kind is not None else None)
            for r in connections[1:] if r[0]]
    return sum(1 for r in elements[1:] if r[label]), Counter((frozenset(r[:2]), r[2]) for r in rows if r[0] != r[1])


@pytest.mark.parametrize("name", ["paypal-mafia.xlsx", "snap-to-tutorial-data.xlsx", "snap-to-tutorial-project.json",
                                  "kumu-changelabs-template.json"])
def test_kumu_example_files_import_as_kumu_users_have_them(name, make_sqlite):
    path = REAL / "kumu" / name
    elements, pairs = _kumu_expected(path)
    store = make_sqlite("s")
    report = transfer.import_file(store, path)
    assert report.written, report.lines()
    counts = store.counts()
    assert counts.people + counts.organisations == elements
    assert counts.ties == len(pairs)
    assert report.tables["ties"].added == len(pairs)
    assert sum(t.weight for t in store.list_ties()) == sum(pairs.values())  # a repeated connection adds its strength


def test_the_paypal_map_gets_its_types_by_the_built_in_rules(store):
    report = transfer.import_file(store, REAL / "kumu" / "paypal-mafia.xlsx", dry_run=True)
    assert report.mappings["Company \u2192 organisation"] == 17
    assert report.mappings["Employee/Founder \u2192 works_at (label kept)"] == 40
    assert store.counts().people == 0  # a dry run writes nothing
    report = transfer.import_file(store, REAL / "kumu" / "paypal-mafia.xlsx")
    people = {a.id for a in store.iter_actors() if a.actor_type == "person"}
    works = [t for t in store.list_ties() if t.kind.value == "works_at"]
    assert len(works) == 40 and all(t.source_id in people for t in works)  # from the person to the company
    assert {t.label for t in works} == {"Employee/Founder"}


def test_a_damaged_workbook_from_the_same_repository_says_so_and_writes_nothing(make_sqlite):
    store = make_sqlite("s")
    with pytest.raises(InvalidInput, match="cannot be opened as one"):
        transfer.import_file(store, REAL / "kumu" / "overview-of-the-euro-crisis.xlsx")
    assert store.counts().people == 0


@pytest.mark.parametrize("name, fmt", [("gephi/data.gexf", "gexf"), ("igraph/links.net", "pajek"),
                                       ("igraph/karate.gml", "gml"), ("kumu/paypal-mafia.xlsx", "kumu")])
def test_every_real_file_is_recognised(name, fmt):
    assert sniff(REAL / name).format == fmt

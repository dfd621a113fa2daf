"""Reading and writing the graph tools' file formats: GraphML, GEXF, GML, Pajek and Gephi's CSV tables.

Readers turn a file into a :class:`~connector_graph.io.network.Network` and
then into records with :func:`~connector_graph.io.network.parse_network`;
writers take the graph of :func:`~connector_graph.io.network.network_for_export`.
Every file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from ..errors import InvalidInput
from ..store.base import Progress
from .files import CsvTable, read_csv_rows, require_file, safe_output_path
from .mapping import Mapping
from .network import Network, network_from_graph, parse_network
from .report import Parsed

__all__ = [
    "GEXF_VERSIONS",
    "read_graph_file",
    "read_gephi_csv",
    "write_graph_file",
    "GRAPH_READERS",
]

#: GEXF versions written and read.
GEXF_VERSIONS = ("1.1draft", "1.2draft", "1.3")

_NAMES = {"graphml": "GraphML", "gexf": "GEXF", "gml": "GML", "pajek": "Pajek"}


#: GEXF namespaces found in the wild, by the version networkx reads them as.
GEXF_NAMESPACES = {
    "http://www.gephi.org/gexf": "http://www.gexf.net/1.1draft",
    "http://www.gephi.org/gexf/1.1draft": "http://www.gexf.net/1.1draft",
    "http://www.gexf.net/1.3": "http://gexf.net/1.3",
    "http://www.gexf.net/1.3draft": "http://gexf.net/1.3",
    "http://gexf.net/1.3draft": "http://gexf.net/1.3",
    "http://gexf.net/1.2draft": "http://www.gexf.net/1.2draft",
}


def _read_gexf(path: Path) -> nx.Graph:
    """GEXF of any version; older and variant namespaces are read as the version they are."""
    data = path.read_bytes()
    root = ET.fromstring(data)
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if namespace in GEXF_NAMESPACES:
        data = data.replace(namespace.encode(), GEXF_NAMESPACES[namespace].encode())
    return nx.read_gexf(io.BytesIO(data))


_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _read_graphml(path: Path) -> nx.Graph:
    """GraphML; a file mixing directed and undirected edges keeps each edge's own direction.

    networkx refuses an edge whose ``directed`` differs from the graph's
    ``edgedefault``, so such a file is read as directed with each edge's
    direction carried as a ``directed`` data value.
    """
    data = path.read_bytes()
    root = ET.fromstring(data)
    ns = f"{{{_GRAPHML_NS}}}" if root.tag.startswith(f"{{{_GRAPHML_NS}}}") else ""
    graphs = root.findall(f"{ns}graph")
    mixed = [g for g in graphs if any(
        e.get("directed") not in (None, "true" if g.get("edgedefault") == "directed" else "false")
        for e in g.iter(f"{ns}edge"))]
    if not mixed:
        return nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    key = ET.Element(f"{ns}key", {"id": "cg_directed", "for": "edge", "attr.name": "directed", "attr.type": "string"})
    root.insert(0, key)
    for graph in mixed:
        default = "true" if graph.get("edgedefault") == "directed" else "false"
        graph.set("edgedefault", "directed")
        for edge in graph.iter(f"{ns}edge"):
            value = edge.attrib.pop("directed", default)
            ET.SubElement(edge, f"{ns}data", {"key": "cg_directed"}).text = value
    ET.register_namespace("", _GRAPHML_NS)
    return nx.read_graphml(io.BytesIO(ET.tostring(root, encoding="utf-8")), force_multigraph=True)


def _read_gml(path: Path) -> nx.Graph:
    """GML, nodes named by their ``label`` when every node has a different one (else by ``id``).

    A file that repeats an edge without declaring ``multigraph 1`` (igraph
    writes these) is read as a multigraph.
    """
    try:
        G = nx.read_gml(path, label=None)
    except nx.NetworkXError as exc:
        if "is duplicated" not in str(exc) or not str(exc).startswith("edge"):
            raise
        text = re.sub(r"\bgraph\s*\[", "graph [ multigraph 1", path.read_text(encoding="utf-8"), count=1)
        G = nx.parse_gml(text, label=None)
    labels = [str(data.get("label", "")) for _node, data in G.nodes(data=True)]
    if all(labels) and len(set(labels)) == len(labels):
        G = nx.relabel_nodes(G, {node: str(data["label"]) for node, data in G.nodes(data=True)})
    return G


#: networkx's reader for each graph file format.
GRAPH_READERS: dict[str, Callable[[Path], nx.Graph]] = {
    "graphml": _read_graphml,
    "gexf": _read_gexf,
    "gml": _read_gml,
    "pajek": lambda path: nx.read_pajek(path),
}


def read_graph_file(path: Path | str, fmt: str, mapping: Mapping | None = None, progress: Progress | None = None) -> Parsed:
    """Read a GraphML, GEXF, GML or Pajek file into people, organisations and ties (nothing is written)."""
    name = _NAMES[fmt]
    path = require_file(path, f"{name} file")
    try:
        with warnings.catch_warnings():  # networkx warns about yEd extensions it skips
            warnings.simplefilter("ignore")
            G = GRAPH_READERS[fmt](path)
    except ET.ParseError as exc:
        raise InvalidInput(f"{path.name} is not well-formed XML ({exc}), so it cannot be a {name} file") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text ({exc.reason}), so it cannot be read as {name}") from None
    except (nx.NetworkXError, KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"{path.name} is not a readable {name} file: {detail}") from None
    return parse_network(network_from_graph(G, path.name, fmt), mapping, progress)


# ------------------------------------------------------------ Gephi's CSV


def _gephi_tables(path: Path) -> tuple[CsvTable | None, CsvTable]:
    """The nodes table (if any) and the edges table of a Gephi CSV export."""
    if path.is_dir():
        tables = [read_csv_rows(p) for p in sorted(path.iterdir()) if p.suffix.casefold() == ".csv"]
    else:
        tables = [read_csv_rows(require_file(path, "Gephi CSV file"))]
        for sibling in sorted(path.parent.glob("*.csv")):
            if sibling != path and "node" in sibling.name.casefold():
                tables.append(read_csv_rows(sibling))
    edges = [t for t in tables if {"source", "target"} <= {h.casefold() for h in t.header}]
    nodes = [t for t in tables if "id" in {h.casefold() for h in t.header} and t not in edges]
    if not edges:
        raise InvalidInput(f"{path.name} has no edges table: Gephi's edges table has Source and Target columns")
    if len(edges) > 1 or len(nodes) > 1:
        raise InvalidInput(f"{path.name}: found {len(edges)} edges and {len(nodes)} nodes tables; give one of each")
    return (nodes[0] if nodes else None), edges[0]


def _folded(row: dict[str, str]) -> dict[str, Any]:
    return {k.casefold(): v for k, v in row.items() if v.strip()}


def read_gephi_csv(path: Path | str, mapping: Mapping | None = None, progress: Progress | None = None) -> Parsed:
    """Read Gephi's spreadsheet CSV: an edges table (``Source,Target,Type,Weight,...``) and optionally a nodes table (``Id,Label,...``).

    ``path`` is the edges file (a nodes file beside it, named with "node", is
    read too) or a folder holding both. An edge's ``Type`` (Directed or
    Undirected) gives its direction; Gephi's default is directed.
    """
    path = Path(path)
    nodes, edges = _gephi_tables(path)
    net = Network(path.name, "gephi", node_table=nodes.name if nodes else "nodes", edge_table=edges.name)
    known: set[str] = set()
    if nodes is not None:
        for number, row in nodes:
            data = _folded(row)
            node = data.pop("id", "").strip()
            if not node:
                raise InvalidInput(f"{nodes.name} line {number} has no Id")
            known.add(node)
            net.nodes.append((node, data))
    for number, row in edges:
        data = _folded(row)
        u, v = data.pop("source", "").strip(), data.pop("target", "").strip()
        if not u or not v:
            raise InvalidInput(f"{edges.name} line {number} needs both a Source and a Target")
        for end in (u, v):
            if end not in known:
                known.add(end)
                net.nodes.append((end, {}))
        directed = data.get("type", "directed").strip().casefold() != "undirected"
        net.edges.append((u, v, data, directed))
    return parse_network(net, mapping, progress)


# ---------------------------------------------------------------- writing


def write_graph_file(G: nx.MultiDiGraph, path: Path | str, fmt: str, *, gexf_version: str = "1.2draft") -> Path:
    """Write the export graph as GraphML, GEXF (``gexf_version``: one of :data:`GEXF_VERSIONS`) or GML."""
    if fmt == "gexf" and gexf_version not in GEXF_VERSIONS:
        raise InvalidInput(f"GEXF version {gexf_version!r} is not one of {', '.join(GEXF_VERSIONS)}")
    if fmt not in ("graphml", "gexf", "gml"):
        raise InvalidInput(f"cannot write the graph format {fmt!r}")
    with safe_output_path(path) as partial:
        if fmt == "graphml":
            nx.write_graphml(G, partial, encoding="utf-8", prettyprint=False, named_key_ids=True)
        elif fmt == "gexf":
            buffer = io.BytesIO()
            nx.write_gexf(_for_gexf(G), buffer, encoding="utf-8", prettyprint=False, version=gexf_version)
            partial.write_bytes(_schema_valid_gexf(buffer.getvalue()))
        else:
            nx.write_gml(_for_gml(G), partial)
    return Path(path)


def _for_gexf(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GEXF's edge ``label`` and ``id`` are XML attributes; ours go in as data under those names."""
    H = G.copy()
    for _u, _v, key, data in H.edges(keys=True, data=True):
        data["id"] = key
    return H


def _schema_valid_gexf(data: bytes) -> bytes:
    """What networkx writes, made valid against the official schema.

    The ``graph`` element may not carry a ``name``, and GEXF 1.3 files need
    the real XML Schema instance namespace for ``xsi:schemaLocation``.
    """
    head, body = data[:4096], data[4096:]
    head = re.sub(rb'(<graph\b[^>]*?) name="[^"]*"', rb"\1", head, count=1)
    head = head.replace(b'xmlns:xsi="http://w3.org/2001/XMLSchema-instance"',
                        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"', 1)
    return head + body


def _for_gml(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GML names each node by its ``label``: our node ids; the display label is the ``name``."""
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, {k: v for k, v in d.items() if k != "label"}) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return H

"""Networks from graph tools (GraphML, GEXF, GML, Pajek, Gephi CSV) into actors and ties, and back.

Every graph format is read into plain node and edge lists (:class:`Network`)
and turned into records by :func:`parse_network`, one set of rules for all:

- a node's name is its ``name``, else ``label``, else its id; its type is
  ``actor_type`` or ``type`` mapped by :class:`~connector_graph.io.mapping.Mapping`
  (no type: a person, unless ``--default-type organisation``);
- an edge's kind is its ``kind`` (or our ``kinds``, ``relationship``,
  ``relation``, a ``type`` that is not a direction word, else its
  ``label``), mapped to the nearest tie kind; its ``weight`` is its
  strength (1 without one);
- a directed edge keeps its direction; an undirected edge of a one-way kind
  (member of, works at, volunteers at, attends) runs from the person to the
  organisation;
- self-loops are skipped and parallel edges merged into one tie whose weight
  is the sum of theirs (their count when unweighted), both reported.

:func:`network_for_export` is the other way: actors as nodes and one
directed edge per tie, carrying ``kind``, ``weight``, ``label``, ``since``,
``last_confirmed`` and ``tie_source`` (how the tie became known; GML keeps
``source`` for an edge's end), so an export imports back to the same ties.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pydantic import ValidationError

from ..model import MAX_ID, MAX_TAG, Organisation, OrgKind, Person, Tie, TieSource
from ..store.base import Batch, Progress, Store
from .mapping import Mapping, fold
from .projection import GraphTransform, flat_graph
from .report import ImportReport, Parsed, reason, stable_id
from .vocab import guess_kind, sector_for

__all__ = ["Network", "network_from_graph", "parse_network", "network_for_export", "NODE_ATTRIBUTES", "EDGE_ATTRIBUTES"]

#: Node attributes that are stored; others are reported as ignored.
NODE_ATTRIBUTES = {"name", "label", "actor_type", "type", "ward", "roles", "kind", "sector", "id"}
#: Edge attributes that are read; others are reported as ignored.
EDGE_ATTRIBUTES = {
    "kind", "kinds", "relationship", "relation", "type", "label", "weight", "since", "last_confirmed", "tie_source",
    "source", "id",
    "directed", "networkx_key",
}
_DIRECTION_WORDS = {"directed": True, "undirected": False, "mutual": False}
_ID_OK = re.compile(r"^\S{1,%d}$" % MAX_ID)
_SPLIT = re.compile(r"[|,;]")


@dataclass
class Network:
    """A graph file read as nodes and edges with attributes (nothing mapped yet)."""

    source: str
    format: str
    nodes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    edges: list[tuple[str, str, dict[str, Any], bool]] = field(default_factory=list)  # u, v, data, directed
    node_table: str = "nodes"
    edge_table: str = "edges"


def network_from_graph(G: nx.Graph, source: str, fmt: str) -> Network:
    """A networkx graph (as the graph readers give it) as a :class:`Network`."""
    directed = G.is_directed()
    net = Network(source, fmt)
    net.nodes = [(str(n), dict(d)) for n, d in G.nodes(data=True)]
    edges = G.edges(data=True)
    for u, v, data in edges:
        flag = data.get("directed")
        edge_directed = directed if flag is None else str(flag).strip().casefold() in ("true", "1", "yes")
        net.edges.append((str(u), str(v), dict(data), edge_directed))
    return net


def _text(data: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _parts(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(text) if p.strip()]


def _node_id(prefix: str, node: str) -> str:
    return node if _ID_OK.match(node) else stable_id(prefix, node)


def _org_kind(text: str) -> OrgKind:
    try:
        return OrgKind(fold(text).replace(" ", "_"))
    except ValueError:
        return OrgKind.OTHER


def _actor(node: str, data: dict[str, Any], mapping: Mapping, report: ImportReport) -> Person | Organisation:
    name = _text(data, "name", "label") or node
    found = mapping.element(_text(data, "actor_type", "type"), name, report)
    ward = _text(data, "ward") or None
    if found.actor_type == "person":
        roles = [fold(r).replace(" ", "_") for r in _parts(_text(data, "roles"))]
        roles = roles or [(found.role.value if found.role else "resident")]
        return Person.model_validate({"id": _node_id("p-net", node), "name": name, "roles": roles, "ward": ward})
    kind = _text(data, "kind") or (found.kind or guess_kind(name)).value
    sector = _text(data, "sector") or sector_for(_org_kind(kind)).value
    return Organisation.model_validate(
        {"id": _node_id("o-net", node), "name": name, "kind": kind, "sector": sector, "ward": ward}
    )


def _weight(data: dict[str, Any]) -> float:
    value = data.get("weight")
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1.0
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"weight {value!r} is not a number") from None
    if not math.isfinite(weight):
        raise ValueError(f"weight {value!r} is not a finite number")
    return weight


def _kind_text(data: dict[str, Any]) -> str:
    text = _text(data, "kind", "kinds", "relationship", "relation")
    if text:
        return text
    type_text = _text(data, "type")
    if type_text and fold(type_text) not in _DIRECTION_WORDS:
        return type_text
    return _text(data, "label")


def parse_network(net: Network, mapping: Mapping | None = None, progress: Progress | None = None) -> Parsed:
    """Map a :class:`Network` onto people, organisations and ties (nothing is written)."""
    mapping = mapping or Mapping()
    report = ImportReport(source=net.source, format=net.format)
    parsed = Parsed(Batch(), report)
    ids: dict[str, str] = {}
    types: dict[str, str] = {}
    nodes = report.table(net.node_table)
    node_keys: set[str] = set()
    for node, data in net.nodes:
        nodes.read += 1
        node_keys.update(data)
        where = f"{net.node_table} {node!r}"
        try:
            actor = _actor(node, data, mapping, report)
        except (ValueError, ValidationError) as exc:
            report.reject(where, reason(exc))
            continue
        if actor.id in parsed.origins:
            report.reject(where, f"gives the same id as {parsed.origins[actor.id]}")
            continue
        parsed.origins[actor.id] = where
        ids[node], types[node] = actor.id, actor.actor_type
        (parsed.batch.people if isinstance(actor, Person) else parsed.batch.organisations).append(actor)
    report.ignore_columns(net.node_table, sorted(k for k in node_keys if k not in NODE_ATTRIBUTES))
    _read_edges(net, parsed, mapping, ids, types)
    if progress:
        progress(len(net.nodes) + len(net.edges))
    report.count(parsed.batch)
    return parsed


def _read_edges(net: Network, parsed: Parsed, mapping: Mapping, ids: dict[str, str], types: dict[str, str]) -> None:
    report = parsed.report
    edges = report.table(net.edge_table)
    edge_keys: set[str] = set()
    ties: dict[str, Tie] = {}
    intro_only = unweighted = 0
    for u, v, data, directed in net.edges:
        edges.read += 1
        edge_keys.update(data)
        where = f"{net.edge_table} {u!r}-{v!r}"
        if u == v:
            edges.skip("self-loop")
            continue
        if "kinds" in data and not _text(data, "kinds") and int(data.get("introductions") or 0) > 0:
            intro_only += 1
            edges.skip("introductions only, not a tie")
            continue
        if u not in ids or v not in ids:
            report.reject(where, f"joins a node that was rejected ({u if u not in ids else v!r})")
            continue
        try:
            weight = _weight(data)
            if weight <= 0:
                unweighted += 1
                weight = 1.0
            for kind_text in _parts(_kind_text(data)) or [""]:
                tie = _tie(ids, types, u, v, data, directed, weight, kind_text, mapping, report)
                held = ties.get(tie.id)
                if held is None:
                    ties[tie.id] = tie
                    parsed.origins[tie.id] = where
                else:
                    edges.merged += 1
                    ties[tie.id] = held.model_copy(update={"weight": held.weight + tie.weight})
        except (ValueError, ValidationError) as exc:
            report.reject(where, reason(exc))
    parsed.batch.ties.extend(ties.values())
    report.ignore_columns(net.edge_table, sorted(k for k in edge_keys if k not in EDGE_ATTRIBUTES | {"introductions"}))
    if edges.merged:
        report.notes.append(
            f"{edges.merged:,} parallel edge(s) merged into the tie they repeat; the tie's weight is the sum of theirs"
        )
    if unweighted:
        report.notes.append(
            f"{unweighted:,} edge(s) have a weight of 0 or below, which is not a strength; they were kept with weight 1"
        )
    if intro_only:
        report.notes.append(f"{intro_only} edge(s) carry only introductions, which are not ties; they were left out")


def _tie(
    ids: dict[str, str], types: dict[str, str], u: str, v: str, data: dict[str, Any], directed: bool,
    weight: float, kind_text: str, mapping: Mapping, report: ImportReport,
) -> Tie:
    found = mapping.connection(kind_text, report)
    kind, label = found.kind, found.label
    source, target = (v, u) if found.swap(directed, types[u], types[v]) else (u, v)
    fields: dict[str, Any] = {
        "source_id": ids[source], "target_id": ids[target], "kind": kind, "weight": weight,
        "label": label or (_text(data, "label")[:MAX_TAG] if _text(data, "kind", "kinds") else None),
        "source": _tie_source(_text(data, "tie_source", "source")),
    }
    for key in ("since", "last_confirmed"):
        if _text(data, key):
            fields[key] = _text(data, key)
    return Tie.model_validate(fields)


def _tie_source(text: str) -> TieSource:
    """How the tie became known: one of ours, else ``import`` (another tool's ``source`` may mean anything)."""
    try:
        return TieSource(fold(text).replace(" ", "_")) if text else TieSource.IMPORT
    except ValueError:
        return TieSource.IMPORT


def network_for_export(store: Store, transform: GraphTransform | None = None) -> nx.MultiDiGraph:
    """Actors as nodes (the analysis projection's attributes) and one directed edge per tie.

    People left out of analysis (withdrawn consent, restricted) are left out
    with their ties; introductions are not ties and are not included.
    """
    from ..graph import build_graph

    projection = build_graph(store)
    G = nx.MultiDiGraph()
    G.add_nodes_from(projection.nodes(data=True))
    for tie in store.iter_ties():
        if tie.source_id in G and tie.target_id in G:
            G.add_edge(
                tie.source_id, tie.target_id, key=tie.id, kind=tie.kind.value, weight=tie.weight,
                label=tie.label or "", since=tie.since.isoformat() if tie.since else "",
                last_confirmed=tie.last_confirmed.isoformat() if tie.last_confirmed else "", tie_source=tie.source.value,
            )
    if transform is not None:
        G = transform(G)
    flat = flat_multigraph(G)
    for _node, data in flat.nodes(data=True):
        data.setdefault("label", data.get("name", ""))
    return flat


def flat_multigraph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` with node attributes made flat (see :func:`~connector_graph.io.projection.flat_graph`); edge keys kept."""
    simple = nx.Graph()
    simple.add_nodes_from(G.nodes(data=True))
    out = nx.MultiDiGraph()
    out.add_nodes_from(flat_graph(simple).nodes(data=True))
    out.add_edges_from((u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return out

"""GraphML: export of the analysis projection, and import of actors and ties.

Import reads each node's id, ``name`` (or ``label``) and type
(``actor_type`` or ``type``: person, organisation, or any element type the
Kumu importer knows), plus ``ward``, ``roles``, ``kind`` and ``sector``
when present. Each edge becomes one tie per kind in its ``kinds`` (our
export, ``|``-separated), ``kind`` or ``type`` attribute; an edge with none
of them is a ``knows`` tie, and an edge that only carries introductions
(our export) is left out, since introductions are not in the projection.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from ..errors import InvalidInput
from ..model import MAX_ID, Organisation, OrgKind, Person, Tie, TieKind, TieSource
from ..store.base import Batch, Progress
from .files import require_file, safe_output_path
from .kumu import CONNECTION_TYPES, ORGANISATION_TYPES, PERSON_TYPES
from .report import ImportReport, Parsed, reason, stable_id
from .vocab import sector_for

__all__ = ["write_graphml", "read_graphml", "NODE_ATTRIBUTES", "EDGE_ATTRIBUTES"]

#: Node attributes that are stored; others are reported as ignored.
NODE_ATTRIBUTES = {"name", "label", "actor_type", "type", "ward", "roles", "kind", "sector"}
#: Edge attributes that are read; others are reported as ignored.
EDGE_ATTRIBUTES = {"kinds", "kind", "type", "introductions"}
_ID_OK = re.compile(r"^\S{1,%d}$" % MAX_ID)
_SPLIT = re.compile(r"[|,;]")


def write_graphml(G: nx.Graph, path: Path | str) -> Path:
    """Write a flat projection (see :func:`~connector_graph.io.projection.flat_graph`) as GraphML."""
    with safe_output_path(path) as partial:
        nx.write_graphml(G, partial, encoding="utf-8", prettyprint=False, named_key_ids=True)
    return Path(path)


def read_graphml(path: Path | str, progress: Progress | None = None) -> Parsed:
    """Read a GraphML file into people, organisations and ties (nothing is written)."""
    path = require_file(path, "GraphML file")
    try:
        G = nx.read_graphml(path, force_multigraph=True)
    except ET.ParseError as exc:
        raise InvalidInput(f"{path.name} is not well-formed XML ({exc})") from None
    except (nx.NetworkXError, KeyError, ValueError, TypeError) as exc:
        raise InvalidInput(f"{path.name} is not a readable GraphML file: {exc}") from None
    report = ImportReport(source=path.name, format="graphml")
    parsed = Parsed(Batch(), report)
    ids: dict[Any, str] = {}
    node_keys: set[str] = set()
    for node, data in G.nodes(data=True):
        node_keys.update(data)
        where = f"node {node!r}"
        try:
            actor = _actor(str(node), data)
        except (ValueError, ValidationError) as exc:
            report.reject(where, reason(exc))
            continue
        if actor.id in parsed.origins:
            report.reject(where, f"gives the same id as {parsed.origins[actor.id]}")
            continue
        parsed.origins[actor.id] = where
        ids[node] = actor.id
        (parsed.batch.people if isinstance(actor, Person) else parsed.batch.organisations).append(actor)
    report.ignore_columns("nodes", sorted(k for k in node_keys if k not in NODE_ATTRIBUTES))
    edge_keys: set[str] = set()
    seen: set[str] = set()
    intro_only = 0
    for u, v, data in G.edges(data=True):
        edge_keys.update(data)
        where = f"edge {u!r}-{v!r}"
        kinds = _edge_kinds(data)
        if kinds is None:
            intro_only += 1
            continue
        if u not in ids or v not in ids:
            report.reject(where, f"joins a node that was rejected ({u if u not in ids else v!r})")
            continue
        for kind_text in kinds:
            kind = CONNECTION_TYPES.get(" ".join(kind_text.replace("_", " ").casefold().split()))
            if kind is None:
                report.reject(where, f"unknown tie kind {kind_text!r}; use one of {', '.join(k.value for k in TieKind)}")
                continue
            try:
                tie = Tie(source_id=ids[u], target_id=ids[v], kind=kind, source=TieSource.IMPORT)
            except ValidationError as exc:
                report.reject(where, reason(exc))
                continue
            if tie.id not in seen:
                seen.add(tie.id)
                parsed.origins[tie.id] = where
                parsed.batch.ties.append(tie)
    report.ignore_columns("edges", sorted(k for k in edge_keys if k not in EDGE_ATTRIBUTES))
    if intro_only:
        report.notes.append(f"{intro_only} edge(s) carry only introductions, which are not ties; they were left out")
    if progress:
        progress(G.number_of_nodes() + G.number_of_edges())
    report.count(parsed.batch)
    return parsed


def _text(data: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _parts(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(text) if p.strip()]


def _actor(node: str, data: dict[str, Any]) -> Person | Organisation:
    name = _text(data, "name", "label")
    if not name:
        raise ValueError("has no name or label")
    type_text = _text(data, "actor_type", "type")
    type_key = " ".join(type_text.replace("_", " ").casefold().split())
    ward = _text(data, "ward") or None
    if type_key in PERSON_TYPES:
        roles = [r.replace(" ", "_") for r in _parts(_text(data, "roles"))] or [PERSON_TYPES[type_key].value]
        return Person.model_validate({"id": _node_id("p-graphml", node), "name": name, "roles": roles, "ward": ward})
    if type_key in ORGANISATION_TYPES:
        kind = _text(data, "kind") or ORGANISATION_TYPES[type_key].value
        sector = _text(data, "sector") or sector_for(_org_kind(kind)).value
        return Organisation.model_validate(
            {"id": _node_id("o-graphml", node), "name": name, "kind": kind, "sector": sector, "ward": ward}
        )
    if not type_key:
        raise ValueError("has no actor_type (person or organisation)")
    raise ValueError(f"unknown actor type {type_text!r}; use person or organisation")


def _org_kind(text: str) -> OrgKind:
    try:
        return OrgKind(text.replace(" ", "_").casefold())
    except ValueError:
        return OrgKind.OTHER


def _node_id(prefix: str, node: str) -> str:
    return node if _ID_OK.match(node) else stable_id(prefix, node)


def _edge_kinds(data: dict[str, Any]) -> list[str] | None:
    """The tie kinds an edge names; ``None`` for an edge made of introductions only."""
    named = _parts(_text(data, "kinds", "kind", "type"))
    if named:
        return named
    if "kinds" in data and int(data.get("introductions") or 0) > 0:
        return None
    return [TieKind.KNOWS.value]

"""Kumu JSON blueprints: the ``elements``, ``connections`` and ``attributes`` of a Kumu project.

Reading turns a blueprint into the same element and connection tables as a
Kumu workbook, so one set of rules (:mod:`connector_graph.io.kumu`) maps
both: an element's attributes become its columns (``element type`` is the
Type); a connection's ``from`` and ``to`` name elements by their ``_id``,
its ``direction`` is kept and ``connection type`` is the Type. An element
with an ``id`` attribute (our export writes one) keeps that id.

Writing gives a blueprint Kumu can import, with the same columns as our
Kumu workbook, in Kumu's lower-case attribute names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..store.base import Batch
from .files import CsvTable, load_json, safe_output
from .kumu import CONNECTION_COLUMNS, connection_cells, element_cells, element_header, table_from_records

__all__ = ["read_blueprint_tables", "write_kumu_blueprint", "is_blueprint"]

_RENAMED = {"element type": "Type", "connection type": "Type"}


def is_blueprint(data: Any) -> bool:
    """True for a parsed JSON document shaped like a Kumu blueprint."""
    return isinstance(data, dict) and isinstance(data.get("elements"), list) and (
        isinstance(data.get("connections"), list) or isinstance(data.get("attributes"), list)
    )


def _columns(attributes: Any, where: str) -> dict[str, Any]:
    if not isinstance(attributes, dict):
        raise InvalidInput(f"{where} has no attributes object")
    return {_RENAMED.get(k.casefold(), k): v for k, v in attributes.items()}


def read_blueprint_tables(path: Path) -> tuple[CsvTable, CsvTable | None]:
    """The elements and connections of a blueprint, as tables (raises ``InvalidInput`` for a malformed one)."""
    data = load_json(path, "Kumu blueprint")
    if not is_blueprint(data):
        raise InvalidInput(f"{path.name} is not a Kumu blueprint: it needs an 'elements' list and a 'connections' list")
    elements: list[dict[str, Any]] = []
    kumu_ids: dict[str, str] = {}
    for number, element in enumerate(data["elements"], start=1):
        where = f"{path.name} element {number}"
        if not isinstance(element, dict) or not element.get("_id"):
            raise InvalidInput(f"{where} has no _id")
        row = _columns(element.get("attributes", {}), where)
        given = row.pop("id", None) or row.pop("ID", None)
        row = {"ID": str(given or element["_id"]), **row}
        kumu_ids[str(element["_id"])] = row["ID"]
        elements.append(row)
    connections: list[dict[str, Any]] = []
    for number, connection in enumerate(data.get("connections") or [], start=1):
        where = f"{path.name} connection {number}"
        if not isinstance(connection, dict):
            raise InvalidInput(f"{where} is not an object")
        ends = []
        for end in ("from", "to"):
            ref = connection.get(end)
            if ref not in kumu_ids:
                raise InvalidInput(f"{where}: '{end}' names no element of this blueprint ({ref!r})")
            ends.append(kumu_ids[ref])
        row = _columns(connection.get("attributes") or {}, where)
        connections.append({"From": ends[0], "To": ends[1], "Direction": connection.get("direction") or "", **row})
    return table_from_records("elements", elements), table_from_records("connections", connections)


def _value(column: str, cell: Any) -> Any:
    if cell is None or cell == "":
        return None
    if column in ("Tags", "Gifts", "Skills", "Needs", "Spaces", "Roles") and isinstance(cell, str):
        return [part.strip() for part in cell.split("|") if part.strip()]
    return cell


def write_kumu_blueprint(batch: Batch, path: Path | str) -> Path:
    """Write people, organisations and ties as a Kumu JSON blueprint (introductions are not part of a Kumu map)."""
    header = element_header()
    elements = []
    for actor in (*batch.people, *batch.organisations):
        cells = dict(zip(header, element_cells(actor)))
        attributes = {("element type" if k == "Type" else k.casefold()): _value(k, v) for k, v in cells.items()}
        elements.append({"_id": f"elem-{actor.id}", "attributes": {k: v for k, v in attributes.items() if v is not None}})
    connections = []
    for number, tie in enumerate(batch.ties, start=1):
        cells = dict(zip(CONNECTION_COLUMNS, connection_cells(tie)))
        source, target, direction = cells.pop("From"), cells.pop("To"), cells.pop("Direction")
        attributes = {("connection type" if k == "Type" else k.casefold()): v for k, v in cells.items() if v not in ("", None)}
        connections.append({
            "_id": f"conn-{number}", "direction": direction, "from": f"elem-{source}", "to": f"elem-{target}",
            "attributes": attributes,
        })
    names = sorted({k for e in elements for k in e["attributes"]} | {k for c in connections for k in c["attributes"]})
    document = {
        "name": "connector_graph export",
        "attributes": [{"name": name} for name in names],
        "elements": elements,
        "connections": connections,
    }
    with safe_output(path) as handle:
        handle.write(json.dumps(document, ensure_ascii=False, indent=1))
    return Path(path)

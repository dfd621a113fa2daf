"""Open Referral JSON, in every shape directories publish it, as flat tables.

Accepted shapes:

- an API page ``{"total_items", "total_pages", "page_number", "contents": [...]}``
  (HSDS 3 / ORUK 3.0; the older ``{"content": [...]}`` too) or a plain list,
  of services or of organizations;
- a single ``service`` object (nesting ``organization``,
  ``service_at_locations[].location.addresses[]``, ``schedules``,
  ``service_areas``...), a single ``organization`` object (nesting
  ``services`` and ``locations``), or a ``service_at_location`` object;
- flat tables under their names (``{"organizations": [...], "services": [...]}``).

Nested arrays that nothing reads (contacts, languages, funding, ...) are
counted per field in ``dropped`` so the import report can list them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...errors import InvalidInput
from ..report import unneutralise
from .tables import NESTED, OUR_ID, OUR_KIND, OUR_SECTOR, OUR_SPACE, OUR_WARD, TABLES, Tables

__all__ = ["SCHEME", "KIND_TAXONOMY", "SECTOR_TAXONOMY", "SPACE_TAXONOMY", "WARD_TAXONOMY", "flatten", "items_of", "as_tables"]

#: The identifier type (and scheme) under which our export keeps our own id of an organisation.
SCHEME = "connector_graph"
#: Taxonomies of the terms our export attaches: an organisation's kind and sector, and spaces (not services).
KIND_TAXONOMY, SECTOR_TAXONOMY, SPACE_TAXONOMY = "connector_graph:kind", "connector_graph:sector", "connector_graph:space"
WARD_TAXONOMY = "connector_graph:ward"
_SERVICE_KEYS = ("organization", "organization_id", "service_at_locations", "status", "schedules", "service_areas")
_USED_SERVICE_ARRAYS = {"organization", "service_at_locations", "schedules", "service_areas", "attributes"}
_USED_ORG_ARRAYS = {"services", "locations", "organization_identifiers", "attributes"}
_USED_LOCATION_ARRAYS = {"addresses", "physical_addresses"}

Record = dict[str, Any]


def items_of(document: Any, source: str) -> list[Any] | None:
    """The records of an API page, a list or a single object; None for flat tables."""
    if isinstance(document, dict):
        for key in ("contents", "content"):
            if isinstance(document.get(key), list):
                return document[key]
        if "id" in document:
            return [document]
        if any(isinstance(document.get(name), list) for name in (*TABLES, *(n[:-1] for n in TABLES))):
            return None
    if isinstance(document, list):
        return document
    raise InvalidInput(
        f"{source} is not an Open Referral document (expected an API page with contents, "
        "a service or organization, or tables of organizations and services)"
    )


def flatten(document: Any, source: str) -> tuple[Tables, Counter[str]]:
    """Any accepted JSON shape as flat tables, and the nested fields dropped (with counts)."""
    items = items_of(document, source)
    if items is None:
        return _flat_tables(document, source), Counter()
    flat = _Flattener(source)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidInput(f"{source}: record [{i}] is not an object")
        flat.record(item, f"{source} record [{i}]")
    return flat.tables(), flat.dropped


def as_tables(records: dict[str, list[tuple[str, Record]]]) -> Tables:
    """Records (with where each was read) as tables of text cells."""
    tables: Tables = {}
    for name, rows in records.items():
        if not rows and name not in ("organizations", "services"):
            continue
        columns: dict[str, None] = {}
        out = []
        for where, record in rows:
            row = {str(k).casefold(): _text(v) for k, v in record.items() if not isinstance(v, (list, dict))}
            columns.update(dict.fromkeys(row))
            out.append((where, row))
        tables[name] = (out, list(columns))
    return tables


def _flat_tables(document: dict[str, Any], source: str) -> Tables:
    records: dict[str, list[tuple[str, Record]]] = {}
    for name in TABLES:
        rows = document.get(name, document.get(name[:-1]))
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidInput(f"{source}: {name} must be a list of objects")
        records[name] = [(f"{name}[{i}]", r) for i, r in enumerate(rows)]
    return as_tables(records)


class _Flattener:
    """Collects the rows of nested records, table by table."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.rows: dict[str, list[tuple[str, Record]]] = {name: [] for name in TABLES}
        self.dropped: Counter[str] = Counter()
        self._locations: set[str] = set()

    def tables(self) -> Tables:
        return as_tables(self.rows)

    def record(self, item: Record, where: str) -> None:
        if isinstance(item.get("service"), dict) and isinstance(item.get("location"), dict):
            link = {"id": item.get("id"), "location": item["location"]}
            self.service({**item["service"], "service_at_locations": [link]}, where)
        elif "services" in item or not any(k in item for k in _SERVICE_KEYS):
            self.organization(item, where, nested=False)
        else:
            self.service(item, where)

    def organization(self, org: Record, where: str, *, nested: bool) -> str:
        oid = _text(org.get("id"))
        row: Record = {**org, NESTED: "1" if nested else ""}
        for ident in _list(org.get("organization_identifiers")):
            if SCHEME in (ident.get("identifier_type"), ident.get("identifier_scheme")):
                row[OUR_ID] = ident.get("identifier")
            else:
                self.dropped["organization.organization_identifiers"] += 1
        terms = _terms(org, self.dropped, "organization")
        row[OUR_KIND], row[OUR_SECTOR] = terms.get(KIND_TAXONOMY, ""), terms.get(SECTOR_TAXONOMY, "")
        row[OUR_WARD] = terms.get(WARD_TAXONOMY, "")
        self.rows["organizations"].append((where, row))
        self._drop("organization", org, _USED_ORG_ARRAYS)
        for i, service in enumerate(_list(org.get("services"))):
            self.service({**service, "organization_id": service.get("organization_id") or oid}, f"{where} services[{i}]",
                         with_org=False)
        for location in _list(org.get("locations")):
            self.location({**location, "organization_id": location.get("organization_id") or oid})
        return oid

    def service(self, service: Record, where: str, *, with_org: bool = True) -> None:
        sid = _text(service.get("id"))
        org = service.get("organization")
        org_id = _text(service.get("organization_id"))
        if with_org and isinstance(org, dict) and org.get("id") is not None:
            org_id = self.organization(org, f"{where} organization", nested=True) or org_id
        space = SPACE_TAXONOMY in _terms(service, self.dropped, "service")
        self.rows["services"].append((where, {**service, "organization_id": org_id, OUR_SPACE: "1" if space else ""}))
        self._drop("service", service, _USED_SERVICE_ARRAYS)
        for link in _list(service.get("service_at_locations")):
            location = link.get("location") if isinstance(link.get("location"), dict) else {}
            loc_id = _text(location.get("id")) or _text(link.get("location_id"))
            self.rows["service_at_locations"].append((where, {"id": link.get("id"), "service_id": sid, "location_id": loc_id}))
            if location:
                self.location(location)
        for schedule in _list(service.get("schedules")):
            self.rows["schedules"].append((where, {**schedule, "service_id": sid}))
        for area in _list(service.get("service_areas")):
            self.rows["service_areas"].append((where, {**area, "service_id": sid}))

    def location(self, location: Record) -> None:
        loc_id = _text(location.get("id"))
        if loc_id in self._locations:
            return
        self._locations.add(loc_id)
        self.rows["locations"].append((f"location {loc_id}", location))
        self._drop("location", location, _USED_LOCATION_ARRAYS)
        for key in _USED_LOCATION_ARRAYS:
            for address in _list(location.get(key)):
                self.rows["physical_addresses"].append((f"location {loc_id}", {**address, "location_id": loc_id}))

    def _drop(self, kind: str, record: Record, used: set[str]) -> None:
        for key, value in record.items():
            if key in used or not value:
                continue
            if isinstance(value, list):
                self.dropped[f"{kind}.{key}"] += len(value)
            elif isinstance(value, dict):
                self.dropped[f"{kind}.{key}"] += 1


def _list(value: Any) -> list[Record]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _terms(record: Record, dropped: Counter[str], kind: str) -> dict[str, str]:
    """Our own taxonomy terms attached to a record, by taxonomy (other attributes are counted as dropped)."""
    out: dict[str, str] = {}
    for attribute in _list(record.get("attributes")):
        term = attribute.get("taxonomy_term")
        if isinstance(term, dict) and str(term.get("taxonomy", "")).startswith(SCHEME + ":"):
            out[term["taxonomy"]] = _text(term.get("name"))
        else:
            dropped[f"{kind}.attributes"] += 1
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(unneutralise(str(value))).strip()

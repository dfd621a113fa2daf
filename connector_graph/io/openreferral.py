"""Open Referral UK (HSDS) directories into organisations: what they offer and where.

Accepted forms:

- a folder of CSV files (a data package): ``organizations.csv``,
  ``services.csv``, and optionally ``locations.csv``,
  ``service_at_locations.csv`` and ``physical_addresses.csv`` (singular
  file names work too);
- a JSON file holding those tables as lists under the same names, or the
  ORUK API's nested form: a list of services (or ``{"content": [...]}``),
  each with its ``organization`` and ``service_at_locations``.

Mapping: each organization becomes an organisation with id ``oruk-<id>``;
its kind is guessed from its name (``guess_kind``) and its sector follows
from the kind. Each active service adds its name as an ``offers`` tag.
Its ward is the first of its locations whose name, ward column or address
part matches a known ward; otherwise it has none.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from ..errors import InvalidInput
from ..model import MAX_ID, MAX_TAGS, Organisation
from ..store.base import Batch, Progress
from .files import CsvTable, load_json, read_csv_rows, require_file
from .report import ImportReport, Parsed, reason, stable_id, unneutralise
from .vocab import as_tag, guess_kind, sector_for

__all__ = ["TABLES", "USED_COLUMNS", "WARD_COLUMNS", "read_openreferral", "organisation_id"]

#: The tables read, by their plural name.
TABLES = ["organizations", "services", "locations", "service_at_locations", "physical_addresses"]
#: The columns of each table that are used; every other column is reported as ignored.
USED_COLUMNS: dict[str, set[str]] = {
    "organizations": {"id", "name"},
    "services": {"id", "organization_id", "name", "status"},
    "locations": {"id", "organization_id", "name", "ward", "electoral_ward", "admin_area"},
    "service_at_locations": {"id", "service_id", "location_id"},
    "physical_addresses": {"id", "location_id", "address_1", "address_2", "city", "state_province", "region"},
}
REQUIRED: dict[str, set[str]] = {
    "organizations": {"id", "name"},
    "services": {"id", "organization_id", "name"},
    "locations": {"id"},
    "service_at_locations": {"service_id", "location_id"},
    "physical_addresses": {"location_id"},
}
#: Location columns that may hold a ward's name.
WARD_COLUMNS = ("ward", "electoral_ward", "admin_area", "name")
_ADDRESS_COLUMNS = ("address_1", "address_2", "city", "region", "state_province")
_INACTIVE = {"inactive", "defunct", "closed", "temporarily closed"}
_ID_OK = re.compile(r"^\S{1,%d}$" % (MAX_ID - 5))

Row = dict[str, str]


def organisation_id(oruk_id: str) -> str:
    """Our id for the ORUK organization ``oruk_id`` (stable across imports).

    Examples
    --------
    >>> organisation_id("a1b2c3")
    'oruk-a1b2c3'
    >>> organisation_id("has spaces").startswith("o-oruk-")
    True
    """
    return f"oruk-{oruk_id}" if _ID_OK.match(oruk_id) else stable_id("o-oruk", oruk_id)


def read_openreferral(path: Path | str, known_wards: Iterable[str] = (), progress: Progress | None = None) -> Parsed:
    """Read an ORUK data package (folder of CSVs or JSON file) into organisations.

    ``known_wards`` are the ward names a location may match (usually the
    store's wards). Nothing is written.
    """
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"no such Open Referral package: {path}")
    report = ImportReport(source=path.name, format="openreferral")
    tables = _read_folder(path, report) if path.is_dir() else _read_json(path)
    for name in ("organizations", "services"):
        if name not in tables:
            raise InvalidInput(f"{path.name} has no {name} table; an Open Referral package needs organizations and services")
    for name, (rows, columns) in tables.items():
        missing = REQUIRED[name] - set(columns)
        if missing:
            raise InvalidInput(f"the {name} table lacks the column(s) {', '.join(sorted(missing))}")
        report.ignore_columns(name, sorted(c for c in columns if c not in USED_COLUMNS[name]))
    parsed = Parsed(Batch(), report)
    _map(tables, parsed, {w.casefold(): w for w in known_wards})
    if progress:
        progress(sum(len(rows) for rows, _ in tables.values()))
    report.count(parsed.batch)
    return parsed


# ---------------------------------------------------------------- reading


def _read_folder(folder: Path, report: ImportReport) -> dict[str, tuple[list[tuple[str, Row]], list[str]]]:
    files = {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    tables: dict[str, tuple[list[tuple[str, Row]], list[str]]] = {}
    used: set[str] = set()
    for name in TABLES:
        for candidate in (f"{name}.csv", f"{name[:-1]}.csv", f"{name.replace('addresses', 'address')}.csv"):
            if candidate in files:
                table: CsvTable = read_csv_rows(files[candidate])
                rows = [(f"{table.name} line {n}", {k.strip().casefold(): str(unneutralise(v)).strip() for k, v in row.items()}) for n, row in table]
                tables[name] = (rows, [h.casefold() for h in table.header])
                used.add(candidate)
                break
    others = sorted(p.name for key, p in files.items() if key.endswith(".csv") and key not in used)
    if others:
        report.notes.append(f"tables not read: {', '.join(others)}")
    if not tables:
        raise InvalidInput(f"{folder} holds no Open Referral tables (organizations.csv, services.csv, ...)")
    return tables


def _read_json(path: Path) -> dict[str, tuple[list[tuple[str, Row]], list[str]]]:
    document = load_json(require_file(path, "Open Referral file"), "Open Referral file")
    if isinstance(document, dict) and "content" in document and isinstance(document["content"], list):
        document = document["content"]
    if isinstance(document, list):
        document = _flatten_services(document, path.name)
    if not isinstance(document, dict):
        raise InvalidInput(f"{path.name} is not an Open Referral package (expected tables or a list of services)")
    tables: dict[str, tuple[list[tuple[str, Row]], list[str]]] = {}
    for name in TABLES:
        records = document.get(name, document.get(name[:-1]))
        if records is None:
            continue
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise InvalidInput(f"{path.name}: {name} must be a list of objects")
        columns: dict[str, None] = {}
        rows = []
        for i, record in enumerate(records):
            row = {str(k).casefold(): _text(v) for k, v in record.items() if not isinstance(v, (list, dict))}
            columns.update(dict.fromkeys(row))
            rows.append((f"{name}[{i}]", row))
        tables[name] = (rows, list(columns))
    return tables


def _flatten_services(services: list[Any], source: str) -> dict[str, list[dict[str, Any]]]:
    """The ORUK API's nested services as flat tables."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    seen_orgs: set[str] = set()
    seen_locations: set[str] = set()
    for i, service in enumerate(services):
        if not isinstance(service, dict):
            raise InvalidInput(f"{source}: service [{i}] is not an object")
        org = service.get("organization") or {}
        org_id = _text(org.get("id")) or _text(service.get("organization_id"))
        if org and org_id and org_id not in seen_orgs:
            seen_orgs.add(org_id)
            out["organizations"].append(org)
        out["services"].append({**service, "organization_id": org_id})
        for link in service.get("service_at_locations") or []:
            location = (link or {}).get("location") or {}
            loc_id = _text(location.get("id")) or _text((link or {}).get("location_id"))
            out["service_at_locations"].append({"id": _text((link or {}).get("id")), "service_id": _text(service.get("id")), "location_id": loc_id})
            if location and loc_id not in seen_locations:
                seen_locations.add(loc_id)
                out["locations"].append(location)
                for address in location.get("physical_addresses") or []:
                    out["physical_addresses"].append({**address, "location_id": loc_id})
    return {name: rows for name, rows in out.items() if rows}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(unneutralise(str(value))).strip()


# ---------------------------------------------------------------- mapping


def _map(tables: dict[str, tuple[list[tuple[str, Row]], list[str]]], parsed: Parsed, wards: dict[str, str]) -> None:
    report = parsed.report
    orgs: dict[str, tuple[str, Row]] = {}
    for where, row in tables["organizations"][0]:
        oid = row.get("id", "")
        if not oid:
            report.reject(where, "id is empty")
        elif oid in orgs:
            report.reject(where, f"repeats the organization id {oid!r} from {orgs[oid][0]}")
        else:
            orgs[oid] = (where, row)
    offers: dict[str, list[str]] = {oid: [] for oid in orgs}
    service_org: dict[str, str] = {}
    cut = skipped = 0
    for where, row in tables["services"][0]:
        org_id, name = row.get("organization_id", ""), row.get("name", "")
        if org_id not in orgs:
            report.reject(where, f"organization_id {org_id!r} is not in the organizations table" if org_id else "organization_id is empty")
            continue
        if not name:
            report.reject(where, "name is empty")
            continue
        service_org[row.get("id", "")] = org_id
        if row.get("status", "").casefold() in _INACTIVE:
            skipped += 1
            continue
        tag, was_cut = as_tag(name)
        cut += was_cut
        if tag and tag not in offers[org_id]:
            offers[org_id].append(tag)
    if skipped:
        report.notes.append(f"{skipped} inactive service(s) not added to what organisations offer")
    if cut:
        report.notes.append(f"{cut} service name(s) shortened to fit a tag (40 characters)")
    org_ward = _wards_by_org(tables, service_org, wards)
    too_many = 0
    for oid, (where, row) in orgs.items():
        if len(offers[oid]) > MAX_TAGS:
            too_many += 1
            offers[oid] = offers[oid][:MAX_TAGS]
        kind = guess_kind(row.get("name", ""))
        try:
            org = Organisation.model_validate({
                "id": organisation_id(oid),
                "name": row.get("name", ""),
                "kind": kind,
                "sector": sector_for(kind),
                "ward": org_ward.get(oid),
                "offers": offers[oid],
            })
        except ValidationError as exc:
            report.reject(where, reason(exc))
            continue
        parsed.origins[org.id] = where
        parsed.batch.organisations.append(org)
    if too_many:
        report.notes.append(f"{too_many} organisation(s) offer more than {MAX_TAGS} services; the first {MAX_TAGS} were kept")
    if wards:
        placed = sum(1 for o in parsed.batch.organisations if o.ward)
        report.notes.append(f"{placed} of {len(parsed.batch.organisations)} organisation(s) placed in a known ward")
    else:
        report.notes.append("no wards are known, so no organisation was placed in a ward")


def _wards_by_org(
    tables: dict[str, tuple[list[tuple[str, Row]], list[str]]], service_org: dict[str, str], wards: dict[str, str]
) -> dict[str, str]:
    if not wards or "locations" not in tables:
        return {}
    addresses: dict[str, list[Row]] = {}
    for _where, row in tables.get("physical_addresses", ([], []))[0]:
        addresses.setdefault(row.get("location_id", ""), []).append(row)
    location_ward: dict[str, str] = {}
    location_org: dict[str, list[str]] = {}
    for _where, row in tables["locations"][0]:
        lid = row.get("id", "")
        ward = _match_ward([row.get(c, "") for c in WARD_COLUMNS], wards)
        for address in addresses.get(lid, []):
            ward = ward or _match_ward([address.get(c, "") for c in _ADDRESS_COLUMNS], wards)
        if ward:
            location_ward[lid] = ward
        if row.get("organization_id"):
            location_org.setdefault(lid, []).append(row["organization_id"])
    for _where, row in tables.get("service_at_locations", ([], []))[0]:
        org_id = service_org.get(row.get("service_id", ""))
        if org_id:
            location_org.setdefault(row.get("location_id", ""), []).append(org_id)
    out: dict[str, str] = {}
    for _where, row in tables["locations"][0]:  # first matching location wins, in file order
        lid = row.get("id", "")
        for org_id in location_org.get(lid, []):
            if lid in location_ward:
                out.setdefault(org_id, location_ward[lid])
    return out


def _match_ward(texts: list[str], wards: dict[str, str]) -> str | None:
    for text in texts:
        for part in [text, *text.split(",")]:
            found = wards.get(" ".join(part.split()).casefold())
            if found:
                return found
    return None

"""Open Referral tables (organizations, services, locations, ...) into organisations.

Every accepted form ends here as flat tables: a folder of CSV files is read
by :func:`read_folder`, a JSON file or API response is flattened by
:mod:`.nested`. :func:`map_tables` turns the tables into organisations.

Mapping: each organization becomes an organisation with id ``oruk-<id>``
(or the id it carries under our own identifier scheme, see :mod:`.export`);
its kind is guessed from its name (``guess_kind``) unless the record states
one, and its sector follows from the kind. Each active service adds its name
as an ``offers`` tag. Its ward is the first of its locations or service areas
whose name, ward column or address part matches a known ward.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from ...errors import InvalidInput
from ...model import MAX_DETAILS, MAX_ID, MAX_TAGS, Organisation
from ..files import CsvTable, read_csv_rows
from ..report import ImportReport, Parsed, reason, stable_id, unneutralise
from ..vocab import as_tag, guess_kind, sector_for
from .details import where_and_when

__all__ = [
    "TABLES",
    "USED_COLUMNS",
    "WARD_COLUMNS",
    "OUR_ID",
    "OUR_KIND",
    "OUR_SECTOR",
    "OUR_SPACE",
    "OUR_WARD",
    "NESTED",
    "Row",
    "Table",
    "Tables",
    "organisation_id",
    "read_folder",
    "map_tables",
]

#: The tables read, by their plural name.
TABLES = [
    "organizations",
    "services",
    "locations",
    "service_at_locations",
    "physical_addresses",
    "service_areas",
    "schedules",
]
#: Columns our own export adds (from identifiers and taxonomy terms) so a round trip keeps ids, kinds and spaces.
OUR_ID, OUR_KIND, OUR_SECTOR, OUR_SPACE = "x_connector_graph_id", "x_kind", "x_sector", "x_space"
OUR_WARD = "x_ward"
#: Marks an organization that was nested in another record (so its repeats are expected, not errors).
NESTED = "x_nested"
#: The columns of each table that are used; every other column is reported as ignored.
USED_COLUMNS: dict[str, set[str]] = {
    "organizations": {"id", "name", OUR_ID, OUR_KIND, OUR_SECTOR, OUR_WARD, NESTED},
    "services": {"id", "organization_id", "name", "status", OUR_SPACE},
    "locations": {"id", "organization_id", "name", "ward", "electoral_ward", "admin_area"},
    "service_at_locations": {"id", "service_id", "location_id"},
    "physical_addresses": {"id", "location_id", "address_1", "address_2", "city", "state_province", "region", "postal_code"},
    "service_areas": {"id", "service_id", "name", "service_area"},
    "schedules": {"id", "service_id", "weekday", "freq", "byday", "opens_at", "closes_at", "description"},
}
REQUIRED: dict[str, set[str]] = {
    "organizations": {"id", "name"},
    "services": {"id", "organization_id", "name"},
    "locations": {"id"},
    "service_at_locations": {"service_id", "location_id"},
    "physical_addresses": {"location_id"},
    "service_areas": {"service_id"},
    "schedules": set(),
}
#: File names each table may have in a CSV package (HSDS 1.x, 2 and 3 spell some differently).
FILE_NAMES: dict[str, tuple[str, ...]] = {
    "organizations": ("organizations", "organization"),
    "services": ("services", "service"),
    "locations": ("locations", "location"),
    "service_at_locations": ("service_at_locations", "services_at_location", "service_at_location", "services_at_locations"),
    "physical_addresses": ("physical_addresses", "physical_address", "addresses", "address"),
    "service_areas": ("service_areas", "service_area"),
    "schedules": ("regular_schedules", "schedules", "schedule"),
}
#: Location columns that may hold a ward's name.
WARD_COLUMNS = ("ward", "electoral_ward", "admin_area", "name")
_ADDRESS_COLUMNS = ("address_1", "address_2", "city", "region", "state_province")
_AREA_COLUMNS = ("name", "service_area")
_INACTIVE = {"inactive", "defunct", "closed", "temporarily closed"}
_ID_OK = re.compile(r"^\S{1,%d}$" % (MAX_ID - 5))

Row = dict[str, str]
#: One table: its rows (each with where it was read, for messages) and its column names.
Table = tuple[list[tuple[str, Row]], list[str]]
Tables = dict[str, Table]


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


def read_folder(folder: Path, report: ImportReport) -> Tables:
    """The Open Referral tables of a folder of CSV files (other files are listed in the report)."""
    files = {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    tables: Tables = {}
    used: set[str] = set()
    for name in TABLES:
        for stem in FILE_NAMES[name]:
            candidate = f"{stem}.csv"
            if candidate in files:
                table: CsvTable = read_csv_rows(files[candidate])
                rows = [
                    (f"{table.name} line {n}", {k.strip().casefold(): str(unneutralise(v)).strip() for k, v in row.items()})
                    for n, row in table
                ]
                tables[name] = (rows, [h.casefold() for h in table.header])
                used.add(candidate)
                break
    others = sorted(p.name for key, p in files.items() if key.endswith(".csv") and key not in used)
    if others:
        report.notes.append(f"tables not read (nothing in them is stored): {', '.join(others)}")
    if not tables:
        raise InvalidInput(f"{folder} holds no Open Referral tables (organizations.csv, services.csv, ...)")
    return tables


@dataclass
class _Tally:
    """What happened to the rows of one table."""

    read: int = 0
    used: int = 0
    merged: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)

    def line(self, table: str, used_as: str) -> str:
        parts = [f"{table}: read {self.read:,}", f"{self.used:,} {used_as}"]
        parts += [f"{n:,} merged ({why})" for why, n in sorted(self.merged.items())]
        parts += [f"{n:,} skipped ({why})" for why, n in sorted(self.skipped.items())]
        return "; ".join(parts)


def map_tables(tables: Tables, parsed: Parsed, known_wards: Iterable[str]) -> None:
    """Check the tables' columns and add their organisations to ``parsed`` (rejecting bad rows)."""
    report = parsed.report
    source = report.source
    for name in ("organizations", "services"):
        if name not in tables:
            raise InvalidInput(f"{source} has no {name} table; an Open Referral package needs organizations and services")
    for name, (_rows, columns) in tables.items():
        missing = REQUIRED[name] - set(columns)
        if missing and _rows:
            raise InvalidInput(f"the {name} table lacks the column(s) {', '.join(sorted(missing))} ({source})")
        report.ignore_columns(name, sorted(c for c in columns if c not in USED_COLUMNS[name]))
    _map(tables, parsed, {w.casefold(): w for w in known_wards})


@dataclass
class _Services:
    """What the services table gave each organization."""

    offers: dict[str, list[str]]
    spaces: dict[str, list[str]]
    org_of: dict[str, str] = field(default_factory=dict)  # service id -> organization id
    tag_of: dict[str, str] = field(default_factory=dict)  # service id -> its offer
    tally: _Tally = field(default_factory=_Tally)
    cut: int = 0


def _organizations(tables: Tables, report: ImportReport) -> tuple[dict[str, tuple[str, Row]], _Tally]:
    """The organizations by id (rejecting rows without an id and repeats of a table's own rows)."""
    orgs: dict[str, tuple[str, Row]] = {}
    tally = _Tally()
    for where, row in tables["organizations"][0]:
        tally.read += 1
        oid = row.get("id", "")
        if not oid:
            report.reject(where, "id is empty")
        elif oid in orgs:
            if row.get(NESTED) or orgs[oid][1].get(NESTED):
                tally.merged["the same organization nested in several records"] += 1
                if orgs[oid][1].get(NESTED) and not row.get(NESTED):
                    orgs[oid] = (where, row)  # its own record says more than a copy nested in a service
            else:
                report.reject(where, f"repeats the organization id {oid!r} from {orgs[oid][0]}")
        else:
            orgs[oid] = (where, row)
    return orgs, tally


def _services(tables: Tables, orgs: dict[str, tuple[str, Row]], report: ImportReport) -> _Services:
    """Each active service as an offer (or a space) of its organization."""
    out = _Services({oid: [] for oid in orgs}, {oid: [] for oid in orgs})
    tally = out.tally
    for where, row in tables["services"][0]:
        tally.read += 1
        org_id, name, sid = row.get("organization_id", ""), row.get("name", ""), row.get("id", "")
        if not org_id:
            tally.skipped["no organization"] += 1
            continue
        if org_id not in orgs:
            report.reject(where, f"organization_id {org_id!r} is not in the organizations table")
            continue
        if not name:
            report.reject(where, "name is empty")
            continue
        if sid and out.org_of.get(sid) == org_id:
            tally.merged["the same service id listed again"] += 1
            continue
        out.org_of[sid] = org_id
        if row.get("status", "").casefold() in _INACTIVE:
            tally.skipped["inactive"] += 1
            continue
        tag, was_cut = as_tag(name)
        out.cut += was_cut
        out.tag_of[sid] = tag
        held = out.spaces[org_id] if row.get(OUR_SPACE) else out.offers[org_id]
        if not tag or tag in held:
            tally.merged["same name as another service of its organization"] += 1
            continue
        held.append(tag)
        tally.used += 1
    return out


def _map(tables: Tables, parsed: Parsed, wards: dict[str, str]) -> None:
    report = parsed.report
    orgs, org_tally = _organizations(tables, report)
    services = _services(tables, orgs, report)
    offers, spaces, service_org, tally, cut = services.offers, services.spaces, services.org_of, services.tally, services.cut
    if cut:
        report.notes.append(f"{cut} service name(s) shortened to fit a tag (40 characters)")
    org_ward = _wards_by_org(tables, service_org, wards)
    details = where_and_when(tables, service_org, services.tag_of)
    too_many = long = 0
    for oid, (where, row) in orgs.items():
        if len(offers[oid]) > MAX_TAGS:
            too_many += 1
            offers[oid] = offers[oid][:MAX_TAGS]
        kind = row.get(OUR_KIND) or guess_kind(row.get("name", ""))
        where_when = [_fit(lines) for lines in details.get(oid, ([], []))]
        long += sum(left_out for _text, left_out in where_when)
        try:
            org = Organisation.model_validate({
                "id": row.get(OUR_ID) or organisation_id(oid),
                "name": row.get("name", ""),
                "kind": kind,
                "sector": row.get(OUR_SECTOR) or sector_for(kind),
                "ward": row.get(OUR_WARD) or org_ward.get(oid),
                "offers": offers[oid],
                "spaces": spaces[oid][:MAX_TAGS],
                "locations": where_when[0][0],
                "schedule": where_when[1][0],
            })
        except ValidationError as exc:
            report.reject(where, reason(exc))
            continue
        org_tally.used += 1
        parsed.origins[org.id] = where
        parsed.batch.organisations.append(org)
    report.notes.append(org_tally.line("organizations", "organisations"))
    report.notes.append(tally.line("services", "offers or spaces"))
    for name in TABLES[2:]:
        if tables.get(name, ([], []))[0]:
            how = "schedules" if name == "schedules" else "locations and wards"
            report.notes.append(f"{name}: read {len(tables[name][0]):,} (kept in the organisations' {how})")
    if long:
        report.notes.append(f"{long} line(s) of locations or schedules left out: each organisation keeps {MAX_DETAILS:,} characters of each")
    if too_many:
        report.notes.append(f"{too_many} organisation(s) offer more than {MAX_TAGS} services; the first {MAX_TAGS} were kept")
    if wards:
        placed = sum(1 for o in parsed.batch.organisations if o.ward)
        report.notes.append(f"{placed} of {len(parsed.batch.organisations)} organisation(s) placed in a known ward")
    else:
        report.notes.append("no wards are known, so no organisation was placed in a ward")


def _wards_by_org(tables: Tables, service_org: dict[str, str], wards: dict[str, str]) -> dict[str, str]:
    if not wards:
        return {}
    out: dict[str, str] = {}
    if "locations" in tables:
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
        for _where, row in tables["locations"][0]:  # first matching location wins, in file order
            lid = row.get("id", "")
            for org_id in location_org.get(lid, []):
                if lid in location_ward:
                    out.setdefault(org_id, location_ward[lid])
    for _where, row in tables.get("service_areas", ([], []))[0]:
        org_id = service_org.get(row.get("service_id", ""))
        ward = _match_ward([row.get(c, "") for c in _AREA_COLUMNS], wards)
        if org_id and ward:
            out.setdefault(org_id, ward)
    return out


def _fit(lines: list[str]) -> tuple[str, int]:
    """Lines joined into one text of at most MAX_DETAILS characters, and how many lines did not fit."""
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > MAX_DETAILS:
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept), len(lines) - len(kept)


def _match_ward(texts: list[str], wards: dict[str, str]) -> str | None:
    for text in texts:
        for part in [text, *text.split(",")]:
            found = wards.get(" ".join(part.split()).casefold())
            if found:
                return found
    return None

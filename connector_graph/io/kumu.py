"""Kumu-layout maps: an XLSX workbook, or a folder of two CSV files.

The ``Elements`` sheet has one row per element (``Label``, ``Type``,
``Description``, ``Tags`` and any extra columns); the ``Connections`` sheet
one row per connection (``From``, ``To``, ``Type``, ``Direction``, ...).
The mapping onto people, organisations and ties is in
``docs/import-export.md`` and in :data:`PERSON_TYPES`,
:data:`ORGANISATION_TYPES` and :data:`CONNECTION_TYPES` below.

Ids: an element's ``ID`` cell is used as its id when it is a valid id
(no spaces, at most 64 characters); otherwise the id is derived from the ID
or, without one, from the label, so the same map imported twice gives the
same records.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from ..errors import InvalidInput
from ..model import MAX_ID, Organisation, OrgKind, Person, PersonRole, Tie, TieKind, TieSource
from ..store.base import Batch, Progress
from .files import CsvTable, check_target, read_csv_rows, require_file, safe_output_path
from .report import ImportReport, Parsed, reason, stable_id, unneutralise
from .safe_csv import neutralise
from .vocab import sector_for

__all__ = [
    "PERSON_TYPES",
    "ORGANISATION_TYPES",
    "CONNECTION_TYPES",
    "ELEMENT_COLUMNS",
    "CONNECTION_COLUMNS",
    "read_kumu",
    "write_kumu_workbook",
]

#: Element types read as people, with the role they give.
PERSON_TYPES: dict[str, PersonRole] = {
    "person": PersonRole.RESIDENT,
    "people": PersonRole.RESIDENT,
    "individual": PersonRole.RESIDENT,
    "resident": PersonRole.RESIDENT,
    "volunteer": PersonRole.VOLUNTEER,
    "connector": PersonRole.CONNECTOR,
    "community connector": PersonRole.CONNECTOR,
    "local area coordinator": PersonRole.CONNECTOR,
    "link worker": PersonRole.CONNECTOR,
    "social prescriber": PersonRole.CONNECTOR,
    "social prescribing link worker": PersonRole.CONNECTOR,
    "community builder": PersonRole.CONNECTOR,
    "worker": PersonRole.WORKER,
    "staff": PersonRole.WORKER,
    "professional": PersonRole.WORKER,
}

#: Element types read as organisations, with the kind they give.
ORGANISATION_TYPES: dict[str, OrgKind] = {
    "organisation": OrgKind.OTHER,
    "organization": OrgKind.OTHER,
    "org": OrgKind.OTHER,
    "group": OrgKind.COMMUNITY_GROUP,
    **{kind.label: kind for kind in OrgKind},
    "community center": OrgKind.COMMUNITY_CENTRE,
    "church": OrgKind.FAITH_GROUP,
    "mosque": OrgKind.FAITH_GROUP,
    "gurdwara": OrgKind.FAITH_GROUP,
    "temple": OrgKind.FAITH_GROUP,
    "synagogue": OrgKind.FAITH_GROUP,
    "gp": OrgKind.GP_PRACTICE,
    "surgery": OrgKind.GP_PRACTICE,
    "council": OrgKind.COUNCIL_SERVICE,
    "nhs": OrgKind.NHS_SERVICE,
    "company": OrgKind.BUSINESS,
    "shop": OrgKind.BUSINESS,
}

#: Connection types read as tie kinds (a blank type is ``knows``).
CONNECTION_TYPES: dict[str, TieKind] = {
    **{kind.label: kind for kind in TieKind},
    "": TieKind.KNOWS,
    "friend": TieKind.KNOWS,
    "friends": TieKind.KNOWS,
    "neighbour": TieKind.KNOWS,
    "acquaintance": TieKind.KNOWS,
    "relationship": TieKind.KNOWS,
    "member": TieKind.MEMBER_OF,
    "membership": TieKind.MEMBER_OF,
    "works for": TieKind.WORKS_AT,
    "employee": TieKind.WORKS_AT,
    "employed by": TieKind.WORKS_AT,
    "staff": TieKind.WORKS_AT,
    "volunteer": TieKind.VOLUNTEERS_AT,
    "volunteers": TieKind.VOLUNTEERS_AT,
    "volunteers for": TieKind.VOLUNTEERS_AT,
    "partner": TieKind.PARTNERS_WITH,
    "partners": TieKind.PARTNERS_WITH,
    "partnership": TieKind.PARTNERS_WITH,
    "collaborates": TieKind.PARTNERS_WITH,
    "collaboration": TieKind.PARTNERS_WITH,
    "attendee": TieKind.ATTENDS,
    "participant": TieKind.ATTENDS,
    "uses": TieKind.ATTENDS,
}

#: Element columns written on export (and understood on import, with ``Tags``).
ELEMENT_COLUMNS = [
    "ID", "Label", "Type", "Ward", "Roles", "Kind", "Sector",
    "Gifts", "Skills", "Interests", "Needs", "Offers", "Spaces",
]
CONNECTION_COLUMNS = ["From", "To", "Type", "Direction", "Since", "Last confirmed", "Source"]

# Columns that are stored; any other column is reported as ignored.
_HANDLED = {"id", "name", "roles", "ward", "kind", "sector", "gifts", "skills", "interests", "needs", "offers", "spaces"}
#: Further model fields (such as a person's consent record) carried as columns named after the field.
EXTRA_FIELDS: dict[str, list[str]] = {
    "person": [f for f in Person.model_fields if f not in _HANDLED],
    "organisation": [f for f in Organisation.model_fields if f not in _HANDLED],
}
_EXTRA_COLUMNS = list(dict.fromkeys(EXTRA_FIELDS["person"] + EXTRA_FIELDS["organisation"]))
_ELEMENT_KNOWN = {c.casefold() for c in ELEMENT_COLUMNS} | {"tags"} | set(_EXTRA_COLUMNS)
_CONNECTION_KNOWN = {c.casefold() for c in CONNECTION_COLUMNS}
_SPLIT = re.compile(r"[|,;]")
_ID_OK = re.compile(r"^\S{1,%d}$" % MAX_ID)


def _key(text: str) -> str:
    """A type name folded for lookup: 'Community_Centre ' -> 'community centre'."""
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


# ----------------------------------------------------------------- reading


def read_kumu(path: Path | str, progress: Progress | None = None) -> Parsed:
    """Read a Kumu workbook (``.xlsx``) or a folder holding ``elements.csv`` and ``connections.csv``.

    Nothing is written; rows that cannot be mapped are rejected with their
    reason in the report.
    """
    path = Path(path)
    if path.is_dir():
        elements, connections = _read_folder(path)
    else:
        elements, connections = _read_workbook(require_file(path, "Kumu workbook"))
    report = ImportReport(source=path.name, format="kumu")
    parsed = Parsed(Batch(), report)
    tick = progress or (lambda n: None)
    _check_columns(elements, ["Label"], _ELEMENT_KNOWN, report)
    by_id, by_label = _read_elements(_fold_keys(elements), parsed)
    tick(len(elements))
    if connections is None:
        report.notes.append("no Connections sheet: only elements were read")
    else:
        _check_columns(connections, ["From", "To"], _CONNECTION_KNOWN, report)
        _read_connections(_fold_keys(connections), parsed, by_id, by_label)
        tick(len(connections))
    report.count(parsed.batch)
    return parsed


def _read_folder(folder: Path) -> tuple[CsvTable, CsvTable | None]:
    files = {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    if "elements.csv" not in files:
        raise InvalidInput(f"{folder} has no elements.csv; a Kumu folder holds elements.csv and connections.csv")
    elements = read_csv_rows(files["elements.csv"])
    connections = read_csv_rows(files["connections.csv"]) if "connections.csv" in files else None
    return _clean_table(elements), _clean_table(connections) if connections else None


def _clean_table(table: CsvTable) -> CsvTable:
    table.rows = [(n, {k: unneutralise(v) for k, v in row.items()}) for n, row in table.rows]
    return table


def _read_workbook(path: Path) -> tuple[CsvTable, CsvTable | None]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InvalidInput(f"{path.name} is not an XLSX workbook ({type(exc).__name__}); save it as .xlsx") from None
    try:
        sheets = {name.casefold(): name for name in book.sheetnames}
        if "elements" not in sheets:
            raise InvalidInput(
                f"{path.name} has no 'Elements' sheet (it has: {', '.join(book.sheetnames)}); "
                "a Kumu workbook has Elements and Connections sheets"
            )
        elements = _sheet_table(book[sheets["elements"]])
        connections = _sheet_table(book[sheets["connections"]]) if "connections" in sheets else None
    finally:
        book.close()
    return elements, connections


def _sheet_table(sheet: Any) -> CsvTable:
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [_text(v) for v in next(rows)]
    except StopIteration:
        raise InvalidInput(f"the {sheet.title} sheet is empty; it needs a header row") from None
    seen: set[str] = set()
    for name in header:
        if name and name.casefold() in seen:
            raise InvalidInput(f"the {sheet.title} sheet has the column {name!r} twice")
        seen.add(name.casefold())
    out: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows, start=2):
        cells = [_text(v) for v in values]
        if not any(cells):
            continue
        out.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return CsvTable(f"{sheet.title} sheet", [h for h in header if h], out)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(unneutralise(str(value))).strip()


def _check_columns(table: CsvTable, required: list[str], known: set[str], report: ImportReport) -> None:
    header = {h.casefold() for h in table.header}
    missing = [c for c in required if c.casefold() not in header]
    if missing:
        raise InvalidInput(f"the {table.name} has no {', '.join(missing)} column (columns: {', '.join(table.header)})")
    report.ignore_columns(table.name, [h for h in table.header if h.casefold() not in known])


def _get(row: dict[str, str], column: str) -> str:
    """The cell of ``column``; rows are keyed by case-folded column names (see :func:`_fold_keys`)."""
    return row.get(column.casefold(), "").strip()


def _fold_keys(table: CsvTable) -> CsvTable:
    table.rows = [(n, {k.casefold(): v for k, v in row.items()}) for n, row in table.rows]
    return table


def _list(row: dict[str, str], column: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(_get(row, column)) if part.strip()]


def _read_elements(table: CsvTable, parsed: Parsed) -> tuple[dict[str, str], dict[str, list[str]]]:
    by_id: dict[str, str] = {}  # Kumu ID -> our id
    by_label: dict[str, list[str]] = {}  # folded label -> our ids
    if any(h.casefold() == "description" for h in table.header):
        parsed.report.notes.append("Description is not stored: connector_graph keeps no free-text notes about people")
    for number, row in table:
        where = f"{table.name} row {number}"
        label, kumu_id, kind_text = _get(row, "Label"), _get(row, "ID"), _get(row, "Type")
        if not label:
            parsed.report.reject(where, "Label is empty (or is a formula with no saved value)")
            continue
        try:
            actor = _element(row, label, kumu_id, kind_text)
        except (ValueError, ValidationError) as exc:
            parsed.report.reject(where, reason(exc))
            continue
        if actor.id in parsed.origins:
            parsed.report.reject(where, f"repeats the element on {parsed.origins[actor.id]} (same {'ID' if kumu_id else 'label'})")
            continue
        parsed.origins[actor.id] = where
        if kumu_id:
            by_id[kumu_id] = actor.id
        by_label.setdefault(label.casefold(), []).append(actor.id)
        (parsed.batch.people if isinstance(actor, Person) else parsed.batch.organisations).append(actor)
    return by_id, by_label


def _element(row: dict[str, str], label: str, kumu_id: str, kind_text: str) -> Person | Organisation:
    type_key = _key(kind_text)
    if type_key in PERSON_TYPES:
        roles = [_key(r).replace(" ", "_") for r in _list(row, "Roles")] or [PERSON_TYPES[type_key].value]
        return Person.model_validate({
            **_extras(row, "person"),
            "id": _element_id("p-kumu", kumu_id, label),
            "name": label,
            "roles": roles,
            "ward": _get(row, "Ward") or None,
            "gifts": _list(row, "Gifts"),
            "skills": _list(row, "Skills"),
            "interests": _list(row, "Interests") + _list(row, "Tags"),
            "needs": _list(row, "Needs"),
        })
    if type_key in ORGANISATION_TYPES:
        kind = _get(row, "Kind") or ORGANISATION_TYPES[type_key].value
        sector = _get(row, "Sector") or sector_for(_org_kind(kind)).value
        return Organisation.model_validate({
            **_extras(row, "organisation"),
            "id": _element_id("o-kumu", kumu_id, label),
            "name": label,
            "kind": kind,
            "sector": sector,
            "ward": _get(row, "Ward") or None,
            "offers": _list(row, "Offers") + _list(row, "Tags"),
            "spaces": _list(row, "Spaces"),
        })
    if not type_key:
        raise ValueError("Type is empty; use Person, Organisation or a kind such as Library (see the import guide)")
    raise ValueError(f"unknown element type {kind_text!r}; use Person, Organisation, a role such as Connector or a kind such as Library")


def _extras(row: dict[str, str], actor_type: str) -> dict[str, Any]:
    """Filled cells of the extra field columns; a field of the other type is an error."""
    out: dict[str, Any] = {}
    for column in _EXTRA_COLUMNS:
        value = _get(row, column)
        if not value:
            continue
        if column not in EXTRA_FIELDS[actor_type]:
            raise ValueError(f"{column} does not apply to an {actor_type}")
        default = (Person if actor_type == "person" else Organisation).model_fields[column].get_default(call_default_factory=True)
        out[column] = _list(row, column) if isinstance(default, list) else value
    return out


def _org_kind(text: str) -> OrgKind:
    try:
        return OrgKind(_key(text).replace(" ", "_"))
    except ValueError:
        return OrgKind.OTHER


def _element_id(prefix: str, kumu_id: str, label: str) -> str:
    if kumu_id:
        return kumu_id if _ID_OK.match(kumu_id) else stable_id(prefix, "id", kumu_id)
    return stable_id(prefix, " ".join(label.casefold().split()))


def _resolve(ref: str, by_id: dict[str, str], by_label: dict[str, list[str]]) -> str:
    if ref in by_id:
        return by_id[ref]
    matches = by_label.get(ref.casefold(), [])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValueError(f"{ref!r} is the label of {len(matches)} elements; use their IDs")
    if _ID_OK.match(ref):
        return ref  # may be an actor already in the store; checked before loading
    raise ValueError(f"no element has the label or ID {ref!r}")


def _read_connections(
    table: CsvTable, parsed: Parsed, by_id: dict[str, str], by_label: dict[str, list[str]]
) -> None:
    merged = 0
    seen: dict[str, str] = {}
    for number, row in table:
        where = f"{table.name} row {number}"
        try:
            tie = _connection(row, by_id, by_label)
        except (ValueError, ValidationError) as exc:
            parsed.report.reject(where, reason(exc))
            continue
        if tie.id in seen:
            merged += 1
            continue
        seen[tie.id] = where
        parsed.origins[tie.id] = where
        parsed.batch.ties.append(tie)
    if merged:
        parsed.report.notes.append(f"{merged} repeated connection(s) merged (same ends and type)")


def _connection(row: dict[str, str], by_id: dict[str, str], by_label: dict[str, list[str]]) -> Tie:
    source, target = _get(row, "From"), _get(row, "To")
    if not source or not target:
        raise ValueError("From and To must both be filled in")
    type_text = _get(row, "Type")
    kind = CONNECTION_TYPES.get(_key(type_text))
    if kind is None:
        raise ValueError(
            f"unknown connection type {type_text!r}; use one of {', '.join(k.label for k in TieKind)}"
        )
    fields: dict[str, Any] = {
        "source_id": _resolve(source, by_id, by_label),
        "target_id": _resolve(target, by_id, by_label),
        "kind": kind,
        "source": _get(row, "Source") or TieSource.IMPORT,
    }
    for column, name in (("Since", "since"), ("Last confirmed", "last_confirmed")):
        if _get(row, column):
            fields[name] = _get(row, column)
    return Tie.model_validate(fields)


# ----------------------------------------------------------------- writing


def write_kumu_workbook(batch: Batch, path: Path | str, *, progress: Progress | None = None) -> Path:
    """Write people, organisations and ties as a Kumu-layout workbook (formula-safe cells).

    Introductions are not part of a Kumu map; export them as CSV or JSON.
    """
    from openpyxl import Workbook

    path = check_target(path)
    tick = progress or (lambda n: None)
    book = Workbook(write_only=True)
    elements = book.create_sheet("Elements")
    elements.append(ELEMENT_COLUMNS + _EXTRA_COLUMNS)
    for person in batch.people:
        elements.append(_safe([
            person.id, person.name, "Person", person.ward, _join(r.value for r in person.roles), "", "",
            _join(person.gifts), _join(person.skills), _join(person.interests), _join(person.needs), "", "",
            *_extra_cells(person),
        ]))
    for org in batch.organisations:
        elements.append(_safe([
            org.id, org.name, "Organisation", org.ward, "", org.kind.value, org.sector.value,
            "", "", "", "", _join(org.offers), _join(org.spaces),
            *_extra_cells(org),
        ]))
    tick(len(batch.people) + len(batch.organisations))
    connections = book.create_sheet("Connections")
    connections.append(CONNECTION_COLUMNS)
    for tie in batch.ties:
        connections.append(_safe([
            tie.source_id, tie.target_id, tie.kind.label, "undirected" if tie.kind.symmetric else "directed",
            tie.since.isoformat() if tie.since else "",
            tie.last_confirmed.isoformat() if tie.last_confirmed else "",
            tie.source.value,
        ]))
    tick(len(batch.ties))
    with safe_output_path(path) as partial:
        book.save(partial)
    return path


def _extra_cells(actor: Person | Organisation) -> list[Any]:
    data = actor.model_dump(mode="json")
    cells: list[Any] = []
    for column in _EXTRA_COLUMNS:
        value = data.get(column) if column in EXTRA_FIELDS[actor.actor_type] else None
        if isinstance(value, list):
            value = _join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        cells.append(value)
    return cells


def _join(values: Iterable[str]) -> str:
    return " | ".join(values)


def _safe(cells: list[Any]) -> list[Any]:
    return [neutralise(c if c is not None else "") for c in cells]

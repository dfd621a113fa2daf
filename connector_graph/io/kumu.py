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
import warnings
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from ..errors import InvalidInput
from ..model import MAX_ID, MAX_TAG, Organisation, OrgKind, Person, Tie, TieSource
from ..store.base import Batch, Progress
from .files import CsvTable, check_target, read_csv_rows, require_file, safe_output_path
from .mapping import CONNECTION_TYPES, ORGANISATION_TYPES, PERSON_TYPES, Mapping, fold
from .report import ImportReport, Parsed, reason, stable_id, unneutralise
from .safe_csv import neutralise
from .vocab import guess_kind, sector_for

__all__ = [
    "PERSON_TYPES",
    "ORGANISATION_TYPES",
    "CONNECTION_TYPES",
    "ELEMENT_COLUMNS",
    "CONNECTION_COLUMNS",
    "read_kumu",
    "write_kumu_workbook",
    "element_cells",
    "element_header",
    "connection_cells",
    "table_from_records",
]

#: Element columns written on export, Kumu's own first (``ID``, ``Label``, ``Type``, ``Tags``).
#: ``Tags`` holds a person's interests or an organisation's offers, and is read back as them.
ELEMENT_COLUMNS = [
    "ID", "Label", "Type", "Tags", "Ward", "Roles", "Kind", "Sector",
    "Gifts", "Skills", "Needs", "Spaces",
]
#: Columns also understood on import: what older exports and hand-made sheets use beside ``Tags``.
_TAG_COLUMNS = {"person": "Interests", "organisation": "Offers"}
CONNECTION_COLUMNS = ["From", "To", "Type", "Label", "Direction", "Strength", "Since", "Last confirmed", "Source"]

# Columns that are stored; any other column is reported as ignored.
_HANDLED = {"id", "name", "roles", "ward", "kind", "sector", "gifts", "skills", "interests", "needs", "offers", "spaces"}
#: Further model fields (such as a person's consent record) carried as columns named after the field.
EXTRA_FIELDS: dict[str, list[str]] = {
    "person": [f for f in Person.model_fields if f not in _HANDLED],
    "organisation": [f for f in Organisation.model_fields if f not in _HANDLED],
}
_EXTRA_COLUMNS = list(dict.fromkeys(EXTRA_FIELDS["person"] + EXTRA_FIELDS["organisation"]))
_ELEMENT_KNOWN = {c.casefold() for c in (*ELEMENT_COLUMNS, *_TAG_COLUMNS.values())} | set(_EXTRA_COLUMNS)
_CONNECTION_KNOWN = {c.casefold() for c in CONNECTION_COLUMNS} | {"weight"}
_SPLIT = re.compile(r"[|,;]")
_ID_OK = re.compile(r"^\S{1,%d}$" % MAX_ID)


_key = fold

# ----------------------------------------------------------------- reading


def read_kumu(path: Path | str, progress: Progress | None = None, mapping: Mapping | None = None) -> Parsed:
    """Read a Kumu workbook (``.xlsx``), a Kumu JSON blueprint, or a folder holding ``elements.csv`` and ``connections.csv``.

    Nothing is written; rows that cannot be mapped are rejected with their
    reason in the report. ``mapping`` turns Kumu's element and connection
    types into ours (see :mod:`connector_graph.io.mapping`).
    """
    path = Path(path)
    if path.is_dir():
        elements, connections = _read_folder(path)
    elif path.suffix.casefold() == ".json":
        from .kumu_json import read_blueprint_tables

        elements, connections = read_blueprint_tables(require_file(path, "Kumu blueprint"))
    else:
        elements, connections = _read_workbook(require_file(path, "Kumu workbook"))
    report = ImportReport(source=path.name, format="kumu")
    parsed = Parsed(Batch(), report)
    mapping = mapping or Mapping()
    tick = progress or (lambda n: None)
    _check_columns(elements, ["Label"], _ELEMENT_KNOWN, report)
    by_id, by_label = _read_elements(_fold_keys(elements), parsed, mapping)
    tick(len(elements))
    if connections is None:
        report.notes.append("no Connections sheet: only elements were read")
    else:
        _check_columns(connections, ["From", "To"], _CONNECTION_KNOWN, report)
        _read_connections(_fold_keys(connections), parsed, by_id, by_label, mapping)
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
    with warnings.catch_warnings():  # openpyxl warns about workbook extensions it does not read
        warnings.simplefilter("ignore")
        return _workbook_tables(path)


def _workbook_tables(path: Path) -> tuple[CsvTable, CsvTable | None]:
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


def table_from_records(name: str, records: list[dict[str, Any]]) -> CsvTable:
    """Records (one dict per row, e.g. from a JSON blueprint) as a table of text cells; row numbers count from 1."""
    header = list(dict.fromkeys(key for record in records for key in record))
    rows = [(number, {key: _text(record.get(key)) for key in header}) for number, record in enumerate(records, start=1)]
    return CsvTable(name, header, rows)


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
    if isinstance(value, (list, tuple)):
        return " | ".join(_text(v) for v in value if _text(v))
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


def _read_elements(table: CsvTable, parsed: Parsed, mapping: Mapping) -> tuple[dict[str, str], dict[str, list[str]]]:
    by_id: dict[str, str] = {}  # Kumu ID -> our id
    by_label: dict[str, list[str]] = {}  # folded label -> our ids
    if any(h.casefold() == "description" for h in table.header):
        parsed.report.notes.append("Description is not stored: connector_graph keeps no free-text notes about people")
    stats = parsed.report.table(table.name)
    for number, row in table:
        stats.read += 1
        where = f"{table.name} row {number}"
        label, kumu_id, kind_text = _get(row, "Label"), _get(row, "ID"), _get(row, "Type")
        if not label:
            parsed.report.reject(where, "Label is empty (or is a formula with no saved value)")
            continue
        try:
            actor = _element(row, label, kumu_id, kind_text, mapping, parsed.report)
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


def _element(
    row: dict[str, str], label: str, kumu_id: str, kind_text: str, mapping: Mapping, report: ImportReport
) -> Person | Organisation:
    found = mapping.element(kind_text, label, report)
    if found.actor_type == "person":
        roles = [_key(r).replace(" ", "_") for r in _list(row, "Roles")] or [(found.role.value if found.role else "resident")]
        return Person.model_validate({
            **_extras(row, "person"),
            "id": _element_id("p-kumu", kumu_id, label),
            "name": label,
            "roles": roles,
            "ward": _get(row, "Ward") or None,
            "gifts": _list(row, "Gifts"),
            "skills": _list(row, "Skills"),
            "interests": _tags(row, "person"),
            "needs": _list(row, "Needs"),
        })
    kind = _get(row, "Kind") or (found.kind or guess_kind(label)).value
    sector = _get(row, "Sector") or sector_for(_org_kind(kind)).value
    return Organisation.model_validate({
        **_extras(row, "organisation"),
        "id": _element_id("o-kumu", kumu_id, label),
        "name": label,
        "kind": kind,
        "sector": sector,
        "ward": _get(row, "Ward") or None,
        "offers": _tags(row, "organisation"),
        "spaces": _list(row, "Spaces"),
    })


def _tags(row: dict[str, str], actor_type: str) -> list[str]:
    """Kumu's ``Tags`` and our own ``Interests`` or ``Offers`` column, each value once, in order."""
    return list(dict.fromkeys(_list(row, "Tags") + _list(row, _TAG_COLUMNS[actor_type])))


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
    table: CsvTable, parsed: Parsed, by_id: dict[str, str], by_label: dict[str, list[str]], mapping: Mapping
) -> None:
    stats = parsed.report.table(table.name)
    ties: dict[str, Tie] = {}
    types = {a.id: a.actor_type for a in (*parsed.batch.people, *parsed.batch.organisations)}
    for number, row in table:
        stats.read += 1
        where = f"{table.name} row {number}"
        try:
            found = _connections(row, by_id, by_label, mapping, parsed.report, types)
        except (ValueError, ValidationError) as exc:
            parsed.report.reject(where, reason(exc))
            continue
        for tie in found:
            if tie is None:
                stats.skip("From and To are the same element")
                continue
            held = ties.get(tie.id)
            if held is not None:
                stats.merged += 1
                ties[tie.id] = held.model_copy(update={"weight": held.weight + tie.weight})
                continue
            ties[tie.id] = tie
            parsed.origins[tie.id] = where
    parsed.batch.ties.extend(ties.values())
    if stats.merged:
        parsed.report.notes.append(
            f"{stats.merged} repeated connection(s) merged (same ends and type); the tie's strength is the sum of theirs"
        )


def _ends(cell: str) -> list[str]:
    """Kumu's ``A|B`` cells name several elements."""
    return [part.strip() for part in cell.split("|") if part.strip()]


def _connections(
    row: dict[str, str], by_id: dict[str, str], by_label: dict[str, list[str]], mapping: Mapping, report: ImportReport,
    types: dict[str, str],
) -> list[Tie | None]:
    """The ties of one connection row (several for ``A|B`` cells; ``None`` for a self-loop)."""
    sources, targets = _ends(_get(row, "From")), _ends(_get(row, "To"))
    if not sources or not targets:
        raise ValueError("From and To must both be filled in")
    found = mapping.connection(_get(row, "Type"), report)
    direction = _key(_get(row, "Direction"))
    if direction and direction not in ("directed", "undirected", "mutual"):
        raise ValueError(f"Direction {_get(row, 'Direction')!r} is not directed, undirected or mutual")
    strength = _get(row, "Strength") or _get(row, "Weight")
    fields: dict[str, Any] = {
        "kind": found.kind,
        "label": found.label or _get(row, "Label")[:MAX_TAG] or None,
        "source": _get(row, "Source") or TieSource.IMPORT,
        "weight": strength or 1.0,
    }
    for column, name in (("Since", "since"), ("Last confirmed", "last_confirmed")):
        if _get(row, column):
            fields[name] = _get(row, column)
    out: list[Tie | None] = []
    for source in sources:
        for target in targets:
            ends = (_resolve(source, by_id, by_label), _resolve(target, by_id, by_label))
            if ends[0] == ends[1]:
                out.append(None)
                continue
            if found.swap(direction in ("", "directed"), types.get(ends[0], ""), types.get(ends[1], "")):
                ends = (ends[1], ends[0])
            out.append(Tie.model_validate({**fields, "source_id": ends[0], "target_id": ends[1]}))
    return out


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
    for actor in (*batch.people, *batch.organisations):
        elements.append(_safe(element_cells(actor)))
    tick(len(batch.people) + len(batch.organisations))
    connections = book.create_sheet("Connections")
    connections.append(CONNECTION_COLUMNS)
    for tie in batch.ties:
        connections.append(_safe(connection_cells(tie)))
    tick(len(batch.ties))
    with safe_output_path(path) as partial:
        book.save(partial)
    return path


def element_cells(actor: Person | Organisation) -> list[Any]:
    """An actor's values under :data:`ELEMENT_COLUMNS` and then the extra field columns."""
    if isinstance(actor, Person):
        cells = [
            actor.id, actor.name, "Person", _join(actor.interests), actor.ward, _join(r.value for r in actor.roles),
            "", "", _join(actor.gifts), _join(actor.skills), _join(actor.needs), "",
        ]
    else:
        cells = [
            actor.id, actor.name, "Organisation", _join(actor.offers), actor.ward, "", actor.kind.value,
            actor.sector.value, "", "", "", _join(actor.spaces),
        ]
    return cells + _extra_cells(actor)


def element_header() -> list[str]:
    """The element columns written on export: :data:`ELEMENT_COLUMNS` and the extra fields."""
    return ELEMENT_COLUMNS + _EXTRA_COLUMNS


def connection_cells(tie: Tie) -> list[Any]:
    """A tie's values under :data:`CONNECTION_COLUMNS`."""
    return [
        tie.source_id, tie.target_id, tie.kind.label, tie.label or "",
        "undirected" if tie.kind.symmetric else "directed", _number(tie.weight),
        tie.since.isoformat() if tie.since else "",
        tie.last_confirmed.isoformat() if tie.last_confirmed else "",
        tie.source.value,
    ]


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


def _number(value: float) -> str:
    """A weight as Kumu shows it: ``2`` rather than ``2.0``."""
    return str(int(value)) if float(value).is_integer() else repr(value)


def _join(values: Iterable[str]) -> str:
    return " | ".join(values)


def _safe(cells: list[Any]) -> list[Any]:
    return [neutralise(c if c is not None else "") for c in cells]

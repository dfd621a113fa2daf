"""Our own CSV templates: one file per entity in a folder.

``people.csv``, ``organisations.csv``, ``ties.csv``, ``introductions.csv``
and (optional) ``wards.csv``. List cells (roles, tags, purposes) hold
several values separated by commas. A blank ``id`` for a person or an
organisation is derived from the name and ward, so importing the same file
twice gives the same ids. Every cell written is formula-safe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InvalidInput
from ..model import Introduction, Organisation, Person, Tie, Ward
from ..store.base import Batch, Progress
from .files import CsvTable, read_csv_rows, require_folder, safe_output_folder
from .report import ImportReport, Parsed, reason, stable_id, unneutralise
from .safe_csv import neutralise

__all__ = ["COLUMNS", "LIST_COLUMNS", "EXAMPLES", "template_text", "write_templates", "write_csv_folder", "read_csv_folder"]

def _columns(model: type[BaseModel], first: list[str]) -> list[str]:
    """``first``, then every other field of ``model``, so no field is ever left out of a file."""
    return first + [name for name in model.model_fields if name not in first and name != "id"]


#: The columns of each file, in the order they are written (new model fields are added at the end).
COLUMNS: dict[str, list[str]] = {
    "wards": _columns(Ward, ["name", "code", "population", "deprivation"]),
    "people": _columns(Person, ["id", "name", "roles", "ward", "gifts", "skills", "interests", "needs"]),
    "organisations": _columns(Organisation, ["id", "name", "kind", "sector", "ward", "offers", "spaces"]),
    "ties": _columns(Tie, ["source_id", "target_id", "kind", "since", "last_confirmed", "source"]),
    "introductions": _columns(Introduction, [
        "id", "date", "introducer_id", "subject_id", "target_id",
        "purposes", "channel", "status", "follow_up", "outcome",
    ]),
}
#: Columns every row must fill.
REQUIRED: dict[str, list[str]] = {
    "wards": ["name"],
    "people": ["name"],
    "organisations": ["name", "sector"],
    "ties": ["source_id", "target_id"],
    "introductions": ["introducer_id", "subject_id", "target_id"],
}
_MODELS: dict[str, type[BaseModel]] = {
    "wards": Ward, "people": Person, "organisations": Organisation, "ties": Tie, "introductions": Introduction,
}
#: Columns holding several values separated by commas (the list fields of the models).
LIST_COLUMNS = {
    name
    for model in _MODELS.values()
    for name, info in model.model_fields.items()
    if isinstance(info.get_default(call_default_factory=True), list)
}
_SPLIT = re.compile(r"[,;|]")

#: Fictional example rows per template; together they import cleanly.
EXAMPLES: dict[str, list[dict[str, str]]] = {
    "wards": [{"name": "Armley"}],
    "people": [
        {
            "id": "p-ana-example", "name": "Ana Example", "roles": "resident, volunteer", "ward": "Armley",
            "gifts": "baking, welcoming people", "skills": "first aid", "interests": "gardening, chess",
            "needs": "company",
        },
        {"id": "p-cath-example", "name": "Cath Example", "roles": "connector", "ward": "Armley"},
    ],
    "organisations": [
        {
            "id": "o-hub-example", "name": "Example Community Hub", "kind": "community_centre",
            "sector": "voluntary_community", "ward": "Armley", "offers": "lunch club, advice",
            "spaces": "hall, kitchen",
        }
    ],
    "ties": [
        {
            "source_id": "p-ana-example", "target_id": "o-hub-example", "kind": "volunteers_at",
            "since": "2024-03-01", "last_confirmed": "2025-09-15", "source": "conversation",
        }
    ],
    "introductions": [
        {
            "id": "i-example-1", "date": "2025-10-02", "introducer_id": "p-cath-example",
            "subject_id": "p-ana-example", "target_id": "o-hub-example", "purposes": "company",
            "channel": "in_person", "status": "made", "follow_up": "2025-11-02", "outcome": "",
        }
    ],
}


def template_text(entity: str, *, example: bool = True) -> str:
    """The CSV template for ``entity`` (header and, by default, its example rows)."""
    if entity not in COLUMNS:
        raise InvalidInput(f"no template for {entity!r}; choose one of {', '.join(COLUMNS)}")
    rows = EXAMPLES[entity] if example else []
    return _csv_text(COLUMNS[entity], rows)


def write_templates(folder: Path | str) -> list[Path]:
    """Write every template with its example row into ``folder``; returns the files written."""
    written = []
    with safe_output_folder(folder) as partial:
        for entity in COLUMNS:
            (partial / f"{entity}.csv").write_text(template_text(entity), encoding="utf-8", newline="")
            written.append(Path(folder) / f"{entity}.csv")
    return written


def write_csv_folder(batch: Batch, folder: Path | str, *, progress: Progress | None = None) -> list[Path]:
    """Write ``batch`` as one formula-safe CSV file per entity into ``folder``."""
    tick = progress or (lambda n: None)
    written = []
    with safe_output_folder(folder) as partial:
        for entity, columns in COLUMNS.items():
            records = getattr(batch, entity)
            with (partial / f"{entity}.csv").open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(columns)
                for record in records:
                    writer.writerow([neutralise(_cell(getattr(record, c))) for c in columns])
            tick(len(records))
            written.append(Path(folder) / f"{entity}.csv")
    return written


def read_csv_folder(folder: Path | str, progress: Progress | None = None) -> Parsed:
    """Read and validate a folder of our CSV files (nothing is written).

    Raises ``InvalidInput`` for a missing folder, a folder without any of
    the files, an unknown or missing column; a bad row is rejected with its
    reason in the report.
    """
    folder = require_folder(folder)
    present = {entity: folder / f"{entity}.csv" for entity in COLUMNS if (folder / f"{entity}.csv").is_file()}
    if not present:
        raise InvalidInput(f"{folder} holds none of {', '.join(f'{e}.csv' for e in COLUMNS)}")
    report = ImportReport(source=folder.name or str(folder), format="csv")
    others = sorted(p.name for p in folder.glob("*.csv") if p.stem not in COLUMNS)
    if others:
        report.notes.append(f"files not read (not one of our templates): {', '.join(others)}")
    parsed = Parsed(Batch(), report)
    tick = progress or (lambda n: None)
    for entity, path in present.items():
        table = read_csv_rows(path)
        _check_header(table, entity)
        _read_table(table, entity, parsed)
        tick(len(table))
    _check_actor_ids_unique(parsed)
    report.count(parsed.batch)
    return parsed


def _check_header(table: CsvTable, entity: str) -> None:
    known = COLUMNS[entity]
    unknown = [h for h in table.header if h not in known]
    if unknown:
        raise InvalidInput(f"{table.name} has unknown column(s) {', '.join(map(repr, unknown))}; "
                           f"the columns are {', '.join(known)}")
    missing = [c for c in REQUIRED[entity] if c not in table.header]
    if missing:
        raise InvalidInput(f"{table.name} lacks the column(s) {', '.join(missing)}")


def _read_table(table: CsvTable, entity: str, parsed: Parsed) -> None:
    model = _MODELS[entity]
    kept = getattr(parsed.batch, entity)
    seen: dict[str, str] = {}
    for line, row in table:
        where = f"{table.name} line {line}"
        fields = _fields(row)
        if entity in ("people", "organisations") and "id" not in fields and "name" in fields:
            prefix = "p-csv" if entity == "people" else "o-csv"
            fields["id"] = stable_id(prefix, str(fields["name"]).casefold(), str(fields.get("ward", "")).casefold())
        if entity == "introductions" and "id" not in fields:
            key = [str(fields.get(k, "")) for k in ("date", "introducer_id", "subject_id", "target_id")]
            fields["id"] = stable_id("i-csv", *key)
        try:
            record = model.model_validate(fields)
        except ValidationError as exc:
            parsed.report.reject(where, reason(exc))
            continue
        key = record.name if entity == "wards" else record.id
        if key in seen:
            parsed.report.reject(where, f"repeats {key!r} from {seen[key]}")
            continue
        seen[key] = where
        parsed.origins[key] = where
        kept.append(record)


def _fields(row: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column, raw in row.items():
        value = unneutralise(raw.strip())
        if not value:
            continue
        fields[column] = [p.strip() for p in _SPLIT.split(value) if p.strip()] if column in LIST_COLUMNS else value
    return fields


def _check_actor_ids_unique(parsed: Parsed) -> None:
    people = {p.id for p in parsed.batch.people}
    for org in parsed.batch.organisations:
        if org.id in people:
            parsed.report.reject(parsed.where(org.id, org.id), f"the id {org.id!r} is also a person's id in people.csv")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_text(columns: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(c, "")) for c in columns])
    return buffer.getvalue()


"""Open Referral UK (HSDS) directories in and out: organisations, what they offer and where.

Read (format name ``openreferral``):

- a folder of CSV files (HSDS 1.x / ORUK data package, or HSDS 3 tabular):
  ``organizations.csv``, ``services.csv`` and optionally ``locations.csv``,
  ``services_at_location.csv``, ``physical_addresses.csv`` (or ``addresses.csv``),
  ``service_areas.csv``, ``regular_schedules.csv``;
- a JSON file in any shape of :mod:`.nested` (ORUK 3.0 API pages, single
  service or organization objects, flat tables);
- a live ORUK API from its base URL (:mod:`.feed`).

Write (format name ``openreferral-json``): :mod:`.export`, an ORUK 3.0
organizations page with each organisation's offers as services.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ...errors import InvalidInput
from ...store.base import Batch, Progress, Store
from ..files import load_json, require_file
from ..report import ImportReport, Parsed
from .export import export_organisations, write_openreferral
from .nested import flatten
from .tables import TABLES, USED_COLUMNS, WARD_COLUMNS, map_tables, organisation_id, read_folder

__all__ = [
    "TABLES",
    "USED_COLUMNS",
    "WARD_COLUMNS",
    "read_openreferral",
    "read_document",
    "compare_with_store",
    "write_openreferral",
    "export_organisations",
    "organisation_id",
]


def read_openreferral(path: Path | str, known_wards: Iterable[str] = (), progress: Progress | None = None) -> Parsed:
    """Read an ORUK data package (folder of CSVs) or JSON document into organisations.

    ``known_wards`` are the ward names a location may match (usually the
    store's wards). Nothing is written.
    """
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"no such Open Referral package: {path}")
    if path.is_dir():
        report = ImportReport(source=path.name, format="openreferral")
        parsed = Parsed(Batch(), report)
        map_tables(read_folder(path, report), parsed, known_wards)
        return _done(parsed, progress)
    return read_document(_load_json(path), path.name, known_wards, progress)


def read_document(
    document: Any, source: str, known_wards: Iterable[str] = (), progress: Progress | None = None
) -> Parsed:
    """Read an already-parsed ORUK JSON document (file, API page or pages) into organisations."""
    tables, dropped = flatten(document, source)
    parsed = Parsed(Batch(), ImportReport(source=source, format="openreferral"))
    map_tables(tables, parsed, known_wards)
    if dropped:
        listed = ", ".join(f"{field} ({n:,})" for field, n in sorted(dropped.items()))
        parsed.report.notes.append(f"nested fields not stored: {listed}")
    return _done(parsed, progress)


#: Above this many organisations already held, they are read in one stream instead of one by one.
_ONE_BY_ONE = 2000


def compare_with_store(store: Store, parsed: Parsed) -> Parsed:
    """Say in the report how many organisations are new, changed or unchanged against ``store``.

    Examples of the line: ``organisations against the store: 3 added, 1 changed, 6 unchanged``.
    """
    orgs = parsed.batch.organisations
    held_ids = store.existing_ids([o.id for o in orgs]) if orgs else set()
    if len(held_ids) <= _ONE_BY_ONE:
        held = {i: store.get_actor(i) for i in held_ids}
    else:
        held = {a.id: a for a in store.iter_actors() if a.id in held_ids}
    unchanged = sum(1 for o in orgs if held.get(o.id) == o)
    changed = len(held_ids) - unchanged
    parsed.report.notes.append(
        f"organisations against the store: {len(orgs) - len(held_ids):,} added, {changed:,} changed, {unchanged:,} unchanged"
    )
    return parsed


def _done(parsed: Parsed, progress: Progress | None) -> Parsed:
    if progress:
        progress(len(parsed.batch.organisations))
    parsed.report.count(parsed.batch)
    return parsed


def _load_json(path: Path) -> Any:
    try:
        return load_json(require_file(path, "Open Referral file"), "Open Referral file")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None

"""Import, export and copy: one call each, for the CLI and the dashboard.

``import_file`` reads a file in one of :data:`IMPORT_FORMATS` into a batch,
checks it against the store and writes it all or not at all.
``export_file`` writes a store in one of :data:`EXPORT_FORMATS`; every
record export passes through an optional ``transform`` (for example a
pseudonymiser) and every graph export through ``graph_transform``.
``copy_store`` moves a whole network between stores of either backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..audit import AuditAction
from ..auth import Permission, require
from ..errors import InvalidInput
from ..model import Counts
from ..store.base import Batch, Progress, Store
from . import csv_tables, json_backup, kumu, kumu_json, openreferral
from .graph_files import read_gephi_csv, read_graph_file, write_graph_file
from .files import overwriting
from .loading import load
from .source_ids import give_ids
from .mapping import Mapping
from .network import network_for_export
from .projection import GraphTransform
from .sniff import sniff, source_for, wrong_format
from .report import ImportReport, Parsed
from .snapshot import Transform, snapshot

__all__ = [
    "IMPORT_FORMATS",
    "EXPORT_FORMATS",
    "ExportResult",
    "read_import",
    "import_file",
    "export_file",
    "copy_store",
    "records_in",
]

IMPORT_FORMATS = ("kumu", "csv", "openreferral", "graphml", "gexf", "gml", "pajek", "gephi", "json")
EXPORT_FORMATS = ("json", "csv", "kumu", "kumu-json", "graphml", "gexf", "gml", "openreferral-json")
#: Formats written from the network graph (actors as nodes, one edge per tie).
GRAPH_EXPORTS = ("graphml", "gexf", "gml")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    format: str
    paths: list[Path]
    nodes: int = 0  # graph exports
    edges: int = 0
    counts: Counts | None = None  # record exports


def records_in(counts: Counts) -> int:
    """How many records a store with these counts holds (for progress bars)."""
    return counts.wards + counts.people + counts.organisations + counts.ties + counts.introductions


def read_import(
    store: Store, path: Path | str, fmt: str | None = None, progress: Progress | None = None,
    mapping: Mapping | None = None,
) -> Parsed:
    """Read and validate ``path`` in format ``fmt`` (nothing is written).

    Without ``fmt`` (or with ``"auto"``) the format is recognised from the
    content (:func:`~connector_graph.io.sniff.sniff`). A file that cannot be
    read in the format given, but is recognisably another, gets an error
    naming what it is. ``mapping`` holds the rules for other tools' element
    and connection types (``--type-map``, ``--default-type``); it applies to
    Kumu and the graph formats.
    """
    if not fmt or fmt == "auto":
        fmt = sniff(path).format
        path = source_for(path, fmt)
    elif fmt not in IMPORT_FORMATS:
        raise InvalidInput(f"cannot import the format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}")
    try:
        return _read(store, path, fmt, progress, mapping)
    except InvalidInput as exc:
        if "nests more than" in str(exc):  # refused for its shape, whatever the format
            raise
        raise (wrong_format(path, fmt) or exc) from None


def _read(store: Store, path: Path | str, fmt: str, progress: Progress | None, mapping: Mapping | None) -> Parsed:
    if fmt == "json":
        return json_backup.read_backup(path, progress)
    if fmt == "csv":
        return csv_tables.read_csv_folder(path, progress)
    if fmt == "kumu":
        return kumu.read_kumu(path, progress, mapping)
    if fmt == "openreferral":
        parsed = openreferral.read_openreferral(path, [w.name for w in store.list_wards()], progress)
        return openreferral.compare_with_store(store, give_ids(store, parsed))
    if fmt in ("graphml", "gexf", "gml", "pajek"):
        return read_graph_file(path, fmt, mapping, progress)
    if fmt == "gephi":
        return read_gephi_csv(path, mapping, progress)
    raise InvalidInput(f"cannot import the format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}")


def import_file(
    store: Store,
    path: Path | str,
    fmt: str | None = None,
    *,
    dry_run: bool = False,
    require_empty: bool = False,
    progress: Progress | None = None,
    mapping: Mapping | None = None,
    bring_back_erased: str | None = None,
) -> ImportReport:
    """Read, check and (unless ``dry_run`` or a row was rejected) write an import.

    Importing the same file twice changes nothing: the store maps the file's ids to the ids it gave
    (:mod:`connector_graph.io.source_ids`).
    Erased people are left out (see :func:`connector_graph.io.loading.load`).
    """
    parsed = read_import(store, path, fmt, mapping=mapping)
    return load(store, parsed, dry_run=dry_run, require_empty=require_empty, progress=progress,
                bring_back_erased=bring_back_erased)


def export_file(
    store: Store,
    path: Path | str,
    fmt: str,
    *,
    transform: Transform | None = None,
    graph_transform: GraphTransform | None = None,
    progress: Progress | None = None,
    pseudonymise: bool = False,
    gexf_version: str = "1.2draft",
    force: bool = False,
) -> ExportResult:
    """Write the whole store to ``path`` in format ``fmt``.

    ``pseudonymise`` replaces names and ids with keyed pseudonyms new to this
    export and drops free text (it sets ``transform`` and ``graph_transform``).

    ``csv`` writes a folder of files; the others write one file. The json
    format is the full backup (with the erasure register and the signed
    audit checkpoint); the other formats, and every pseudonymised export,
    leave out people whose consent was withdrawn or whose record is
    restricted. Files are written safely (:mod:`connector_graph.io.files`):
    an existing file is replaced only with ``force``. Every export is
    recorded in the audit log; one that carries names outside a backup as
    ``export_named``.
    """
    require(Permission.EXPORT)
    if pseudonymise:
        from .pseudonymise import Pseudonyms

        pseudonyms = Pseudonyms()
        transform, graph_transform = pseudonyms.batch, pseudonyms.graph
    with overwriting(force):
        result = _export(store, path, fmt, transform, graph_transform, progress, gexf_version=gexf_version,
                         pseudonymise=pseudonymise)
    named = not pseudonymise and fmt != "json" and transform is None and graph_transform is None
    if not getattr(store, "read_only", False):  # a read-only store can be backed up, not written to
        store.record_audit(AuditAction.EXPORT_NAMED if named else AuditAction.EXPORT)
    return result


def without_withheld_people(batch: Batch) -> Batch:
    """The batch less people with withdrawn consent or restricted records, and what names them."""
    withheld = {p.id for p in batch.people if not p.in_analysis}
    if not withheld:
        return batch
    return Batch(
        wards=batch.wards,
        people=[p for p in batch.people if p.id not in withheld],
        organisations=batch.organisations,
        ties=[t for t in batch.ties if t.source_id not in withheld and t.target_id not in withheld],
        introductions=[
            i for i in batch.introductions
            if not withheld.intersection((i.introducer_id, i.subject_id, i.target_id))
        ],
    )


def _export(
    store: Store,
    path: Path | str,
    fmt: str,
    transform: Transform | None,
    graph_transform: GraphTransform | None,
    progress: Progress | None,
    gexf_version: str = "1.2draft",
    pseudonymise: bool = False,
) -> ExportResult:
    if fmt in GRAPH_EXPORTS:
        G = network_for_export(store, graph_transform)
        written = write_graph_file(G, path, fmt, gexf_version=gexf_version)
        if progress:
            progress(G.number_of_nodes() + G.number_of_edges())
        return ExportResult(fmt, [written], nodes=G.number_of_nodes(), edges=G.number_of_edges())
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(f"cannot export the format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "openreferral-json":  # a services directory: organisations only, so only they are read
        written, n = openreferral.export_organisations(store, path, transform, progress)
        return ExportResult(fmt, [written], counts=Counts(organisations=n))
    batch = snapshot(store, progress)
    if fmt != "json" or pseudonymise:
        batch = without_withheld_people(batch)
    if transform is not None:
        batch = transform(batch)
    counts = Counts(
        people=len(batch.people),
        organisations=len(batch.organisations),
        ties=len(batch.ties),
        introductions=len(batch.introductions),
        wards=len(batch.wards),
    )
    if fmt == "json":
        batch.source_ids = {} if pseudonymise else store.list_source_ids()
        register = [] if pseudonymise else store.list_erasures()
        checkpoint = None if pseudonymise else store.protection.read_checkpoint()
        paths = [json_backup.write_backup(
            batch, path, register=register, checkpoint=checkpoint if not isinstance(checkpoint, str) else None)]
    elif fmt == "csv":
        paths = csv_tables.write_csv_folder(batch, path)
    elif fmt == "kumu-json":
        paths = [kumu_json.write_kumu_blueprint(batch, path)]
    else:
        paths = [kumu.write_kumu_workbook(batch, path)]
    return ExportResult(fmt, paths, counts=counts)


def copy_store(
    source: Store,
    target: Store,
    *,
    merge: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    bring_back_erased: str | None = None,
) -> ImportReport:
    """Copy every record of ``source`` into ``target`` (all or nothing), with its erasure register.

    ``target`` must be empty unless ``merge`` is set. ``progress`` counts
    records read and then records written.
    """
    if source.url == target.url:
        raise InvalidInput("the source and the target are the same store")
    batch = snapshot(source, progress)
    batch.source_ids = source.list_source_ids()  # importing earlier files into the copy finds the same records
    report = ImportReport(source=source.url, format="store")
    report.count(batch)
    parsed = Parsed(batch, report, erasures=source.list_erasures(), keep_ids=True)
    return load(target, parsed, dry_run=dry_run, require_empty=not merge, progress=progress,
                bring_back_erased=bring_back_erased)

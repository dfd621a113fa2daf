"""Import and export from the dashboard: uploads to a preview, exports to one download."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..signin import MAX_UPLOAD_MB
from ..errors import InvalidInput
from ..io import csv_tables, openreferral, transfer
from ..io.loading import load
from ..io.openreferral import feed
from ..io.report import ImportReport, Parsed
from ..store.base import Store

__all__ = ["Upload", "Download", "AUTO", "IMPORT_CHOICES", "UPLOAD_TYPES", "IMPORT_HELP", "EXPORT_HELP", "stage_uploads", "preview", "run_import",
           "FEED_HELP", "preview_feed", "import_feed", "export_download", "templates_zip"]

#: The import choice that recognises the format from the content.
AUTO = "auto"
#: The import choices offered on the page: recognise, then each format.
IMPORT_CHOICES = (AUTO, *transfer.IMPORT_FORMATS)

#: What each import format expects, for the page.
IMPORT_HELP = {
    "kumu": "A Kumu workbook (.xlsx with Elements and Connections sheets), or its two sheets as CSV files.",
    "csv": "Our CSV templates: people.csv, organisations.csv, ties.csv and introductions.csv (any of them).",
    "openreferral": "An Open Referral UK data package: a JSON file, or its CSV files (organizations.csv, services.csv...).",
    "graphml": "A GraphML file (from Gephi, yEd or another tool).",
    "gexf": "A GEXF file (Gephi; versions 1.1draft, 1.2draft and 1.3).",
    "gml": "A GML file (igraph, networkx, Gephi and others).",
    "pajek": "A Pajek .net file.",
    "gephi": "Gephi's spreadsheet CSV: an edges table (Source, Target, ...) and optionally its nodes table (Id, Label, ...).",
    "json": "A connector_graph backup (.json).",
    AUTO: "Any of the formats below: the format is recognised from the file's content.",
}
#: What each export format gives, for the page.
EXPORT_HELP = {
    "json": "Everything, as a backup that can be restored into either store.",
    "csv": "One CSV per entity (people, organisations, ties, introductions, wards), zipped.",
    "kumu": "A Kumu-layout workbook (.xlsx) to open in Kumu or a spreadsheet.",
    "kumu-json": "A Kumu JSON blueprint, to import into a Kumu project.",
    "graphml": "People, organisations and ties as a graph (opens in Gephi, yEd and other tools).",
    "gexf": "People, organisations and ties as a graph for Gephi, in GEXF 1.2.",
    "gml": "People, organisations and ties as a graph, in GML.",
    "openreferral-json": "Organisations and what they offer, as an Open Referral UK 3.0 directory (JSON).",
}
_SINGLE_FILE = {"graphml", "json", "gexf", "gml", "pajek"}
#: File types the upload box accepts.
UPLOAD_TYPES = ["xlsx", "csv", "json", "graphml", "xml", "gexf", "gml", "net"]
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name as the user's computer called it, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Download:
    """A file to offer for download."""

    filename: str
    data: bytes
    mime: str


def _safe_name(name: str) -> str:
    cleaned = _SAFE_NAME.sub("_", Path(name).name).strip(" .")
    if not cleaned:
        raise InvalidInput("an uploaded file has no usable name")
    return cleaned


def stage_uploads(uploads: Sequence[Upload], fmt: str, folder: Path) -> Path:
    """Write the uploads under ``folder`` in the layout the importer of ``fmt`` reads.

    One file is imported as a file; several (CSV tables) as a folder. File
    names are reduced to safe characters, so an upload can never write
    outside ``folder``.
    """
    if fmt not in IMPORT_CHOICES:
        raise InvalidInput(f"cannot import the format {fmt!r}; choose one of {', '.join(IMPORT_CHOICES)}")
    if not uploads:
        raise InvalidInput("choose a file to import first")
    too_big = [u.name for u in uploads if len(u.data) > MAX_UPLOAD_MB * 1024 * 1024]
    if too_big:
        raise InvalidInput(f"{too_big[0]} is larger than {MAX_UPLOAD_MB} MB; import it from the command line instead")
    if fmt in _SINGLE_FILE and len(uploads) > 1:
        raise InvalidInput(f"a {fmt} import is one file; {len(uploads)} were given")
    names = [_safe_name(u.name) for u in uploads]
    if len(set(n.lower() for n in names)) != len(names):
        raise InvalidInput("two uploaded files have the same name")
    target = folder / "upload"
    target.mkdir(parents=True, exist_ok=True)
    for upload, name in zip(uploads, names):
        (target / name).write_bytes(upload.data)
    single = len(uploads) == 1 and (fmt in _SINGLE_FILE or fmt == AUTO or not names[0].lower().endswith(".csv"))
    return target / names[0] if single else target


def preview(store: Store, uploads: Sequence[Upload], fmt: str) -> ImportReport:
    """Check the uploads as an import would, writing nothing (a dry run)."""
    with tempfile.TemporaryDirectory(prefix="cg-import-") as tmp:
        path = stage_uploads(uploads, fmt, Path(tmp))
        return transfer.import_file(store, path, fmt, dry_run=True)


def run_import(store: Store, uploads: Sequence[Upload], fmt: str) -> ImportReport:
    """Import the uploads: all of it, or nothing when any row is rejected."""
    with tempfile.TemporaryDirectory(prefix="cg-import-") as tmp:
        path = stage_uploads(uploads, fmt, Path(tmp))
        return transfer.import_file(store, path, fmt)


#: What the feed address box expects, for the page.
FEED_HELP = (
    "The base address of an Open Referral UK 3.0 API, e.g. https://directory.example.gov.uk/api/v3 "
    "(its /services are read page by page, each service's details from /services/{id})."
)


def _read_feed(store: Store, url: str) -> Parsed:
    if not feed.is_url(url.strip()):
        raise InvalidInput(f"{url.strip()!r} is not a web address; give the https://... base address of an Open Referral UK API")
    parsed = feed.read_openreferral_api(url.strip(), [w.name for w in store.list_wards()])
    return openreferral.compare_with_store(store, parsed)


def preview_feed(store: Store, url: str) -> ImportReport:
    """Read a live Open Referral UK API and report what importing it would do, writing nothing."""
    return load(store, _read_feed(store, url), dry_run=True)


def import_feed(store: Store, url: str) -> ImportReport:
    """Read a live Open Referral UK API again and import it: all of it, or nothing when any record is rejected."""
    return load(store, _read_feed(store, url))


def export_download(store: Store, fmt: str, *, pseudonymise: bool = False) -> Download:
    """Export the network in ``fmt`` as one downloadable file (CSV folders are zipped)."""
    if fmt not in transfer.EXPORT_FORMATS:
        raise InvalidInput(f"cannot export the format {fmt!r}; choose one of {', '.join(transfer.EXPORT_FORMATS)}")
    stem = "connector_graph" + ("_pseudonymised" if pseudonymise else "")
    extension = {"json": "json", "kumu": "xlsx", "kumu-json": "json", "graphml": "graphml", "gexf": "gexf", "gml": "gml", "openreferral-json": "oruk.json"}
    with tempfile.TemporaryDirectory(prefix="cg-export-") as tmp:
        if fmt == "csv":
            folder = Path(tmp) / stem
            result = transfer.export_file(store, folder, fmt, pseudonymise=pseudonymise)
            return Download(f"{stem}_csv.zip", _zip(result.paths), "application/zip")
        path = Path(tmp) / f"{stem}.{extension[fmt]}"
        transfer.export_file(store, path, fmt, pseudonymise=pseudonymise)
        mime = {"json": "application/json", "openreferral-json": "application/json", "kumu": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        return Download(path.name, path.read_bytes(), mime.get(fmt, "application/xml"))


def _zip(paths: Sequence[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, path.name)
    return buffer.getvalue()


def templates_zip() -> Download:
    """The CSV import templates, each with an example row, zipped."""
    with tempfile.TemporaryDirectory(prefix="cg-templates-") as tmp:
        paths = csv_tables.write_templates(Path(tmp))
        return Download("connector_graph_templates.zip", _zip(paths), "application/zip")

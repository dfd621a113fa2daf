"""Recognising an import's format from its content, so ``--format`` can be left out.

:func:`sniff` looks at what a file or folder holds, never only at its name:

- an XML root element: ``graphml`` (GraphML namespace or root), ``gexf``
  (any GEXF namespace, 1.1draft to 1.3);
- JSON: our backup (``"format": "connector_graph-backup"``), a Kumu
  blueprint (``elements`` and ``connections``), Open Referral (a
  ``contents``/``content`` page, a list of services, or one object with
  ``organization``, ``service_at_locations`` or ``services``);
- a workbook (``.xlsx``) with an ``Elements`` sheet: ``kumu``;
- GML text (``graph [``) and Pajek text (``*Vertices``/``*Network``);
- a CSV file by its header: Kumu elements or connections, Gephi nodes
  (``Id,Label``) or edges (``Source,Target``), our templates;
- a folder: Kumu (``elements.csv``), Open Referral (``services.csv`` or
  ``organizations.csv``), our templates (``people.csv``, ...), Gephi tables.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from .files import require_file

__all__ = ["Sniffed", "sniff", "recognise", "source_for", "wrong_format", "RECOGNISED", "FORMAT_NAMES"]

#: What each import format is called in messages.
FORMAT_NAMES = {
    "json": "a connector_graph backup (JSON)",
    "csv": "our CSV templates",
    "kumu": "a Kumu map",
    "openreferral": "an Open Referral UK directory",
    "graphml": "a GraphML file",
    "gexf": "a GEXF file",
    "gml": "a GML file",
    "pajek": "a Pajek .net file",
    "gephi": "Gephi's spreadsheet CSV",
}

#: The sentence listing what can be recognised.
RECOGNISED = (
    "GraphML, GEXF (1.1draft, 1.2draft, 1.3), GML, Pajek .net, Kumu (.xlsx, elements/connections CSV, JSON blueprint), "
    "Gephi's CSV tables (Id,Label / Source,Target), Open Referral UK (JSON or a folder of CSV files), "
    "our CSV templates and our JSON backup"
)

_HEAD = 64 * 1024
_OUR_TABLES = {"people.csv", "organisations.csv", "ties.csv", "introductions.csv", "wards.csv"}
_ORUK_TABLES = {"services.csv", "service.csv", "organizations.csv", "organization.csv"}
_ORUK_KEYS = {"organization", "service_at_locations", "services"}
_GML = re.compile(r"^\s*(?:#[^\n]*\n\s*)*(?:creator\s+\"[^\"]*\"\s*|version\s+\S+\s*)*graph\s*\[", re.IGNORECASE)
_PAJEK = re.compile(r"^\s*(?:%[^\n]*\n\s*)*\*(?:network|vertices)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sniffed:
    """The recognised format and a phrase saying what the file is."""

    format: str
    what: str


def _head(path: Path) -> bytes:
    """The first bytes of a regular file (a FIFO or device is never opened: it could block or never end)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        return b""
    with path.open("rb") as handle:
        return handle.read(_HEAD)


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def _xml(path: Path) -> Sniffed | None:
    import xml.etree.ElementTree as ET

    try:
        for _event, element in ET.iterparse(str(path), events=("start",)):
            tag = element.tag
            break
        else:
            return None
    except ET.ParseError:
        return None
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local.casefold() == "graphml" or "graphml" in namespace:
        return Sniffed("graphml", "a GraphML file")
    if local.casefold() == "gexf" or "gexf" in namespace:
        version = namespace.rstrip("/").rsplit("/", 1)[-1] if namespace else ""
        return Sniffed("gexf", f"a GEXF file{' (version ' + version + ')' if version and version[0].isdigit() else ''}")
    return None


def _json_shape(path: Path, head: str) -> Sniffed | None:
    if re.search(r'"format"\s*:\s*"connector_graph-backup"', head[:4096]):
        return Sniffed("json", FORMAT_NAMES["json"])
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    if isinstance(data, dict):
        if data.get("format") == "connector_graph-backup":
            return Sniffed("json", FORMAT_NAMES["json"])
        if isinstance(data.get("elements"), list) and isinstance(data.get("connections"), list):
            return Sniffed("kumu", "a Kumu JSON blueprint")
        if isinstance(data.get("contents"), list) or isinstance(data.get("content"), list):
            return Sniffed("openreferral", "an Open Referral UK API page")
        if _ORUK_KEYS & set(data) or isinstance(data.get("organizations"), list):
            return Sniffed("openreferral", "an Open Referral UK record")
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data[:20]):
        if any(_ORUK_KEYS & set(d) for d in data[:20]):
            return Sniffed("openreferral", "a list of Open Referral UK services")
    return None


def _workbook(path: Path) -> Sniffed | None:
    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise InvalidInput(
            f"{path.name} starts like an Excel workbook but cannot be opened as one (it is damaged or not .xlsx)"
        ) from None
    sheets = re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', book)
    if any(s.casefold() == "elements" for s in sheets):
        return Sniffed("kumu", "a Kumu workbook")
    raise InvalidInput(
        f"{path.name} is an Excel workbook without an 'Elements' sheet (it has: {', '.join(sheets) or 'no sheets'}); "
        "a Kumu workbook has Elements and Connections sheets"
    )


def _csv_header(head: str) -> set[str]:
    for row in csv.reader(io.StringIO(head)):
        if any(cell.strip() for cell in row):
            return {cell.strip().casefold() for cell in row}
    return set()


def _csv(header: set[str], name: str) -> Sniffed | None:
    if {"source_id", "target_id"} <= header or {"introducer_id", "subject_id"} <= header:
        return Sniffed("csv", "one of our CSV templates")
    if name.casefold() in _OUR_TABLES:
        return Sniffed("csv", "one of our CSV templates")
    if name.casefold() in _ORUK_TABLES:
        return Sniffed("openreferral", "an Open Referral UK table")
    if {"from", "to"} <= header or ({"label", "type"} <= header and "id" not in header - {"label", "type"}):
        return Sniffed("kumu", "a Kumu sheet saved as CSV")
    if {"source", "target"} <= header or {"id", "label"} <= header:
        return Sniffed("gephi", "a Gephi CSV table")
    if {"label"} <= header:
        return Sniffed("kumu", "a Kumu sheet saved as CSV")
    return None


def _folder(path: Path) -> Sniffed | None:
    names = {p.name.casefold(): p for p in path.iterdir() if p.is_file()}
    if "elements.csv" in names:
        return Sniffed("kumu", "a folder of Kumu CSV sheets")
    if _ORUK_TABLES & set(names):
        return Sniffed("openreferral", "an Open Referral UK data package")
    if _OUR_TABLES & set(names):
        return Sniffed("csv", "a folder of our CSV templates")
    for name, file in sorted(names.items()):
        if name.endswith(".csv"):
            found = _csv(_csv_header(_text(_head(file))), name)
            if found and found.format == "gephi":
                return Sniffed("gephi", "a folder of Gephi CSV tables")
    return None


def recognise(path: Path | str) -> Sniffed | None:
    """The format of ``path`` when its content shows one, else ``None`` (never raises for an unknown format)."""
    path = Path(path)
    if path.is_dir():
        return _folder(path)
    data = _head(path)
    if data.startswith(b"PK"):
        return _workbook(path)
    head = _text(data).lstrip()
    if head.startswith("<"):
        return _xml(path)
    if head.startswith(("{", "[")):
        return _json_shape(path, head)
    if _PAJEK.match(head):
        return Sniffed("pajek", FORMAT_NAMES["pajek"])
    if _GML.match(head):
        return Sniffed("gml", FORMAT_NAMES["gml"])
    if "\x00" in head:
        return None
    return _csv(_csv_header(head), path.name)


def sniff(path: Path | str) -> Sniffed:
    """The format of ``path``; ``InvalidInput`` naming what is recognised when it is none of them."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"no such file or folder: {path}")
    if not path.is_dir():
        require_file(path)  # regular files only; refuses FIFOs, devices and bombs in one line
    try:
        found = recognise(path)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    if found is None:
        raise InvalidInput(f"cannot tell what format {path.name} is in; recognised are {RECOGNISED}")
    return found


#: Formats read from a folder: a single CSV file of one of them means its folder.
FOLDER_FORMATS = ("kumu", "csv", "openreferral")


def source_for(path: Path | str, fmt: str) -> Path:
    """What the reader of ``fmt`` should be given: a CSV sheet of a folder format stands for its folder."""
    path = Path(path)
    if fmt in FOLDER_FORMATS and path.is_file() and path.suffix.casefold() == ".csv":
        return path.parent
    return path


def wrong_format(path: Path | str, fmt: str) -> InvalidInput | None:
    """When ``path`` is recognisably another format than ``fmt``: an error saying what it is."""
    path = Path(path)
    try:
        found = recognise(path) if path.exists() else None
    except (InvalidInput, OSError):
        return None
    if found is None or found.format == fmt:
        return None
    return InvalidInput(
        f"{path.name} is {found.what}, not {FORMAT_NAMES.get(fmt, fmt)}; "
        f"import it with --format {found.format}, or leave --format out"
    )

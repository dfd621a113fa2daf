"""Our own full backup: one versioned JSON document with everything a store holds.

Layout (version 1)::

    {
      "format": "connector_graph-backup",
      "version": 1,
      "exported_at": "2026-11-25T05:30:00+00:00",
      "counts": {"wards": 33, "people": 900, "organisations": 100, "ties": 2500, "introductions": 1600},
      "wards": [{"name": "Armley", "code": "E05011...", "population": 19000, "deprivation": 31.2}, ...],
      "people": [{"id": "p-...", "name": "...", "roles": ["resident"], "ward": "Armley", ...}, ...],
      "organisations": [...],
      "ties": [...],
      "introductions": [...]
    }

Each record is the model's own JSON form, so every field survives a round
trip. The ``counts`` header lets a restore notice a cut-off file.

Version 2 adds two sections: ``erasure_register`` (keyed values of erased
ids and fingerprints, never names; a restore re-applies them) and
``audit_checkpoint`` (the signed number and hash of the newest audit entry
when the backup was made, so a later ``audit --verify --backup FILE`` finds
entries removed since). Version 3 adds ``source_ids``: the keyed values of
the ids imported files gave their records, with the ids given here (see
:mod:`connector_graph.io.source_ids`), so that importing those files again
after a restore finds the same records. Versions 1 and 2 are still read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Sequence, TextIO

from pydantic import BaseModel, ValidationError

from ..errors import InvalidInput
from ..model import ErasureRecord, Introduction, Organisation, Person, Tie, Ward
from ..protection import Checkpoint
from ..store.base import Batch, Progress
from .files import load_json, require_file, safe_output
from .report import ImportReport, Parsed, reason

__all__ = [
    "FORMAT",
    "VERSION",
    "SECTIONS",
    "write_backup",
    "dump_backup",
    "read_backup",
    "parse_backup",
    "stated_total",
]

FORMAT = "connector_graph-backup"
VERSION = 3

#: Sections in the order they are written and loaded.
SECTIONS: dict[str, type[BaseModel]] = {
    "wards": Ward,
    "people": Person,
    "organisations": Organisation,
    "ties": Tie,
    "introductions": Introduction,
}
_HEADER_KEYS = {"format", "version", "exported_at", "counts", "erasure_register", "audit_checkpoint", "source_ids"}


def dump_backup(
    batch: Batch,
    out: TextIO,
    *,
    exported_at: dt.datetime | None = None,
    progress: Progress | None = None,
    register: Sequence[ErasureRecord] = (),
    checkpoint: Checkpoint | None = None,
) -> None:
    """Write ``batch`` (with the erasure register, audit checkpoint and ``batch.source_ids``) to ``out``."""
    report = progress or (lambda n: None)
    when = (exported_at or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    counts = {name: len(getattr(batch, name)) for name in SECTIONS}
    out.write("{\n")
    out.write(f'"format": {json.dumps(FORMAT)},\n"version": {VERSION},\n"exported_at": {json.dumps(when)},\n')
    out.write(f'"counts": {json.dumps(counts)}')
    out.write(',\n"erasure_register": ' + json.dumps([r.model_dump(mode="json") for r in register]))
    out.write(',\n"audit_checkpoint": ' + json.dumps(checkpoint.as_dict() if checkpoint else None))
    out.write(',\n"source_ids": ' + json.dumps(dict(sorted(batch.source_ids.items()))))
    for name in SECTIONS:
        records = getattr(batch, name)
        out.write(f',\n"{name}": [')
        for i, record in enumerate(records):
            out.write(",\n" if i else "\n")
            out.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False, sort_keys=True))
            if (i + 1) % 5000 == 0:
                report(5000)
        report(len(records) % 5000)
        out.write("\n]" if records else "]")
    out.write("\n}\n")


def write_backup(
    batch: Batch,
    path: Path | str,
    *,
    progress: Progress | None = None,
    register: Sequence[ErasureRecord] = (),
    checkpoint: Checkpoint | None = None,
) -> Path:
    """Write ``batch`` as a backup file (a private temporary file in the same folder, then renamed)."""
    with safe_output(path) as out:
        dump_backup(batch, out, progress=progress, register=register, checkpoint=checkpoint)
    return Path(path)


def read_backup(path: Path | str, progress: Progress | None = None) -> Parsed:
    """Read and validate a backup file into a batch and a report (nothing is written)."""
    path = require_file(path, "backup file")
    document = load_json(path, "connector_graph backup")
    return parse_backup(document, source=path.name, progress=progress)


def stated_total(path: Path | str) -> int | None:
    """The number of records a backup file says it holds (from its header), or ``None``.

    Reads only the start of the file, so a progress bar can be shown while
    the whole file is checked.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block here: the reader refuses it
            return None
        with Path(path).open(encoding="utf-8") as handle:
            head = handle.read(2048)
    except (OSError, UnicodeDecodeError):
        return None
    match = re.search(r'"counts":\s*(\{[^{}]*\})', head)
    if not match:
        return None
    try:
        counts = json.loads(match.group(1))
        return sum(int(counts.get(name, 0)) for name in SECTIONS)
    except (ValueError, TypeError, AttributeError):
        return None


def parse_backup(document: Any, *, source: str = "backup", progress: Progress | None = None) -> Parsed:
    """Validate a decoded backup document into a batch and a report."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput(f"{source} is not a connector_graph backup (no \"format\": \"{FORMAT}\" header)")
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise InvalidInput(f"{source} has no valid backup version number")
    if version > VERSION:
        raise InvalidInput(f"{source} is backup version {version}; this connector_graph reads up to version {VERSION}: upgrade it")
    unknown = sorted(set(document) - _HEADER_KEYS - set(SECTIONS))
    if unknown:
        raise InvalidInput(f"{source} has unknown section(s): {', '.join(unknown)}")
    report = ImportReport(source=source, format="json")
    parsed = Parsed(Batch(), report, keep_ids=True)
    tick = progress or (lambda n: None)
    stated = document.get("counts") if isinstance(document.get("counts"), dict) else {}
    for name, model in SECTIONS.items():
        records = document.get(name, [])
        if not isinstance(records, list):
            raise InvalidInput(f"{source}: \"{name}\" must be a list")
        if name in stated and stated[name] != len(records):
            report.reject(name, f"the header says {stated[name]} but the file holds {len(records)}; the file may be cut off")
        seen: set[str] = set()
        kept = getattr(parsed.batch, name)
        for i, raw in enumerate(records):
            where = f"{name}[{i}]"
            try:
                record = model.model_validate(raw)
            except ValidationError as exc:
                report.reject(where, reason(exc))
                continue
            key = record.name if name == "wards" else record.id
            if key in seen:
                report.reject(where, f"repeats {key!r}")
                continue
            seen.add(key)
            parsed.origins[key] = where
            kept.append(record)
            if (i + 1) % 5000 == 0:
                tick(5000)
        tick(len(records) % 5000)
    _check_actor_ids_unique(parsed)
    _read_protection(document, parsed, source)
    _read_source_ids(document, parsed, source)
    report.count(parsed.batch)
    return parsed


def _read_protection(document: dict, parsed: Parsed, source: str) -> None:
    """The erasure register and audit checkpoint a version 2 backup carries."""
    register = document.get("erasure_register") or []
    if not isinstance(register, list):
        raise InvalidInput(f"{source}: \"erasure_register\" must be a list")
    try:
        parsed.erasures = [ErasureRecord.model_validate(r) for r in register]
    except ValidationError:
        raise InvalidInput(f"{source}: the erasure register is damaged; the backup cannot be restored safely") from None
    checkpoint = document.get("audit_checkpoint")
    if checkpoint is not None:
        try:
            parsed.checkpoint = Checkpoint(int(checkpoint["seq"]), str(checkpoint["head"]), str(checkpoint["signature"]))
        except (TypeError, KeyError, ValueError):
            raise InvalidInput(f"{source}: the audit checkpoint is damaged") from None


def _read_source_ids(document: dict, parsed: Parsed, source: str) -> None:
    """The mapping of imported files' ids a version 3 backup carries, for the records it holds."""
    mapping = document.get("source_ids") or {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise InvalidInput(f"{source}: \"source_ids\" must map text to text")
    batch = parsed.batch
    held = {a.id for a in (*batch.people, *batch.organisations)} | {i.id for i in batch.introductions}
    batch.source_ids = {k: v for k, v in mapping.items() if v in held}


def _check_actor_ids_unique(parsed: Parsed) -> None:
    people = {p.id for p in parsed.batch.people}
    for org in parsed.batch.organisations:
        if org.id in people:
            parsed.report.reject(parsed.where(org.id, org.id), f"the id {org.id!r} is used by a person and an organisation")

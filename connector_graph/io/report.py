"""What an import found: rows accepted, rows rejected with reasons, columns ignored.

Every reader returns a :class:`Parsed`: the validated :class:`Batch` and an
:class:`ImportReport`. Nothing is written while reading; :func:`connector_graph.io.loading.load`
checks the batch against the store and writes it only if no row was rejected.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable

from pydantic import ValidationError

from ..model import Counts, ErasureRecord, describe_validation_error
from ..protection import Checkpoint
from ..store.base import Batch

__all__ = [
    "Rejection",
    "TableStats",
    "ImportReport",
    "Parsed",
    "stable_id",
    "unneutralise",
    "reason",
    "MAX_REPORTED",
]

#: How many rejections a report keeps word for word; the rest are only counted.
MAX_REPORTED = 1000

_FORMULA_STARTS = ("'=", "'+", "'-", "'@", "'\t", "'\r")


@dataclass(frozen=True)
class Rejection:
    """One row that cannot be imported, and why."""

    where: str  # e.g. "Elements row 7" or "people.csv line 3"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class TableStats:
    """What happened to the rows of one table (sheet, file or record kind) of an import.

    ``read``, ``merged`` and ``skipped`` are counted while reading; ``added``,
    ``changed`` and ``unchanged`` when the records are compared with the store.
    """

    read: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    merged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    compared: bool = False  # added/changed/unchanged are known

    def skip(self, why: str, rows: int = 1) -> None:
        """Count ``rows`` left out for the reason ``why``."""
        self.skipped[why] = self.skipped.get(why, 0) + rows

    def line(self, name: str) -> str:
        """One readable line, e.g. ``ties: read 12, added 9, unchanged 0, merged 2, skipped 1 (self-loop)``."""
        parts = [f"read {self.read:,}"] if self.read or not self.compared else []
        if self.compared:
            parts += [f"added {self.added:,}", f"changed {self.changed:,}", f"unchanged {self.unchanged:,}"]
        if self.merged:
            parts.append(f"merged {self.merged:,}")
        for why, rows in self.skipped.items():
            parts.append(f"skipped {rows:,} ({why})")
        return f"{name}: " + ", ".join(parts)


@dataclass
class ImportReport:
    """The outcome of reading (and possibly loading) one import.

    ``accepted`` counts the valid records of each kind (``people``,
    ``organisations``, ``ties``, ``introductions``, ``wards``); ``rejected``
    lists the rows that failed with their reasons; ``ignored_columns`` names
    columns that were read but not stored, per sheet or file; ``notes`` says
    anything else the user should know (a mapping applied, a field dropped).
    """

    source: str
    format: str
    accepted: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    rejected_total: int = 0
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    before: Counts | None = None
    after: Counts | None = None
    tables: dict[str, TableStats] = field(default_factory=dict)
    mappings: dict[str, int] = field(default_factory=dict)  # "Company → organisation" -> elements

    def table(self, name: str) -> TableStats:
        """The statistics of table ``name``, created on first use."""
        return self.tables.setdefault(name, TableStats())

    def mapped(self, original: str, becomes: str) -> None:
        """Count one value of the source mapped onto ours, for the mapping summary."""
        key = f"{original} \u2192 {becomes}"
        self.mappings[key] = self.mappings.get(key, 0) + 1
    skipped_erased: list[str] = field(default_factory=list)  # where each held-back record came from
    brought_back: list[str] = field(default_factory=list)  # erased people brought back by an admin
    erased_again: list[str] = field(default_factory=list)  # stored people a backup's register erased

    @property
    def ok(self) -> bool:
        """True when no row was rejected, so the import may be written."""
        return self.rejected_total == 0

    def reject(self, where: str, why: str) -> None:
        """Record a rejected row (kept word for word up to :data:`MAX_REPORTED`)."""
        self.rejected_total += 1
        if len(self.rejected) < MAX_REPORTED:
            self.rejected.append(Rejection(where, why))

    def ignore_columns(self, where: str, columns: Iterable[str]) -> None:
        """Record columns of ``where`` that are not stored."""
        columns = [c for c in columns if c]
        if columns:
            self.ignored_columns.setdefault(where, [])
            self.ignored_columns[where].extend(c for c in columns if c not in self.ignored_columns[where])

    def count(self, batch: Batch) -> None:
        """Set ``accepted`` from the records in ``batch``."""
        self.accepted = {
            "people": len(batch.people),
            "organisations": len(batch.organisations),
            "ties": len(batch.ties),
            "introductions": len(batch.introductions),
            "wards": len(batch.wards),
        }

    def summary(self) -> str:
        """One line: what was accepted and how many rows were rejected."""
        parts = [f"{n:,} {kind}" for kind, n in self.accepted.items() if n]
        accepted = ", ".join(parts) if parts else "nothing"
        line = f"{self.source} ({self.format}): accepted {accepted}"
        if self.rejected_total:
            line += f"; rejected {self.rejected_total:,} row(s)"
        return line

    def lines(self, limit: int = 20) -> list[str]:
        """Readable lines: summary, ignored columns, notes and up to ``limit`` rejections."""
        out = [self.summary()]
        out.extend(stats.line(name) for name, stats in self.tables.items())
        if self.mappings:
            out.append("mapped: " + ", ".join(f"{key} ({n:,})" for key, n in sorted(self.mappings.items())))
        for where, columns in self.ignored_columns.items():
            out.append(f"ignored columns in {where} (not stored): {', '.join(columns)}")
        out.extend(self.notes)
        for where in self.skipped_erased[:limit]:
            out.append(f"skipped {where}: an erased person or organisation (erasure register)")
        for rejection in self.rejected[:limit]:
            out.append(f"rejected {rejection}")
        hidden = self.rejected_total - min(limit, len(self.rejected))
        if hidden > 0:
            out.append(f"... and {hidden:,} more rejected row(s)")
        return out


@dataclass
class Parsed:
    """A file turned into records: the batch to load and the report so far."""

    batch: Batch
    report: ImportReport
    origins: dict[str, str] = field(default_factory=dict)  # record id -> where it came from
    erasures: list[ErasureRecord] = field(default_factory=list)  # a backup's erasure register
    checkpoint: Checkpoint | None = None  # a backup's signed audit checkpoint
    keep_ids: bool = False  # our own records (a backup, a copy): their ids are kept as they are
    source_of: dict[str, str] = field(default_factory=dict)  # our id -> the file's id, once ids are given
    ids_given: bool = False  # io.source_ids.give_ids has run

    def where(self, record_id: str, fallback: str) -> str:
        """Where the record with this id was read from, for messages."""
        return self.origins.get(record_id, fallback)


def stable_id(prefix: str, *key: str) -> str:
    """A short id derived from a source key, so importing the same row twice gives the same id.

    Examples
    --------
    >>> stable_id("p-kumu", "Ana Lopez") == stable_id("p-kumu", "Ana Lopez")
    True
    >>> len(stable_id("p-kumu", "Ana Lopez"))
    23
    """
    digest = hashlib.sha256("\x1f".join(key).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}-{digest}"


def unneutralise(value: Any) -> Any:
    """Undo :func:`connector_graph.io.safe_csv.neutralise` on text read back from a file.

    Examples
    --------
    >>> unneutralise("'=SUM(A1)"), unneutralise("'tis"), unneutralise(3)
    ('=SUM(A1)', "'tis", 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return value[1:]
    return value


def reason(exc: Exception) -> str:
    """A validation failure as a short readable phrase."""
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    return str(exc)

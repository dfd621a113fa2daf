"""The whole graph as columns: what a store hands the analysis in one read.

:class:`GraphColumns` holds plain Python lists, one per field, read with one
query per table (actors, ties, introductions) in one read transaction, so
the graph version it carries is the version of exactly these rows. No model
object is built: every record was validated on its way in.

Values are as stored: ids, enum values and ISO dates (``"2026-01-31"``) as
text, ``None`` where a field is empty; a tie's ``weight`` is its stored
weight, or 1.0 where the store keeps none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

__all__ = ["GraphColumns", "cache_folder", "projection_cache_file", "discard_projection_cache"]


@dataclass
class GraphColumns:
    """Actors, ties and introductions as parallel lists (see the module notes)."""

    version: int = 0
    actor_id: list[str] = field(default_factory=list)
    actor_type: list[str] = field(default_factory=list)  # "person" or "organisation"
    name: list[str] = field(default_factory=list)
    ward: list[str | None] = field(default_factory=list)
    sector: list[str | None] = field(default_factory=list)
    kind: list[str | None] = field(default_factory=list)
    roles: list[list[str]] = field(default_factory=list)
    in_analysis: list[bool] = field(default_factory=list)  # false: consent withdrawn or restricted
    tie_id: list[str] = field(default_factory=list)
    tie_source: list[str] = field(default_factory=list)
    tie_target: list[str] = field(default_factory=list)
    tie_kind: list[str] = field(default_factory=list)
    tie_since: list[str | None] = field(default_factory=list)
    tie_last_confirmed: list[str | None] = field(default_factory=list)
    tie_weight: list[float] = field(default_factory=list)
    intro_id: list[str] = field(default_factory=list)
    intro_date: list[str] = field(default_factory=list)
    intro_introducer: list[str] = field(default_factory=list)
    intro_subject: list[str] = field(default_factory=list)
    intro_target: list[str] = field(default_factory=list)
    intro_status: list[str] = field(default_factory=list)
    intro_follow_up: list[str | None] = field(default_factory=list)
    intro_has_outcome: list[bool] = field(default_factory=list)

    def lengths(self) -> tuple[int, int, int]:
        """``(actors, ties, introductions)``; raises ``ValueError`` if a table's columns disagree.

        Examples
        --------
        >>> GraphColumns(actor_id=["a"], actor_type=["person"], name=["A"], ward=[None], sector=[None],
        ...              kind=[None], roles=[[]], in_analysis=[True]).lengths()
        (1, 0, 0)
        """
        sizes: dict[str, set[int]] = {"actor": set(), "tie": set(), "intro": set()}
        for f in fields(self):
            if f.name == "version":
                continue
            table = "tie" if f.name.startswith("tie_") else "intro" if f.name.startswith("intro_") else "actor"
            sizes[table].add(len(getattr(self, f.name)))
        for table, seen in sizes.items():
            if len(seen) > 1:
                raise ValueError(f"the {table} columns have different lengths: {sorted(seen)}")
        return tuple(next(iter(sizes[t])) for t in ("actor", "tie", "intro"))  # type: ignore[return-value]


def cache_folder(url: str, database: str | None = None) -> Path:
    """The folder where the analysis keeps what it derived from the store at ``url``.

    Beside the file for SQLite (``network.db`` -> ``network.db.cache/``); for
    a server store, in the app's cache folder (``CONNECTOR_GRAPH_CACHE_DIR``,
    default ``~/.cache/connector_graph``) under a name derived from the URL
    and database. Everything in it is keyed by graph version, and a store
    empties it when it erases someone.

    Examples
    --------
    >>> cache_folder("sqlite:///data/g.db").as_posix()
    'data/g.db.cache'
    >>> cache_folder("bolt://h:7687").name.startswith("neo4j-")
    True
    """
    if url.lower().startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :] + ".cache")
    folder = Path(os.environ.get("CONNECTOR_GRAPH_CACHE_DIR") or Path.home() / ".cache" / "connector_graph")
    digest = hashlib.sha256(f"{url}\n{database or ''}".encode()).hexdigest()[:20]
    return folder / f"neo4j-{digest}"


def projection_cache_file(url: str, database: str | None = None) -> Path:
    """The cached projection's file in :func:`cache_folder`.

    Examples
    --------
    >>> projection_cache_file("sqlite:///data/g.db").as_posix()
    'data/g.db.cache/projection.npz'
    """
    return cache_folder(url, database) / "projection.npz"


def discard_projection_cache(url: str, database: str | None = None) -> None:
    """Delete everything cached from the store at ``url`` (after an erasure); never fails.

    The caches are also keyed by graph version, so a file that cannot be
    deleted is still never served; it is replaced at the next analysis.
    """
    folder = cache_folder(url, database)
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            with contextlib.suppress(OSError):
                path.unlink()

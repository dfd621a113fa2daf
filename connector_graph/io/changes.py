"""What an import would change: each record compared with the store by id.

Fills the report's per-kind statistics (``people``, ``organisations``,
``ties``, ``introductions``, ``wards``): added (new id), changed (id held
with other content) and unchanged. Importing the same file twice therefore
reports everything unchanged the second time.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..store.base import Batch, Store
from .report import ImportReport

__all__ = ["compare_with_store"]


def _diff(report: ImportReport, name: str, records: list[Any], stored: Iterable[Any], key: str = "id") -> None:
    if not records:
        return
    stats = report.table(name)
    stats.compared = True
    stats.added = stats.changed = stats.unchanged = 0
    wanted = {getattr(r, key): r for r in records}
    held: dict[str, Any] = {}
    for record in stored:
        if getattr(record, key) in wanted:
            held[getattr(record, key)] = record
    for record_id, record in wanted.items():
        old = held.get(record_id)
        if old is None:
            stats.added += 1
        elif old == record:
            stats.unchanged += 1
        else:
            stats.changed += 1


def _empty() -> Iterator[Any]:
    return iter(())


def compare_with_store(store: Store, batch: Batch, report: ImportReport) -> None:
    """Count, per kind of record, how many of ``batch`` are new, changed or unchanged in ``store``.

    An empty store is not read at all; otherwise each kind present in the
    batch is streamed once.
    """
    before = report.before or store.counts()
    actors = list(store.iter_actors()) if (before.people or before.organisations) and (batch.people or batch.organisations) else []
    _diff(report, "wards", batch.wards, store.list_wards() if before.wards else [], key="name")
    _diff(report, "people", batch.people, actors)
    _diff(report, "organisations", batch.organisations, actors)
    _diff(report, "ties", batch.ties, store.iter_ties() if before.ties else _empty())
    _diff(report, "introductions", batch.introductions, store.iter_introductions() if before.introductions else _empty())

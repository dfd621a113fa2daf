"""Everything a store holds, as one :class:`Batch` (for exports, backups and copies)."""

from __future__ import annotations

from typing import Callable

from ..model import Organisation, Person
from ..store.base import Batch, Progress, Store

__all__ = ["snapshot", "Transform", "STEP"]

#: A step applied to a snapshot before it is written, e.g. a pseudonymiser.
Transform = Callable[[Batch], Batch]

#: Records read between progress reports.
STEP = 5000


def snapshot(store: Store, progress: Progress | None = None) -> Batch:
    """Read every ward, actor, tie and introduction from ``store``, in id order.

    ``progress`` is called with the number of records read since the last call.
    """
    report = progress or (lambda n: None)
    batch = Batch(wards=store.list_wards())
    report(len(batch.wards))
    pending = 0

    def tick() -> None:
        nonlocal pending
        pending += 1
        if pending == STEP:
            report(pending)
            pending = 0

    for actor in store.iter_actors():
        if isinstance(actor, Person):
            batch.people.append(actor)
        elif isinstance(actor, Organisation):
            batch.organisations.append(actor)
        tick()
    for tie in store.iter_ties():
        batch.ties.append(tie)
        tick()
    for intro in store.iter_introductions():
        batch.introductions.append(intro)
        tick()
    if pending:
        report(pending)
    return batch

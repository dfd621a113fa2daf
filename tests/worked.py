"""Answers worked out in the tests themselves, from the store's own records, to check pages against."""

from __future__ import annotations

from connector_graph.auth import acting_as
from connector_graph.store import IntroductionFilter, open_store


def waiting_by_label(url: str, introducer: str) -> dict[str, str]:
    """The introducer's introductions with no outcome yet, by the start of the line a follow-up list should show.

    Keys read ``Subject → Target (introduced DD/MM/YYYY``; values are ids.
    """
    store = open_store(url)
    try:
        with acting_as("test", "admin"):
            waiting = [i for i in store.list_introductions(IntroductionFilter(introducer_id=introducer))
                       if i.outcome is None and i.status.value in ("planned", "made", "unknown")]
            name = {a: store.get_actor(a).name for i in waiting for a in (i.subject_id, i.target_id)}
    finally:
        store.close()
    return {f"{name[i.subject_id]} → {name[i.target_id]} (introduced {i.date:%d/%m/%Y}": i.id for i in waiting}

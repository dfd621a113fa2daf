"""Closing a store while another thread still reads from it (a shared analysis, the pickers' base).

The dashboard's background worker reads through the same store object the
pages use. Closing the store under it must neither break the read in that
thread nor fail the close itself (with Neo4j, closing the driver under an
open session broke the connection's buffers); after close, a new read is
refused with the project's own error.
"""

from __future__ import annotations

import threading

import pytest

from connector_graph import service
from connector_graph.errors import StoreUnavailable
from connector_graph.model import Person
from connector_graph.store import open_store
from connector_graph.store.base import Batch

PATIENCE = 300  # seconds: a busy machine is slow, not broken
#: More than one fetch of the driver (1,000 records), so the read still needs its connection at close.
READERS = 2500


@pytest.fixture
def filled(any_store_url):
    store = open_store(any_store_url)
    store.bulk_load(Batch(people=[Person(id=f"r{n:05d}", name=f"Reader {n}") for n in range(READERS)]))
    service.add_person(store, "Last Reader", person_id="r99999")
    yield any_store_url
    store.close()


def test_close_waits_for_a_read_another_thread_has_open(filled):
    store = open_store(filled)
    first_read = threading.Event()
    go_on = threading.Event()
    seen: list[str] = []
    failures: list[BaseException] = []

    def reader() -> None:
        try:
            for actor in store.iter_actors():
                seen.append(actor.id)
                if len(seen) == 1:
                    first_read.set()
                    go_on.wait(PATIENCE)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    def closer() -> None:
        try:
            store.close()
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    reading = threading.Thread(target=reader)
    reading.start()
    assert first_read.wait(PATIENCE)
    closing = threading.Thread(target=closer)
    closing.start()
    go_on.set()
    reading.join(PATIENCE)
    closing.join(PATIENCE)
    assert not reading.is_alive() and not closing.is_alive()
    assert failures == []
    assert seen == [f"r{n:05d}" for n in range(READERS)] + ["r99999"]  # the read finished whole


@pytest.mark.parametrize("any_store_url", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
def test_a_closed_neo4j_store_refuses_new_reads_with_one_line(filled):
    store = open_store(filled)
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.counts()
    store.close()  # closing twice is harmless

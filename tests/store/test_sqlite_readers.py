"""SQLite: reads do not queue behind a write. Each reading thread gets a connection of its own (WAL
readers run at once), writes are serialised, and nothing is lost when threads read and write together."""

from __future__ import annotations

import contextvars
import datetime as dt
import threading

import pytest

from connector_graph import service
from connector_graph.model import Person, build
from connector_graph.store import Batch, open_store


@pytest.fixture
def sqlite_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'g.db'}")
    assert store.counts().people == 0
    yield store
    store.close()


def _in_thread(target, *args) -> threading.Thread:
    """Start ``target`` in a thread signed in as the test is."""
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(target, *args), daemon=True)
    thread.start()
    return thread


def test_reads_proceed_while_another_thread_holds_a_write_transaction_open(sqlite_store):
    store = sqlite_store
    service.add_person(store, "Ann Ahmed", ward="A", person_id="ann")
    before = store.graph_version()
    inside, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def held(done: int) -> None:  # called by bulk_load inside its write transaction
        inside.set()
        assert release.wait(600), "the test never let the write finish"

    batch = Batch(people=[build(Person, id=f"p-{n}", name=f"Person {n}") for n in range(50)])

    def write() -> None:
        try:
            store.bulk_load(batch, progress=held)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    writer = _in_thread(write)
    assert inside.wait(600)
    seen: dict[str, object] = {}

    def read() -> None:
        seen["person"] = store.get_actor("ann").name
        seen["counts"] = store.counts().people
        seen["version"] = store.graph_version()
        seen["columns"] = len(store.read_columns().actor_id)
        seen["search"] = [a.id for a in store.search_actors("Person")]

    readers = [_in_thread(read) for _ in range(3)]
    for reader in readers:
        reader.join(600)
    try:
        assert not any(r.is_alive() for r in readers), "the reads waited for the open write"
        assert writer.is_alive()  # the write transaction was open the whole time
        # they see the last commit, not the write under way
        assert seen == {"person": "Ann Ahmed", "counts": 1, "version": before, "columns": 1, "search": []}
    finally:
        release.set()
        writer.join(600)
    assert not errors, errors
    assert store.counts().people == 51 and store.graph_version() > before


def test_concurrent_readers_and_writers_lose_nothing(sqlite_store):
    store = sqlite_store
    service.add_person(store, "Cath Connector", ward="A", roles=["connector"], person_id="cath")
    service.add_organisation(store, "Garden Club", sector="voluntary_community", ward="A", organisation_id="club")
    writers, each = 4, 25
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0]
    versions: list[int] = []

    def write(w: int) -> None:
        try:
            for n in range(each):
                pid = f"p-{w}-{n}"
                service.add_person(store, f"Resident {w} {n}", ward="A", person_id=pid)
                service.log_introduction(store, introducer_id="cath", subject_id=pid, target_id="club",
                                         date=dt.date.today(), purposes=["company"], introduction_id=f"i-{w}-{n}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def read() -> None:
        try:
            while not stop.is_set():
                counts = store.counts()
                assert counts.introductions <= counts.people  # every introduction names a resident logged first
                versions.append(store.graph_version())
                store.read_columns()
                store.list_introductions()
                reads[0] += 1
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    readers = [_in_thread(read) for _ in range(4)]
    writing = [_in_thread(write, w) for w in range(writers)]
    for thread in writing:
        thread.join(900)
    stop.set()
    for thread in readers:
        thread.join(900)
    assert not errors, errors
    assert not any(t.is_alive() for t in writing + readers)
    assert reads[0] > 0
    counts = store.counts()
    assert counts.people == 1 + writers * each and counts.introductions == writers * each
    ids = {i.id for i in store.list_introductions()}
    assert ids == {f"i-{w}-{n}" for w in range(writers) for n in range(each)}
    assert all(store.get_actor(f"p-{w}-{n}") for w in range(writers) for n in range(each))


def test_after_an_erasure_no_reading_connection_still_finds_the_person(sqlite_store):
    store = sqlite_store
    service.add_person(store, "Ann Ahmed", ward="A", person_id="ann")
    service.add_person(store, "Bob Brown", ward="A", person_id="bob")
    service.add_tie(store, "ann", "bob")
    barrier = threading.Barrier(4)
    found: list[list[str]] = []

    def look() -> None:
        barrier.wait(600)  # four readers at once: four reading connections, each with Ann in its cache
        found.append([a.id for a in store.search_actors("Ann")] + [t.id for t in store.list_ties("bob")])

    for thread in [_in_thread(look) for _ in range(4)]:
        thread.join(600)
    assert len(found) == 4 and all(f and f[0] == "ann" for f in found)
    service.erase_actor(store, "ann")
    found.clear()
    for thread in [_in_thread(look) for _ in range(4)]:
        thread.join(600)
    assert found == [[]] * 4
    assert store.counts().people == 1

"""Hostile input and faults: each case states the outcome it expects.

Outcomes: a clear error and nothing written; or the input stored as plain,
inert text; or nobody let in.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from connector_graph import service
from connector_graph.errors import InvalidInput, NotFound, StoreUnavailable
from connector_graph.model import Introduction, Person, build
from connector_graph.store import IntroductionFilter, open_store

CYPHER = "x'}) MATCH (n) DETACH DELETE n //"
CYPHER2 = '" OR 1=1 WITH 1 AS x MATCH (n) DETACH DELETE n RETURN 1 //'
SQL = "Robert'); DROP TABLE actors;--"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def two(store):
    a = service.add_person(store, "Cath Connector", roles=["connector"], person_id="cath")
    b = service.add_person(store, "Ann Ahmed", person_id="ann")
    return store, a, b


@pytest.mark.parametrize("text", [CYPHER, CYPHER2, SQL, SCRIPT, IMG])
def test_injection_strings_in_names_and_tags_are_stored_literally(two, text):
    store, *_ = two
    p = service.add_person(store, text, gifts=[text[:40]], ward=text[:80])
    assert store.get_actor(p.id).name == text
    assert store.counts().people == 3


@pytest.mark.parametrize("text", [CYPHER, CYPHER2, SQL])
def test_injection_strings_in_filters_and_search_match_nothing_and_delete_nothing(two, text):
    store, *_ = two
    assert store.search_actors(text) == []
    assert store.list_people(ward=text) == []
    assert store.list_introductions(IntroductionFilter(ward=text, introducer_id=text)) == []
    with pytest.raises(NotFound):
        store.get_actor(text)
    assert store.counts().people == 2


def test_a_ten_megabyte_name_is_refused_and_nothing_written(two):
    store, *_ = two
    version = store.graph_version()
    with pytest.raises(InvalidInput, match="too long"):
        service.add_person(store, "x" * 10_000_000)
    with pytest.raises(InvalidInput, match="outcome"):
        service.log_introduction(store, introducer_id="cath", subject_id="ann", target_id="cath2", outcome="y" * 10_000_000)
    assert store.counts().people == 2 and store.graph_version() == version


def test_a_ten_megabyte_search_is_harmless(two):
    store, *_ = two
    assert store.search_actors("a" * 10_000_000) == []


def test_binary_and_invalid_text_is_cleaned_or_refused(two):
    store, *_ = two
    p = service.add_person(store, "Ann\x00\x07\x1b\ufeffe")
    assert "\x00" not in store.get_actor(p.id).name
    with pytest.raises(InvalidInput, match="U\\+DCFF"):  # a lone surrogate is not text: refused, not stored
        service.add_person(store, "Ann\udcff")
    assert store.counts().people == 3
    with pytest.raises(InvalidInput):
        service.add_person(store, "\x00\x01\x02")  # nothing left after cleaning


def test_an_introduction_naming_an_erased_person_is_refused(two):
    store, cath, ann = two
    service.erase_actor(store, ann.id)
    with pytest.raises(NotFound, match=ann.id):
        service.log_introduction(store, introducer_id=cath.id, subject_id=ann.id, target_id=cath.id + "x")
    assert store.counts().introductions == 0


def test_a_retried_write_after_a_failure_creates_no_duplicate(two):
    store, cath, ann = two
    draft = build(Introduction, introducer_id=cath.id, subject_id=ann.id, target_id="club")
    with pytest.raises(NotFound):  # the organisation is not there yet: nothing is written
        store.add_introduction(draft)
    service.add_organisation(store, "Lunch Club", sector="voluntary_community", organisation_id="club")
    store.add_introduction(draft)
    store.add_introduction(draft)  # the form is submitted again
    assert store.counts().introductions == 1


def test_twenty_threads_writing_at_once_lose_nothing(any_store_url):
    store = open_store(any_store_url)
    errors: list[BaseException] = []
    try:
        def work(n: int) -> None:
            try:
                for k in range(5):
                    store.add_person(build(Person, id=f"t{n}-{k}", name=f"Thread {n} person {k}"))
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        assert store.counts().people == 100
        assert len(store.list_audit()) == 100
    finally:
        store.close()


@pytest.mark.neo4j
def test_neo4j_stopped_before_a_write_gives_a_friendly_error_and_nothing_half_done(tmp_path, monkeypatch):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from neo4j_local import java_available, start_local_neo4j

    if java_available():
        pytest.skip(java_available())
    server = start_local_neo4j()
    # the driver retries a lost connection for this long before the store gives up (default 30 s)
    monkeypatch.setenv("CONNECTOR_GRAPH_NEO4J_RETRY_SECONDS", "3")
    store = open_store(server.url)
    store.add_person(build(Person, id="ann", name="Ann"))
    server.stop()
    try:
        with pytest.raises(StoreUnavailable, match="not reachable"):
            store.add_person(build(Person, id="bob", name="Bob"))
        with pytest.raises(StoreUnavailable):
            store.counts()
    finally:
        store.close()


def test_unreadable_sqlite_file_is_a_friendly_error(tmp_path):
    path = tmp_path / "locked.db"
    path.write_bytes(b"\x00" * 4096)
    with pytest.raises(StoreUnavailable):
        open_store(f"sqlite:///{path}")


def test_future_made_introduction_and_impossible_dates_are_refused(two):
    store, cath, ann = two
    with pytest.raises(InvalidInput, match="future"):
        service.log_introduction(store, introducer_id=cath.id, subject_id=ann.id, target_id="x", date=dt.date(2999, 1, 1))
    assert store.counts().introductions == 0

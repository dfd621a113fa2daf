"""Picker lists shared by every user: a write made here is listed at once without reading everything again,
an erased person is never listed after the erasure, and what is held while a new list is read stays bounded."""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager
from typing import Iterator

import pytest

from connector_graph import service
from connector_graph.analysis.answers import stalled_introductions
from connector_graph.analysis.shared import latest
from connector_graph.seed import generate
from connector_graph.store import open_store
from connector_graph.views import answers, directory, lists


@contextmanager
def busy_worker(store) -> Iterator[None]:
    """Hold the server's one background worker with a real (waiting) computation, so no new list can be read."""
    hold, busy = threading.Event(), threading.Event()
    assert latest(store, f"held-{id(hold)}", lambda: (busy.set(), hold.wait(600)), wait=False) is None
    assert busy.wait(600)
    try:
        yield
    finally:
        hold.set()


def _labels(store, **kw) -> list[str]:
    return [c.label for c in directory.choices(store, **kw)]


def _wait_until(check) -> None:
    for _ in range(12000):
        if check():
            return
        threading.Event().wait(0.05)
    raise AssertionError("never happened")


@pytest.fixture
def town(store):
    """An emptied store (SQLite, and Neo4j) with two people and an organisation."""
    assert store.counts().people == 0
    service.add_person(store, "Cath Connector", ward=None, roles=["connector"], person_id="cath")
    service.add_person(store, "Ann Ahmed", person_id="ann")
    service.add_organisation(store, "Hub Centre", sector="voluntary_community", organisation_id="hub")
    _wait_until(lambda: (directory.choices(store), lists.pending_changes(store))[1] == 0)  # a list with all three
    directory.known_purposes(store)  # the first lists are read before the worker is held
    return store


def test_a_write_here_is_in_every_list_at_once_while_no_new_list_can_be_read(town):
    assert any(label.startswith("Ann Ahmed") for label in _labels(town))
    before = town.graph_version()
    with busy_worker(town):
        service.add_person(town, "Zed Newcomer", person_id="zed")
        service.add_organisation(town, "Lunch Club", sector="faith", organisation_id="lunch")
        service.update_actor(town, "ann", name="Ann Ahmed-Brook")
        service.log_introduction(town, introducer_id="cath", subject_id="zed", target_id="lunch",
                                 purposes=["a brand new purpose"])
        assert town.graph_version() > before
        assert lists.pending_changes(town) == 3  # folded in, not read again: the worker is busy
        labels = _labels(town)
        assert any(label.startswith("Zed Newcomer") for label in labels)
        assert any(label.startswith("Ann Ahmed-Brook") for label in labels)
        assert not any(label.startswith("Ann Ahmed (") for label in labels)
        assert any(label.startswith("Zed Newcomer") for label in _labels(town, people_only=True))
        assert not any(label.startswith("Lunch Club") for label in _labels(town, people_only=True))
        assert "Lunch Club" in [c.label for c in answers.organisation_options(town)]
        assert labels == sorted(labels, key=str.casefold)
        assert directory.names_of(town, ["zed", "lunch", "nobody"]) == {
            "zed": "Zed Newcomer", "lunch": "Lunch Club", "nobody": "nobody"}
        assert "a brand new purpose" in directory.known_purposes(town)
    # once a list made after those writes is in, the changes held for it are let go
    _wait_until(lambda: (directory.choices(town), lists.pending_changes(town))[1] == 0)
    assert any(label.startswith("Zed Newcomer") for label in _labels(town))
    assert "a brand new purpose" in directory.known_purposes(town)


def test_an_erased_person_is_never_listed_after_the_erasure(town):
    service.add_person(town, "Eve Erased", person_id="eve")
    assert any(label.startswith("Eve Erased") for label in _labels(town))
    assert directory.names_of(town, ["eve"]) == {"eve": "Eve Erased"}
    service.erase_actor(town, "eve")
    assert not any("Eve Erased" in label for label in _labels(town))
    assert directory.names_of(town, ["eve"]) == {"eve": "eve"}
    assert all("Eve Erased" not in repr(v) for v in lists._MERGED.values())  # an erasure here forgets every list
    assert "Eve Erased" not in repr(lists._CHANGES._held)


def test_what_is_held_while_a_new_list_is_read_stays_bounded(town, monkeypatch):
    monkeypatch.setattr(lists, "CHANGES_KEPT", 5)
    directory.choices(town)
    with busy_worker(town):
        for n in range(12):
            service.add_person(town, f"Newcomer {n:02d}", person_id=f"new{n}")
            directory.choices(town)
            directory.choices(town, people_only=True)
            answers.organisation_options(town)
        assert lists.pending_changes(town) == 5
        assert len(lists._MERGED) <= lists._MERGED_KEPT
        labels = _labels(town)
        assert all(any(label.startswith(f"Newcomer {n:02d}") for label in labels) for n in range(7, 12))
    _wait_until(lambda: (directory.choices(town), lists.pending_changes(town))[1] == 0)
    labels = _labels(town)
    assert all(any(label.startswith(f"Newcomer {n:02d}") for label in labels) for n in range(12))
    assert len(lists._MERGED) <= lists._MERGED_KEPT


def test_the_filtered_went_nowhere_list_is_the_one_read_from_every_introduction(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        assert store.counts().introductions == 0
        service.load_batch(store, generate("demo"))
        intros = list(store.iter_introductions())
        connector = intros[0].introducer_id
        purpose = next(p for i in intros for p in i.purposes)
        today = dt.date.today()
        for days, kw in ((60, {}), (7, {"connector": connector}), (365, {"purpose": purpose}),
                         (30, {"target": intros[1].target_id})):
            shown = answers.stalled_frame(store, days=days, today=today, **kw)
            expected = stalled_introductions(intros, today=today, days=days, **kw)
            assert list(shown["id"]) == [s.introduction.id for s in expected]
            assert list(shown["why"]) == [s.why for s in expected]
        assert len(answers.stalled_frame(store, days=60, today=today)) > 0
        ward = store.list_wards()[0].name
        in_ward = {a.id for a in store.iter_actors() if a.ward == ward}
        shown = answers.stalled_frame(store, days=60, today=today, ward=ward)
        expected = [s.introduction.id for s in stalled_introductions(intros, today=today, days=60)
                    if {s.introduction.subject_id, s.introduction.target_id} & in_ward]
        assert list(shown["id"]) == expected
    finally:
        store.close()

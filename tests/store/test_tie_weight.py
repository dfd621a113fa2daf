"""Tie weights: stored and read back by both backends, carried into the analysis graph."""

from __future__ import annotations

import sqlite3

import pytest

from connector_graph.graph import build_graph
from connector_graph.model import Person, Tie
from connector_graph.store import Batch, open_store


def test_weight_and_label_survive_both_backends(store):
    store.bulk_load(Batch(people=[Person(id="a", name="Ana"), Person(id="b", name="Ben"), Person(id="c", name="Cy")],
                          ties=[Tie(source_id="a", target_id="b", weight=2.5, label="Investor"),
                                Tie(source_id="b", target_id="c")]))
    store.add_tie(Tie(source_id="a", target_id="c", kind="works_at", weight=0.25))
    ties = {t.id: t for t in store.list_ties()}
    got = sorted((t.source_id, t.target_id, t.weight, t.label) for t in ties.values())
    assert got == [("a", "b", 2.5, "Investor"), ("a", "c", 0.25, None), ("b", "c", 1.0, None)]
    G = build_graph(store)
    assert G["a"]["b"]["weight"] == 2.5 and G["a"]["c"]["weight"] == 0.25 and G["b"]["c"]["weight"] == 1


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_weight_must_be_a_positive_number(bad):
    with pytest.raises(ValueError):
        Tie(source_id="a", target_id="b", weight=bad)


def test_a_store_made_before_weights_gains_the_column(tmp_path):
    path = tmp_path / "old.db"
    store = open_store(f"sqlite:///{path}")
    store.bulk_load(Batch(people=[Person(id="a", name="Ana"), Person(id="b", name="Ben")],
                          ties=[Tie(source_id="a", target_id="b")]))
    store.close()
    conn = sqlite3.connect(path)  # make it look like a store written before ties had weights
    conn.execute("ALTER TABLE ties DROP COLUMN weight")
    conn.execute("UPDATE ties SET body = json_remove(body, '$.weight', '$.label')")
    conn.commit()
    conn.close()
    store = open_store(f"sqlite:///{path}")
    try:
        assert [t.weight for t in store.list_ties()] == [1.0]
        store.add_tie(Tie(source_id="a", target_id="b", weight=3))
        assert [t.weight for t in store.list_ties()] == [3.0]
    finally:
        store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT weight FROM ties").fetchall() == [(3.0,)]
    conn.close()

"""Copying a whole network between stores: SQLite to Neo4j and back gives identical content."""

from __future__ import annotations

import datetime as dt

import pytest

from connector_graph.errors import InvalidInput
from connector_graph.io import transfer
from connector_graph.seed import generate
from connector_graph.store import open_store

from io_support import contents, make_sqlite, network  # noqa: F401  (fixtures)


def _demo_like():
    batch = generate(400, seed=7, today=dt.date.today())
    extra = network()
    batch.people += extra.people
    batch.organisations += extra.organisations
    batch.ties += extra.ties
    batch.introductions += extra.introductions
    batch.wards += [w for w in extra.wards if w.name not in {x.name for x in batch.wards}]
    return batch


def test_copy_there_and_back_is_identical(any_store_url, make_sqlite):
    source = make_sqlite("source")
    source.bulk_load(_demo_like())
    middle = open_store(any_store_url)
    try:
        there = transfer.copy_store(source, middle)
        assert there.written and there.after == source.counts()
        assert contents(middle) == contents(source)
        back = make_sqlite("back")
        transfer.copy_store(middle, back)
        assert contents(back) == contents(source)
    finally:
        middle.close()


def test_copy_refuses_a_target_that_is_not_empty_unless_merging(make_sqlite):
    source, target = make_sqlite("source"), make_sqlite("target")
    source.bulk_load(network())
    target.bulk_load(network())
    with pytest.raises(InvalidInput, match="already holds .* --merge"):
        transfer.copy_store(source, target)
    report = transfer.copy_store(source, target, merge=True)
    assert report.written and contents(target) == contents(source)


def test_copy_dry_run_and_same_store(make_sqlite):
    source, target = make_sqlite("source"), make_sqlite("target")
    source.bulk_load(network())
    report = transfer.copy_store(source, target, dry_run=True)
    assert report.ok and not report.written and target.counts().people == 0
    with pytest.raises(InvalidInput, match="the same store"):
        transfer.copy_store(source, source)

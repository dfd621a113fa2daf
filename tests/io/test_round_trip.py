"""Every export format, imported into an empty store of either backend, gives back the same network.

The ties must come back with the same ends, direction, kind and weight (and,
where the format carries them, dates, source and label); the actors with
everything the format carries.
"""

from __future__ import annotations

import pytest

from connector_graph.io import transfer
from connector_graph.model import Tie

from io_support import contents, contents_by_source, make_sqlite, network  # noqa: F401  (fixtures)

#: export format -> file name
FORMATS = {
    "graphml": "n.graphml", "gexf": "n.gexf", "gml": "n.gml", "kumu": "n.xlsx", "kumu-json": "n.json",
    "json": "backup.json", "csv": "tables",
}
#: What a graph file carries of an actor (the rest of the record stays behind).
GRAPH_FIELDS = ("id", "name", "actor_type", "ward", "roles", "kind", "sector")


def weighted_network():
    """The shared test network with weights (whole and fractional) and a tool's own label on ties."""
    batch = network()
    weights = [1.0, 2.5, 3.0, 0.25, 1.0, 7.0]
    labels = [None, "Investor", None, None, "Board member", None]
    batch.ties = [
        Tie.model_validate({**t.model_dump(), "weight": w, "label": l}) for t, w, l in zip(batch.ties, weights, labels)
    ]
    return batch


def _actor_view(actor, fmt):
    if fmt in ("graphml", "gexf", "gml"):
        return tuple(getattr(actor, f, None) for f in GRAPH_FIELDS)
    return actor


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_into_an_empty_store_gives_the_same_ties_and_actors(fmt, store, make_sqlite, tmp_path):
    source = make_sqlite("source")
    source.bulk_load(weighted_network())
    path = transfer.export_file(source, tmp_path / FORMATS[fmt], fmt).paths[0]
    assert store.counts().people == 0  # the fixture starts empty
    report = transfer.import_file(store, path)  # the format is recognised from the content
    assert report.written, report.lines()
    want, got = contents(source), contents_by_source(store, source)  # the records were given ids of their own
    assert got["ties"] == want["ties"]  # ends, direction, kind, weight, dates, source, label
    assert sorted(t.weight for t in got["ties"]) == [0.25, 1.0, 1.0, 2.5, 3.0, 7.0]
    works_at = [(t.source_id, t.target_id) for t in got["ties"] if t.kind.value == "works_at"]
    assert works_at == [("con", "lib")]  # the person works at the library, not the other way round
    for kind in ("people", "organisations"):
        assert [_actor_view(a, fmt) for a in got[kind]] == [_actor_view(a, fmt) for a in want[kind]]
    held = contents(store)
    again = transfer.import_file(store, path)
    assert again.after == report.after
    assert contents(store) == held  # the same ids again: through the mapping
    assert all(s.added == 0 and s.changed == 0 for s in again.tables.values() if s.compared), again.lines()

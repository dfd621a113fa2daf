"""Pseudonymised exports: no names or ids of people, no free text, new pseudonyms each time."""

from __future__ import annotations

import json

from click.testing import CliRunner

from connector_graph.cli import main
from connector_graph.model import Introduction, Organisation, Person, Tie, build
from connector_graph.store import open_store


def _network(url: str) -> None:
    store = open_store(url)
    store.add_person(build(Person, id="p-ann", name="Ann Ahmed", consent_recorded_by="cath"))
    store.add_person(build(Person, id="p-cath", name="Cath Connector", roles=["connector"]))
    store.add_organisation(build(Organisation, id="o-club", name="Lunch Club", sector="voluntary_community"))
    store.add_tie(build(Tie, source_id="p-ann", target_id="p-cath"))
    store.add_introduction(build(Introduction, id="i-1", introducer_id="p-cath", subject_id="p-ann",
                                 target_id="o-club", outcome="Ann loved it"))
    store.close()


def _export(url: str, path, fmt: str) -> str:
    result = CliRunner().invoke(main, ["--store", url, "export", str(path), "--format", fmt, "--pseudonymise"])
    assert result.exit_code == 0, result.stderr
    return path.read_text(encoding="utf-8")


def test_pseudonymised_json_has_no_names_ids_or_free_text_and_differs_each_time(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    _network(url)
    first = _export(url, tmp_path / "a.json", "json")
    second = _export(url, tmp_path / "b.json", "json")
    for text in (first, second):
        for secret in ("Ann", "Cath", "p-ann", "p-cath", "i-1", "o-club", "loved"):
            assert secret not in text
        assert "Lunch Club" in text  # organisations are not personal data
    ids_first = {p["id"] for p in json.loads(first)["people"]}
    ids_second = {p["id"] for p in json.loads(second)["people"]}
    assert len(ids_first) == 2 and ids_first.isdisjoint(ids_second)


def test_pseudonymised_graphml_keeps_the_shape(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    _network(url)
    text = _export(url, tmp_path / "g.graphml", "graphml")
    assert "Ann" not in text and "p-ann" not in text and "Lunch Club" in text
    import networkx as nx

    G = nx.read_graphml(tmp_path / "g.graphml")
    assert (G.number_of_nodes(), G.number_of_edges()) == (3, 1)  # one edge per tie; introductions are not ties

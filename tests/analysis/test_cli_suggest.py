"""The ``suggest`` command: several people at once, names or ids, JSON as documented, one-line errors."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from connector_graph.model import Organisation, Person, Tie, build
from connector_graph.store import Batch, open_store

from .test_cli_analyse import cli  # noqa: F401  (the shared command-line fixture)


@pytest.fixture
def karate(cli):
    """Zachary's karate club (two connectors), plus two people of one name and one restricted person."""
    url = cli.url
    store = open_store(url)
    karate = nx.karate_club_graph()
    people = [build(Person, id=f"k{n}", name=f"Member {n}", roles=["connector"] if n in (0, 33) else ["resident"])
              for n in karate]
    people += [build(Person, id="twin1", name="Sam Twin"), build(Person, id="twin2", name="Sam Twin"),
               build(Person, id="gone", name="Gone Away", restricted=True)]
    ties = [build(Tie, source_id=f"k{u}", target_id=f"k{v}") for u, v in karate.edges()]
    store.bulk_load(Batch(people=people, organisations=[build(Organisation, id="club", name="Club", sector="faith")],
                          ties=ties))
    store.close()
    cli.karate = karate
    return cli


def test_json_for_several_people_by_id_and_name(karate):
    cli = karate
    data = json.loads(cli("suggest", "k5", "member 25", "--top", "3", "--json").stdout)
    assert list(data) == ["k5", "k25"]
    karate = cli.karate
    for person_id, found in data.items():
        source = int(person_id[1:])
        # Without wards or tags the ranking is resource allocation: check it against networkx.
        ra = sorted(((score, f"k{v}") for _u, v, score in nx.resource_allocation_index(
            karate, [(source, v) for v in nx.non_neighbors(karate, source)]) if score > 0),
            key=lambda item: (-item[0], item[1]))
        assert [s["id"] for s in found] == [key for _score, key in ra[:3]]
        assert [s["score"] for s in found] == pytest.approx([score for score, _key in ra[:3]], abs=1e-6)
        for s in found:
            assert set(s) == {"id", "name", "score", "reasons", "via"}
            assert s["name"] == f"Member {s['id'][1:]}" and s["reasons"]
            if s["via"] is not None:
                assert set(s["via"]) == {"id", "name"}
                assert s["via"]["id"] in {"k0", "k33"}


def test_readable_output(karate):
    cli = karate
    out = cli("suggest", "k5", "--top", "2").stdout.splitlines()
    assert out[0] == "k5:" and len(out) == 3 and out[1].startswith("   1. Member ")


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody"], "no person with id or name 'nobody'"),
        (["Sam Twin"], "'Sam Twin' names 2 people (twin1, twin2): give an id instead"),
        (["club"], "no person with id or name 'club'"),
        (["gone"], "'gone' is kept out of analysis"),
    ],
)
def test_bad_input_is_one_line(karate, args, message):
    cli = karate
    result = cli("suggest", *args, ok=False)
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_network_wide_list_is_the_pooled_list(karate):
    from connector_graph.analysis.person_suggestions import Suggester
    from connector_graph.graph import build_graph

    cli = karate
    data = json.loads(cli("suggest", "--network", "--top", "5", "--json").stdout)
    store = open_store(cli.url)
    try:
        G = build_graph(store)
        expected = Suggester(G, {a.id: a for a in store.iter_actors()}, store.iter_introductions()).across(top=5)
    finally:
        store.close()
    assert [(s["person"]["id"], s["to"]["id"]) for s in data] == [(s.a_id, s.b_id) for s in expected]
    assert len(data) == 5 and all(set(s) == {"person", "to", "score", "reasons", "via"} for s in data)
    assert [s["score"] for s in data] == sorted((s["score"] for s in data), reverse=True)
    for s in data:
        assert not cli.karate.has_edge(int(s["person"]["id"][1:]), int(s["to"]["id"][1:]))
        assert any(r.startswith("both know Member ") for r in s["reasons"])  # every karate link is a recorded tie
    lines = cli("suggest", "--network", "--top", "2").stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("  1. Member ")


@pytest.mark.parametrize("args", [[], ["k5", "--network"]])
def test_people_or_network_not_both_nor_neither(karate, args):
    result = karate("suggest", *args, ok=False)
    assert result.exit_code != 0 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "give one or more people, or --network" in lines[0]

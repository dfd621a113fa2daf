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

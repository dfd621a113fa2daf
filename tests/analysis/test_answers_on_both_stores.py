"""The managers' answers (``gaps``) on both backends, checked against a computation from the records alone.

The expected answers are worked out here from the fixture's own lists with
plain networkx and set arithmetic, never by calling the product's analysis.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from connector_graph.auth import acting_as
from connector_graph.model import Ward
from connector_graph.store import Batch
from connector_graph.views.answers import gap_answers

from .helpers import intro, org, person, tie

TODAY = dt.date.today()
LONG_AGO = TODAY - dt.timedelta(days=120)
LATELY = TODAY - dt.timedelta(days=10)

PEOPLE = [("con", "A", ["connector"]), ("ann", "A", ["resident"]), ("bob", "A", ["resident"]),
          ("cat", "B", ["resident"]), ("dan", "B", ["resident"]),
          ("eve", "C", ["resident"]), ("fay", "C", ["resident"]), ("gus", "C", ["resident"])]
ORGS = [("council", "A", "statutory"), ("gp", "B", "health"), ("club", "A", "voluntary_community"),
        ("mosque", "B", "faith"), ("shop", "C", "private")]
TIES = [("con", "ann", "knows"), ("con", "bob", "knows"), ("ann", "bob", "knows"), ("con", "club", "volunteers_at"),
        ("club", "council", "partners_with"), ("bob", "cat", "knows"), ("cat", "dan", "knows"),
        ("dan", "mosque", "member_of"), ("gus", "shop", "attends")]
#: (id, by, subject, to, date, status, outcome)
INTRODUCTIONS = [
    ("i1", "con", "eve", "club", LONG_AGO, "declined", None),        # not a link; went nowhere: declined
    ("i2", "con", "fay", "gp", LONG_AGO, "made", None),              # a link; went nowhere: no outcome after 120 days
    ("i3", "con", "ann", "mosque", LATELY, "made", None),            # a link; too recent to have gone nowhere
    ("i4", "con", "dan", "council", LONG_AGO, "followed_up", "joined the forum"),  # a link that went somewhere
    ("i5", "con", "gus", "club", LONG_AGO, "unknown", None),         # not a link; went nowhere: outcome unknown
    ("i6", "con", "bob", "gp", LATELY, "planned", None),             # not a link, not yet due
]


@pytest.fixture
def city(store):
    with acting_as("test", "admin"):
        store.add_wards([Ward(name=w, population=1000) for w in ("A", "B", "C")])
        store.bulk_load(Batch(
            people=[person(p, ward=w, roles=roles) for p, w, roles in PEOPLE],
            organisations=[org(o, ward=w, sector=s) for o, w, s in ORGS],
            ties=[tie(a, b, kind=k) for a, b, k in TIES],
            introductions=[intro(i, by, s, to, day=d, status=st, **({"outcome": out} if out else {}))
                           for i, by, s, to, d, st, out in INTRODUCTIONS],
        ))
    return store


def links_from_the_lists() -> nx.Graph:
    """Ties, and introductions that happened (made or followed up), each joining its three people."""
    G = nx.Graph()
    G.add_nodes_from([p for p, _w, _r in PEOPLE] + [o for o, _w, _s in ORGS])
    G.add_edges_from((a, b) for a, b, _k in TIES)
    for _i, by, subject, to, day, status, _o in INTRODUCTIONS:
        if status in ("made", "followed_up") and day <= TODAY:
            G.add_edges_from([(by, subject), (by, to), (subject, to)])
    return G


def cut_off_by_removing(G: nx.Graph, node: str) -> set[str]:
    """Everyone in the node's group who is not in the largest part left when it is removed."""
    group = nx.node_connected_component(G, node) - {node}
    parts = sorted(nx.connected_components(G.subgraph(group)), key=len, reverse=True)
    assert len(parts) < 2 or len(parts[0]) > len(parts[1]), "the fixture avoids ties for the largest part"
    return set().union(*parts[1:]) if len(parts) > 1 else set()


def test_single_points_of_failure_and_who_they_cut_off(city):
    with acting_as("test", "admin"):
        answers = gap_answers(city, today=TODAY, days=60)
    G = links_from_the_lists()
    expected = {n: cut_off_by_removing(G, n) for n in G}
    expected = {n: cut for n, cut in expected.items() if cut}
    assert expected, "the fixture has single points of failure"
    found = {p["id"]: set(p["cut_off_ids"]) for p in answers["single_points"]}
    assert found == expected
    counts = [len(p["cut_off_ids"]) for p in answers["single_points"]]
    assert counts == sorted(counts, reverse=True)  # most cut off first


def test_organisations_with_no_partner_across_the_line(city):
    with acting_as("test", "admin"):
        answers = gap_answers(city, today=TODAY)
    G = links_from_the_lists()
    sector = {o: s for o, _w, s in ORGS}
    public, community = {"statutory", "health"}, {"voluntary_community", "faith"}
    expected = {}
    for o, s in sector.items():
        other_side = (community if s in public else public if s in community else set()) & set(sector.values())
        missing = other_side - {sector.get(n) for n in G[o]}
        if missing:
            expected[o] = sorted(missing)
    assert {u["id"]: sorted(u["no_partner_in"]) for u in answers["unpartnered"]} == expected
    assert "shop" not in expected  # private organisations are not on either side of the line


def test_introductions_that_went_nowhere(city):
    with acting_as("test", "admin"):
        answers = gap_answers(city, today=TODAY, days=60)
    expected = {i for i, _by, _s, _t, day, status, outcome in INTRODUCTIONS
                if status in ("declined", "unknown")
                or (status != "followed_up" and not outcome and (TODAY - day).days >= 60)}
    assert {s["id"] for s in answers["went_nowhere"]} == expected == {"i1", "i2", "i5"}


def test_the_weakest_ward_is_the_one_with_fewest_links_per_resident(city):
    with acting_as("test", "admin"):
        answers = gap_answers(city, today=TODAY, weakest=3)
    G = links_from_the_lists()
    ward = {p: w for p, w, _r in PEOPLE} | {o: w for o, w, _s in ORGS}
    people = {p for p, _w, _r in PEOPLE}
    isolated_share = {w: sum(1 for p in people if ward[p] == w and G.degree(p) == 0)
                      / sum(1 for p in people if ward[p] == w) for w in "ABC"}
    weakest = answers["weakest_wards"][0]
    assert weakest["rank"] == 1
    assert weakest["ward"] == max(isolated_share, key=isolated_share.get) == "C"  # eve has no link at all
    assert weakest["isolated_share"] == pytest.approx(isolated_share["C"], abs=0.001)  # given to 3 places

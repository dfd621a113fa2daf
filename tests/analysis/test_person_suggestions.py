"""Per-person suggestions: true and specific reasons, exclusions, and the structure part checked against networkx."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from connector_graph.analysis.person_suggestions import Suggester
from connector_graph.analysis.suggestions import suggest_for_person
from connector_graph.graph import build_graph
from connector_graph.store import Batch

from .helpers import intro, load_graph, node_id, org, person, tie


@pytest.fixture
def armley(store):
    store.bulk_load(
        Batch(
            people=[
                person("ana", "Ana Silva", ward="Armley", gifts=["knitting"]),
                person("jean", "Jean Cole", ward="Armley", needs=["knitting lessons"], interests=["singing"]),
                person("liam", "Liam Green", ward="Armley", roles=["connector"]),
                person("bea", "Bea Lamb", ward="Armley"),
                person("dan", "Dan Hope", ward="Armley", gifts=["knitting"]),
                person("wil", "Wil Stone", ward="Armley", gifts=["knitting"], consent_withdrawn_on=dt.date(2025, 1, 1)),
                person("rex", "Rex Moor", ward="Armley", gifts=["knitting"], restricted=True),
            ],
            organisations=[
                org("club", "Armley Lunch Club", ward="Armley", offers=["lunch club"]),
                org("choir", "Armley Choir", ward="Armley", offers=["singing"]),
            ],
            ties=[
                tie("ana", "club", kind="attends"),
                tie("jean", "club", kind="attends"),
                tie("liam", "ana"),
                tie("liam", "jean"),
                tie("bea", "jean"),
                tie("dan", "club", kind="attends"),
                tie("wil", "club", kind="attends"),
                tie("rex", "club", kind="attends"),
            ],
            introductions=[intro("i1", "liam", "jean", "dan", status="declined")],
        )
    )
    return store


def test_reasons_are_true_and_specific(armley):
    G = build_graph(armley)
    actors = {a.id: a for a in armley.iter_actors()}
    found = suggest_for_person(G, actors, "jean", introductions=armley.list_introductions())
    ana = next(s for s in found if s.target_id == "ana")
    assert found[0].target_id == "ana"
    assert ana.introducer_id == "liam" and ana.introducer_name == "Liam Green"
    assert ana.reasons == [
        "both go to Armley Lunch Club",
        "both know Liam Green",
        "Ana Silva offers knitting; Jean Cole is looking for knitting lessons",
        "both in Armley",
        "Liam Green knows both",
    ]
    choir = next(s for s in found if s.target_id == "choir")
    assert "Armley Choir offers singing; Jean Cole is interested in singing" in choir.reasons
    assert choir.matched == ["singing"]


def test_exclusions(armley):
    G = build_graph(armley)
    actors = {a.id: a for a in armley.iter_actors()}
    ids = {s.target_id for s in suggest_for_person(G, actors, "jean", top=50, introductions=armley.list_introductions())}
    assert "wil" not in ids and "rex" not in ids  # consent withdrawn, restricted
    assert "dan" not in ids  # introduced to Jean and declined
    assert not {"bea", "liam", "club", "jean"} & ids  # already linked, or herself
    # Without the introduction history the declined pair is not known, and Dan is a fair suggestion.
    assert "dan" in {s.target_id for s in suggest_for_person(G, actors, "jean", top=50)}
    assert all(s.target_type == "organisation" for s in suggest_for_person(G, actors, "jean", include_people=False))
    with pytest.raises(ValueError):
        suggest_for_person(G, actors, "club")
    with pytest.raises(ValueError):
        suggest_for_person(G, actors, "wil")


def test_structure_is_resource_allocation_on_a_tagless_network(store):
    karate = nx.karate_club_graph()
    load_graph(store, karate, ward=None)
    G = build_graph(store)
    suggester = Suggester(G, {a.id: a for a in store.iter_actors()})
    for source in (0, 5, 33):
        expected = {
            node_id(v): score
            for _u, v, score in nx.resource_allocation_index(karate, [(source, v) for v in nx.non_neighbors(karate, source)])
            if score > 0
        }
        found = suggester.for_person(node_id(source), top=len(karate), explain=False)
        assert {s.target_id: s.score for s in found} == pytest.approx(expected, abs=1e-6)
        assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


@pytest.mark.parametrize("status, linked", [("planned", False), ("declined", False), ("made", True)])
def test_introduction_links_count_by_how_they_went(store, status, linked):
    store.bulk_load(
        Batch(
            people=[person("ann"), person("bob"), person("cat", roles=["connector"])],
            introductions=[intro("i1", "cat", "ann", "bob", status=status)],
        )
    )
    G = build_graph(store)
    found = Suggester(G, {a.id: a for a in store.iter_actors()}, store.list_introductions()).for_person("ann")
    if linked:  # the introduction happened: Ann and Bob are linked, nothing left to suggest
        assert found == []
        return
    # declined: the pair is never suggested again; planned: nothing has happened yet, so nobody is linked
    # (analysis/links.py) and there is no structure to suggest through
    assert found == []


# ------------------------------------------------------------------ the network-wide list


def test_network_wide_list_pools_every_persons_suggestions(armley):
    G = build_graph(armley)
    suggester = Suggester(G, {a.id: a for a in armley.iter_actors()}, armley.list_introductions())
    listed = suggester.across(top=50)
    people = sorted(n for n, kind in G.nodes(data="actor_type") if kind == "person")
    per_person = {p: {s.target_id: s for s in suggester.for_person(p, top=50)} for p in people}
    pairs = [frozenset((s.a_id, s.b_id)) for s in listed]
    assert len(pairs) == len(set(pairs))  # each pair once, from one end
    assert [s.score for s in listed] == sorted((s.score for s in listed), reverse=True)
    for s in listed:
        own = per_person[s.a_id][s.b_id]  # the end that lists it suggests it, with the same reasons
        assert (s.reasons, s.introducer_id) == (own.reasons, own.introducer_id)
        # Its rank: the person's score plus 0.03 x the share of the person's contacts the candidate knows.
        share = len(set(G[s.a_id]) & set(G[s.b_id])) / G.degree(s.a_id)
        assert s.score == pytest.approx(own.score + 0.03 * share, abs=1e-6)
        assert not G.has_edge(s.a_id, s.b_id)
        other = per_person.get(s.b_id, {}).get(s.a_id)
        if other is not None:  # listed from the end that ranks it higher
            assert other.score + 0.03 * len(set(G[s.a_id]) & set(G[s.b_id])) / G.degree(s.b_id) <= s.score + 1e-6
    assert not {"wil", "rex"} & {x for p in pairs for x in p}  # out of analysis
    assert frozenset(("jean", "dan")) not in pairs  # declined
    # Every suggestion left out of a short list scores no more than the last one in it.
    short = suggester.across(top=3)
    assert [(s.a_id, s.b_id) for s in short] == [(s.a_id, s.b_id) for s in listed[:3]]
    kept = {frozenset((s.a_id, s.b_id)) for s in short}

    def ranked(p, s):
        return s.score + 0.03 * len(set(G[p]) & set(G[s.target_id])) / G.degree(p)

    assert all(ranked(p, s) <= short[-1].score + 1e-6 for p in people for s in per_person[p].values()
               if frozenset((p, s.target_id)) not in kept)
    ana = next(s for s in listed if {s.a_id, s.b_id} == {"ana", "jean"})
    assert "both go to Armley Lunch Club" in ana.reasons and "Liam Green knows both" in ana.reasons


def test_both_know_counts_recorded_ties_only(store):
    # Cath introduced Ann to Eve and Bob to Fay: she is linked with Ann and Bob through introductions only.
    # Dan has a recorded tie with both.
    store.bulk_load(
        Batch(
            people=[person("ann", "Ann Ahmed"), person("bob", "Bob Brown"), person("cat", "Cath Cole", roles=["connector"]),
                    person("dan", "Dan Dale"), person("eve", "Eve Evans"), person("fay", "Fay Fox")],
            ties=[tie("ann", "dan"), tie("bob", "dan")],
            introductions=[intro("i1", "cat", "ann", "eve", status="made"), intro("i2", "cat", "bob", "fay", status="made")],
        )
    )
    G = build_graph(store)
    suggester = Suggester(G, {a.id: a for a in store.iter_actors()}, store.list_introductions())
    found = next(s for s in suggester.for_person("ann", top=20) if s.target_id == "bob")
    assert "both know Dan Dale" in found.reasons
    assert not any("Cath" in r for r in found.reasons if r.startswith("both know"))
    assert ("both are linked with Cath Cole (at least one of them only through a logged introduction)"
            in found.reasons)
    assert found.introducer_id == "cat"  # the connector linked with both
    assert "Cath Cole knows both" not in found.reasons
    assert "Cath Cole is linked with both (through logged introductions) and could make the introduction" in found.reasons
    pair = next(s for s in suggester.across(top=20) if {s.a_id, s.b_id} == {"ann", "bob"})
    assert pair.reasons == found.reasons


def test_a_short_list_is_the_head_of_the_full_ranking(store):
    # Only the best-standing ward-mates with nothing else in common are scored for a short list;
    # that must never change which suggestions it holds.
    from connector_graph.seed import generate

    store.bulk_load(generate(400, seed=3, today=dt.date(2026, 1, 1)))
    G = build_graph(store)
    suggester = Suggester(G, {a.id: a for a in store.iter_actors()}, store.list_introductions())
    people = sorted(str(n) for n, kind in G.nodes(data="actor_type") if kind == "person")[:80]
    for p in people:
        everyone = [(s.target_id, s.score) for s in suggester.for_person(p, top=len(G), explain=False)]
        for top in (1, 5, 20):
            assert [(s.target_id, s.score) for s in suggester.for_person(p, top=top, explain=False)] == everyone[:top]

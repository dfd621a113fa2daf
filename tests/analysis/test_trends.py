"""Trends: introductions per month, growth, and comparing two dates through a store."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from connector_graph.analysis.trends import compare, growth, introductions_by_month
from connector_graph.graph import build_graph
from connector_graph.store import Batch

from .helpers import intro, org, person, tie

JAN, FEB, MAR = dt.date(2025, 1, 15), dt.date(2025, 2, 15), dt.date(2025, 3, 15)


@pytest.fixture
def history(store):
    store.bulk_load(
        Batch(
            people=[
                person("con", "Cath", roles=["connector"], ward="Armley"),
                person("ann", "Ann", ward="Armley"),
                person("bob", "Bob", ward="Bramley"),
                person("cyd", "Cyd", ward="Bramley"),
            ],
            organisations=[org("lib", "Library", sector="statutory"), org("gar", "Garden Club")],
            ties=[
                tie("con", "ann", since=JAN),
                tie("ann", "bob", since=JAN),
                tie("con", "lib", kind="works_at"),
                tie("lib", "gar", kind="partners_with", since=MAR),
                tie("bob", "cyd", since=MAR),
            ],
            introductions=[
                intro("i1", "con", "ann", "gar", day=JAN, purposes=["gardening"], outcome="joined"),
                intro("i2", "con", "bob", "lib", day=FEB, purposes=["reading", "company"], status="planned"),
                intro("i3", "ann", "cyd", "gar", day=FEB, purposes=["gardening"], status="made"),
            ],
        )
    )
    return store


def rows(found):
    return [(m.month, m.group, m.count) for m in found]


def test_introductions_per_month_by_each_grouping(history):
    intros = list(history.iter_introductions())
    names = {a.id: a.name for a in history.iter_actors()}
    wards = {a.id: a.ward for a in history.iter_actors()}
    assert rows(introductions_by_month(intros, "connector", names=names)) == [
        ("2025-01", "Cath", 1), ("2025-02", "Ann", 1), ("2025-02", "Cath", 1)
    ]
    assert rows(introductions_by_month(intros, "ward", wards=wards)) == [
        ("2025-01", "Armley", 1), ("2025-02", "Bramley", 2)
    ]
    assert rows(introductions_by_month(intros, "purpose")) == [
        ("2025-01", "gardening", 1), ("2025-02", "company", 1), ("2025-02", "gardening", 1), ("2025-02", "reading", 1)
    ]
    assert rows(introductions_by_month(intros, "status")) == [("2025-01", "made", 1), ("2025-02", "made", 1), ("2025-02", "planned", 1)]
    assert rows(introductions_by_month(intros, "outcome")) == [("2025-01", "recorded", 1), ("2025-02", "none yet", 2)]
    assert introductions_by_month([], "purpose") == []
    with pytest.raises(ValueError):
        introductions_by_month(intros, "colour")
    with pytest.raises(ValueError):
        introductions_by_month(intros, "ward")


def test_growth_counts_and_running_totals(history):
    points = growth(history.iter_ties(), history.iter_introductions())
    assert [(p.month, p.new_ties, p.new_introductions, p.total_ties, p.total_introductions) for p in points] == [
        ("2025-01", 2, 1, 3, 1),  # the undated tie counts from the start
        ("2025-02", 0, 2, 3, 3),
        ("2025-03", 2, 0, 5, 3),
    ]
    assert growth([], []) == []


def test_comparing_two_dates_in_plain_language(history):
    before = build_graph(history, as_of=JAN)
    after = build_graph(history, as_of=MAR)
    result = compare(before, after)
    assert result.before == {"actors": 6, "links": 5, "isolated": 1, "parts": 2}
    assert result.after == {"actors": 6, "links": 9, "isolated": 0, "parts": 1}  # i2 is only planned: no link
    assert result.no_longer_isolated == ["cyd"] and result.new_isolated == []
    assert result.new_sector_links == [("statutory", "voluntary_community")]
    assert "New link between the statutory and voluntary community sectors." in result.sentences
    assert result.sentences[0] == "The network grew from 5 to 9 links between the same 6 people and organisations."
    assert "Cyd" in " ".join(result.sentences)


def test_comparing_lost_cut_points_and_new_isolation():
    before = nx.Graph([("a", "b"), ("b", "c")])
    after = nx.Graph([("a", "b"), ("b", "c"), ("a", "c")])
    after.add_node("d")
    result = compare(before, after)
    assert result.lost_cut_points == ["b"] and result.new_isolated == ["d"]
    assert any("no longer holds the only link" in s for s in result.sentences)
    gone = compare(before, nx.Graph([("a", "c")]))
    assert gone.lost_cut_points == ["b"] and any("left the network" in s for s in gone.sentences)
    assert gone.lost_bridges == [("a", "b"), ("b", "c")]
    assert "2 links that were the only connection between two parts of the network are gone: a and b; b and c." in gone.sentences
    assert result.lost_bridges == []  # a-b and b-c are still there, just no longer the only way
    assert compare(nx.Graph(), nx.Graph()).sentences == ["The network did not change size: 0 people and organisations and 0 links."]

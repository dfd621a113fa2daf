"""Small helpers shared by the analysis tests: loading a networkx graph into a store."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from connector_graph.model import Introduction, Organisation, Person, Tie, build
from connector_graph.store import Batch

DAY = dt.date(2025, 6, 1)


def node_id(node) -> str:
    """A store id for a networkx node (ids may not contain spaces)."""
    return str(node).replace(" ", "_")


def batch_from_graph(G: nx.Graph, *, connectors=(), ward: str | None = "Armley") -> Batch:
    """Every node a person, every edge a 'knows' tie."""
    people = [
        build(Person, id=node_id(n), name=str(n), ward=ward, roles=["connector"] if n in connectors else ["resident"])
        for n in G
    ]
    ties = [build(Tie, source_id=node_id(u), target_id=node_id(v), since=DAY) for u, v in G.edges()]
    return Batch(people=people, ties=ties)


def load_graph(store, G: nx.Graph, **kw) -> None:
    store.bulk_load(batch_from_graph(G, **kw))


def person(pid: str, name: str | None = None, **kw) -> Person:
    return build(Person, id=pid, name=name or pid.title(), **kw)


def org(oid: str, name: str | None = None, sector: str = "voluntary_community", **kw) -> Organisation:
    return build(Organisation, id=oid, name=name or oid.title(), sector=sector, **kw)


def tie(a: str, b: str, **kw) -> Tie:
    return build(Tie, source_id=a, target_id=b, **kw)


def intro(iid: str, by: str, subject: str, to: str, day: dt.date = DAY, **kw) -> Introduction:
    return build(Introduction, id=iid, introducer_id=by, subject_id=subject, target_id=to, date=day, **kw)

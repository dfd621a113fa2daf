"""The analysis graph: a networkx projection of any store.

Actors (people and organisations) become nodes; ties and introductions
become weighted, undirected edges. The projection streams the store once
(``iter_actors``, ``iter_ties``, ``iter_introductions``), so it costs memory
for the graph only, never for a copy of the store's records.

Node attributes
    ``name``, ``actor_type`` (``"person"`` or ``"organisation"``), ``ward``
    (``None`` when unknown), ``sector`` and ``kind`` (organisations; ``None``
    for people), ``roles`` (people; empty for organisations) and
    ``introductions_made`` (how many introductions this actor made in the
    projected window).

Edge attributes
    ``weight``: the sum of the weights of the ties along the edge (1 each
    unless a tie says otherwise) plus one per introduction;
    ``kinds``: the sorted tie kinds between the two actors (empty when the
    edge comes from introductions only); ``introductions``: how many
    introductions contributed to the edge.

An introduction dated on or before the ``as_of`` date (default: today)
links the introducer with the person introduced and with the target; the
person introduced and the target are linked, and the introduction counts in
``introductions_made``, only if it had happened by then (status ``made`` or
``followed_up`` as it stood on that date). Planned introductions dated later
add nothing. Which facts count as of a date is decided in
:mod:`connector_graph.analysis.asof`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Collection, Hashable

import networkx as nx

from .analysis import asof
from .caching import LruCache
from .model import TieKind
from .store.base import Store

__all__ = ["build_graph", "graph_for_analysis", "clear_graph_cache", "projection_key"]


def build_graph(
    store: Store,
    *,
    as_of: dt.date | None = None,
    wards: Collection[str] | None = None,
    include_organisations: bool = True,
    tie_kinds: Collection[TieKind | str] | None = None,
) -> nx.Graph:
    """Project the store onto an undirected, weighted networkx graph.

    Parameters
    ----------
    store
        Any :class:`~connector_graph.store.base.Store`.
    as_of
        The network as it stood on this date: ties that began later and
        introductions dated later are left out, and introductions count
        with the status they had then (see :mod:`connector_graph.analysis.asof`).
    wards
        Keep only actors in these wards (actors with no ward are left out).
    include_organisations
        When false, people only: organisations and their edges are left out.

    People whose consent was withdrawn, or whose record is restricted, are
    never in the graph (nor, so, in any analysis or graph export).
    tie_kinds
        Keep only ties of these kinds; introductions are always kept.

    Returns
    -------
    networkx.Graph
        Nodes are actor ids, added in id order (so every result derived
        from the graph is repeatable); see the module notes for attributes.

    Examples
    --------
    >>> import os, tempfile
    >>> from connector_graph.store import open_store
    >>> from connector_graph.model import Person, Tie
    >>> store = open_store("sqlite:///" + os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> store.add_person(Person(id="ana", name="Ana"))
    >>> store.add_person(Person(id="ben", name="Ben", roles=["connector"]))
    >>> store.add_tie(Tie(source_id="ana", target_id="ben"))
    >>> G = build_graph(store)
    >>> sorted(G.nodes), G["ana"]["ben"]["weight"], G.nodes["ben"]["roles"]
    (['ana', 'ben'], 1, ['connector'])
    >>> store.close()
    """
    ward_set = None if wards is None else {str(w) for w in wards}
    kind_set = None if tie_kinds is None else {TieKind(k) for k in tie_kinds}
    nodes: list[tuple[str, dict[str, Any]]] = []
    for actor in store.iter_actors():
        if ward_set is not None and actor.ward not in ward_set:
            continue
        is_org = actor.actor_type == "organisation"
        if is_org and not include_organisations:
            continue
        if not is_org and not actor.in_analysis:  # consent withdrawn or processing restricted
            continue
        nodes.append(
            (
                actor.id,
                dict(
                    name=actor.name,
                    actor_type=actor.actor_type,
                    ward=actor.ward,
                    sector=actor.sector.value if is_org else None,
                    kind=actor.kind.value if is_org else None,
                    roles=[] if is_org else [role.value for role in actor.roles],
                    introductions_made=0,
                ),
            )
        )
    # Nodes in id order, whatever order a backend streams them in, so every
    # result derived from the graph is repeatable.
    nodes.sort(key=lambda item: item[0])
    G = nx.Graph()
    G.add_nodes_from(nodes)
    for tie in store.iter_ties():
        if kind_set is not None and tie.kind not in kind_set:
            continue
        if not asof.tie_counts(tie, as_of):
            continue
        if tie.source_id in G and tie.target_id in G:
            _add(G, tie.source_id, tie.target_id, kind=tie.kind.value, amount=tie.weight)
    history = store.introduction_history() if as_of is not None else {}
    for intro in asof.introductions_as_of(store.iter_introductions(), as_of or dt.date.today(), history):
        by = intro.introducer_id
        if by in G:
            G.nodes[by]["introductions_made"] += asof.happened(intro)
            for other in (intro.subject_id, intro.target_id):
                if other in G:
                    _add(G, by, other, introduction=True)
        if asof.happened(intro) and intro.subject_id in G and intro.target_id in G:
            _add(G, intro.subject_id, intro.target_id, introduction=True)
    for _u, _v, data in G.edges(data=True):
        data["kinds"] = sorted(data["kinds"])
    return G


def _add(
    G: nx.Graph, u: Hashable, v: Hashable, *, kind: str | None = None, introduction: bool = False, amount: float = 1
) -> None:
    data = G.get_edge_data(u, v)
    if data is None:
        G.add_edge(u, v, weight=0, kinds=set(), introductions=0)
        data = G[u][v]
    data["weight"] += amount
    if kind is not None:
        data["kinds"].add(kind)
    if introduction:
        data["introductions"] += 1


# ----------------------------------------------------------------- caching

_CACHE = LruCache(4)


def projection_key(
    store: Store,
    *,
    as_of: dt.date | None = None,
    wards: Collection[str] | None = None,
    include_organisations: bool = True,
    tie_kinds: Collection[TieKind | str] | None = None,
) -> tuple:
    """The cache key of a projection: store URL, graph version and options.

    Examples
    --------
    >>> class S:
    ...     url = "sqlite:///x.db"
    ...     def graph_version(self): return 7
    >>> projection_key(S(), wards=["B", "A"])
    ('sqlite:///x.db', 7, None, ('A', 'B'), True, None)
    """
    return (
        store.url,
        store.graph_version(),
        as_of,
        None if wards is None else tuple(sorted({str(w) for w in wards})),
        bool(include_organisations),
        None if tie_kinds is None else tuple(sorted({TieKind(k).value for k in tie_kinds})),
    )


def graph_for_analysis(
    store: Store,
    *,
    as_of: dt.date | None = None,
    wards: Collection[str] | None = None,
    include_organisations: bool = True,
    tie_kinds: Collection[TieKind | str] | None = None,
) -> nx.Graph:
    """Like :func:`build_graph`, but reuse the graph while the store is unchanged.

    The last few projections are kept, keyed by :func:`projection_key`; any
    write to the store moves its graph version on, so a stale graph is never
    returned. The graph is shared: treat it as read-only (every analysis
    function does).

    Examples
    --------
    >>> import os, tempfile
    >>> from connector_graph.store import open_store
    >>> store = open_store("sqlite:///" + os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> graph_for_analysis(store) is graph_for_analysis(store)
    True
    >>> store.close()
    """
    options = dict(as_of=as_of, wards=wards, include_organisations=include_organisations, tie_kinds=tie_kinds)
    return _CACHE.get_or_make(projection_key(store, **options), lambda: build_graph(store, **options))


def clear_graph_cache() -> None:
    """Forget every cached projection (e.g. after an erasure)."""
    _CACHE.clear()

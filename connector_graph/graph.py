"""The analysis graph: a networkx projection of any store.

Actors (people and organisations) become nodes; ties and introductions
become weighted, undirected edges. The graph is built from the columnar
projection (:mod:`connector_graph.analysis.projection`: one query per table,
no model objects, cached on disk by graph version).

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

Edges follow the one definition of a link (:mod:`connector_graph.analysis.links`):
an introduction dated on or before the ``as_of`` date (default: today) that
had happened by then (status ``made`` or ``followed_up`` as it stood on that
date) links the introducer with the person introduced and with the target,
links those two, and counts in ``introductions_made``. Planned, declined and
unknown introductions, and introductions dated later, add nothing. Which facts count as of a date is decided in
:mod:`connector_graph.analysis.asof`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Collection

from .caching import LruCache
from .model import TieKind
from .store.base import Store

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["build_graph", "graph_for_analysis", "clear_graph_cache", "projection_key"]


def build_graph(
    store: Store,
    *,
    as_of: dt.date | None = None,
    wards: Collection[str] | None = None,
    include_organisations: bool = True,
    tie_kinds: Collection[TieKind | str] | None = None,
    use_cache: bool = True,
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
    use_cache
        Take the store's arrays from the projection cache file when it is
        current (see :mod:`connector_graph.analysis.projection`); false
        reads the store again.

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
    from .analysis.projection import load_projection, select, to_networkx

    projection = load_projection(store, use_cache=use_cache)
    history = store.introduction_history() if as_of is not None else None
    kinds = None if tie_kinds is None else [TieKind(k).value for k in tie_kinds]
    return to_networkx(
        select(projection, as_of=as_of, wards=wards, include_organisations=include_organisations, tie_kinds=kinds,
               history=history)
    )


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

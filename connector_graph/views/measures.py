"""Every actor's measures and community, computed once per graph version.

The explorer sizes and colours nodes with these, and profiles describe a
person's place in the network in words. Results are cached by the store's
graph version (and as-of date) and forgotten after an erasure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping

import networkx as nx

from ..analysis.centrality import MetricTable, compute_metrics
from ..analysis.communities import Partition, detect_communities
from ..analysis.shared import Latest, latest
from ..caching import LruCache
from ..graph import graph_for_analysis, projection_key
from ..store.base import Store
from .naming import actor_tags, community_names

__all__ = ["NetworkMeasures", "network_measures", "shared_measures", "describe"]


def _derived() -> LruCache:
    return LruCache(4, register=False)


@dataclass(frozen=True)
class NetworkMeasures:
    """The analysis graph with its measures, percentiles and communities (and their names, when known)."""

    graph: nx.Graph
    metrics: MetricTable
    partition: Partition
    community_labels: Mapping[int, str] = field(default_factory=dict)
    #: A few results derived from these measures (explorer views), kept with them: they live exactly as long
    #: as the measures do, so when the shared result moves on or an erasure drops it, they go too.
    derived: LruCache = field(default_factory=_derived, compare=False, repr=False)


_CACHE = LruCache(4)


def _compute(G: nx.Graph, tags: Mapping[str, Iterable[str]] | None = None) -> NetworkMeasures:
    partition = detect_communities(G)
    labels = community_names(G, partition.membership, tags) if tags is not None else {}
    return NetworkMeasures(G, compute_metrics(G), partition, labels)


def network_measures(store: Store, *, as_of: dt.date | None = None) -> NetworkMeasures:
    """The measures of the network in ``store`` (as it stood on ``as_of``), with named communities, cached."""
    G = graph_for_analysis(store, as_of=as_of)
    return _CACHE.get_or_make(projection_key(store, as_of=as_of), lambda: _compute(G, actor_tags(store)))


def shared_measures(store: Store, *, as_of: dt.date | None = None) -> Latest[NetworkMeasures]:
    """:func:`network_measures`, shared by every user: the last complete one at once, refreshed in the background."""
    result = latest(store, "measures", lambda: network_measures(store, as_of=as_of), options=(as_of,))
    assert result is not None  # waited for
    return result


def _share(values: Mapping[Hashable, float | None], actor_id: Hashable) -> str:
    mine = values.get(actor_id) or 0.0
    above = sum(1 for value in values.values() if (value or 0.0) > mine)
    top = (above + 1) / max(1, len(values))
    if top <= 0.25:
        return f"in the top {max(1, round(top * 100))}% of the network"
    if top <= 0.5:
        return "in the upper half of the network"
    return "in the lower half of the network"


def describe(measures: NetworkMeasures, actor_id: str, tags: Mapping[str, Iterable[str]] | None = None) -> list[str]:
    """The actor's place in the network in plain sentences (empty when not in the analysis).

    Examples
    --------
    >>> G = nx.star_graph(["hub", "a", "b", "c"])
    >>> for n in G: G.nodes[n].update(name=n, actor_type="person", introductions_made=0)
    >>> m = _compute(G)
    >>> describe(m, "hub")[0]
    'Reach: directly linked to 3 people or organisations; in the top 25% of the network.'
    """
    G = measures.graph
    if actor_id not in G:
        return []
    values = measures.metrics.values
    links = G.degree(actor_id)
    between = measures.metrics.values["betweenness"].get(actor_id, 0.0)
    lines = [
        f"Reach: directly linked to {links} people or organisation{'s' if links != 1 else ''}; {_share(values['degree'], actor_id)}.",
        "Bridging: " + ("not on anyone else's shortest route between two others." if between == 0 else
                        f"links people who would otherwise be further apart; {_share(values['betweenness'], actor_id)}."),
        f"Influence: {_share(values['pagerank'], actor_id)} for being linked to well-linked people.",
    ]
    community = measures.partition.membership.get(actor_id)
    if community is not None:
        reached = {measures.partition.membership.get(n) for n in G[actor_id]} - {community, None}
        labels = measures.community_labels if tags is None and measures.community_labels else \
            community_names(G, measures.partition.membership, tags or {})
        name = labels.get(community, "")
        lines.append(
            f"Community: {name}"
            + (f"; also linked into {len(reached)} other communit{'ies' if len(reached) != 1 else 'y'}." if reached else ".")
        )
    return lines

"""Communities: groups of actors more linked to each other than to the rest.

One algorithm at every size: Leiden (Traag, Waltman & van Eck 2019) with the
modularity objective on the weighted graph, through python-igraph, with a
fixed seed, run until an iteration no longer improves it. The input is made
canonical first (actors with links, in id order; links in id order), so the
same network always gives the same groups whichever engine computes the
other measures, and adding an actor with no links changes no one's group
(actors without links are each their own community). A previous partition
can be given to start from, so groups carry over as a network grows.
Communities are numbered from 1, largest first (ties broken by their
smallest member id).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Mapping

import networkx as nx
import numpy as np

from . import engine as engines

__all__ = ["Community", "Partition", "BridgingActor", "detect_communities", "bridging_actors"]


@dataclass(frozen=True)
class Community:
    """One community: its number, members (sorted) and what characterises it."""

    number: int
    members: list[str]
    size: int
    main_ward: str | None
    internal_ties: int


@dataclass(frozen=True)
class Partition:
    """Every community, modularity (-0.5..1, higher = clearer groups) and the engine used."""

    communities: list[Community]
    modularity: float
    engine: str
    seed: int
    membership: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BridgingActor:
    """An actor with links into communities other than their own."""

    id: str
    name: str
    community: int
    links_to: dict[int, int]
    communities_reached: int


def detect_communities(
    G: nx.Graph,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    engine: str = "auto",
    previous: Mapping[str, int] | None = None,
) -> Partition:
    """Leiden communities of ``G`` (weighted by ``weight``), seeded and repeatable.

    ``engine`` is accepted for symmetry with the other measures but does
    not change the result: communities are always Leiden through igraph.
    ``previous`` (actor id to community number, e.g. an earlier
    ``Partition.membership``) is the starting point for the actors it names.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> part = detect_communities(G)
    >>> [c.members for c in part.communities], round(part.modularity, 3), part.engine
    ([['a', 'b', 'c'], ['x', 'y', 'z']], 0.357, 'leiden')
    """
    if G.number_of_nodes() == 0:
        return Partition([], 0.0, "leiden", seed)
    by_str = {str(node): node for node in G}
    linked = sorted(str(node) for node in G if G.degree(node) > 0)
    groups = [{node} for node in G if G.degree(node) == 0]
    if linked:
        groups += _leiden(G, linked, by_str, seed=seed, resolution=resolution, previous=previous)
    ordered = sorted((sorted(map(str, group)) for group in groups), key=lambda members: (-len(members), members[0]))
    membership = {member: number for number, members in enumerate(ordered, start=1) for member in members}
    nodes, u, v, w = engines.edge_arrays(G)
    label = np.array([membership[str(node)] for node in nodes], dtype=np.int64)
    size = len(ordered) + 1
    lu, lv = label[u], label[v]
    same = lu == lv
    internal = np.bincount(lu[same], minlength=size)
    inside_weight = np.bincount(lu[same], weights=w[same], minlength=size)
    strength = np.bincount(lu, weights=w, minlength=size) + np.bincount(lv, weights=w, minlength=size)
    total = float(w.sum())
    ward = dict(G.nodes(data="ward"))
    communities = []
    for number, members in enumerate(ordered, start=1):
        wards = Counter(ward[by_str[m]] for m in members)
        wards.pop(None, None)
        main_ward = min(wards, key=lambda w: (-wards[w], w)) if wards else None
        communities.append(Community(number, members, len(members), main_ward, int(internal[number])))
    # Newman's modularity with weights (networkx's formula at resolution 1).
    modularity = float(np.sum(inside_weight[1:] / total - (strength[1:] / (2 * total)) ** 2)) if total else 0.0
    return Partition(communities, float(modularity), "leiden", seed, membership)


def _leiden(
    G: nx.Graph,
    linked: list[str],
    by_str: Mapping[str, Hashable],
    *,
    seed: int,
    resolution: float,
    previous: Mapping[str, int] | None,
) -> list[set[Hashable]]:
    """Leiden on the actors with links, in a canonical order (ids sorted, links sorted)."""
    import igraph as ig

    index = {key: i for i, key in enumerate(linked)}
    # The links as (lower, higher, weight) in linked-id order, sorted, without self-loops: in numpy.
    nodes, u, v, w = engines.edge_arrays(G)
    place = np.array([index.get(str(node), -1) for node in nodes], dtype=np.int64)
    a, b = place[u], place[v]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    real = u != v
    lo, hi, w = lo[real], hi[real], np.asarray(w, dtype=float)[real]
    order = np.lexsort((w, hi, lo))
    g = ig.Graph(n=len(linked), edges=np.column_stack([lo[order], hi[order]]).tolist(), directed=False)
    weights = w[order].tolist()
    start = None
    if previous:
        labels = [previous.get(key, ("new", i)) for i, key in enumerate(linked)]
        compact: dict[object, int] = {}
        start = [compact.setdefault(label, len(compact)) for label in labels]
    ig.set_random_number_generator(random.Random(seed))
    try:
        clusters = g.community_leiden(objective_function="modularity", weights=weights,
                                      resolution=resolution, n_iterations=-1, initial_membership=start)
    finally:
        ig.set_random_number_generator(random)
    groups: dict[int, set[Hashable]] = defaultdict(set)
    for i, number in enumerate(clusters.membership):
        groups[number].add(by_str[linked[i]])
    return list(groups.values())


def bridging_actors(G: nx.Graph, partition: Partition, top: int | None = 20) -> list[BridgingActor]:
    """Actors linked into other communities, most communities reached first.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> [(b.id, b.links_to) for b in bridging_actors(G, detect_communities(G))]
    [('c', {2: 1}), ('x', {1: 1})]
    """
    nodes, u, v, _w = engines.edge_arrays(G)
    if not nodes:
        return []
    label = np.array([partition.membership.get(str(node), -1) for node in nodes], dtype=np.int64)
    # every (actor, other community) link, seen from both ends of each edge
    actor = np.concatenate([u, v])
    theirs = np.concatenate([label[v], label[u]])
    own = label[actor]
    keep = (theirs >= 0) & (theirs != own)
    span = int(label.max()) + 2
    pairs, counts = np.unique(actor[keep] * span + theirs[keep], return_counts=True)
    who, community = pairs // span, pairs % span
    reached = np.bincount(who, minlength=len(nodes))
    links = np.bincount(who, weights=counts, minlength=len(nodes))
    candidates = [i for i in np.flatnonzero(reached).tolist()]
    ids = [str(nodes[i]) for i in range(len(nodes))]
    candidates.sort(key=lambda i: (-int(reached[i]), -int(links[i]), ids[i]))
    if top is not None:
        candidates = candidates[:top]
    starts = np.searchsorted(who, candidates)
    found = []
    for i, start in zip(candidates, starts.tolist()):
        end = start + int(reached[i])
        node = nodes[i]
        found.append(
            BridgingActor(
                id=ids[i],
                name=str(G.nodes[node].get("name", node)),
                community=max(int(label[i]), 0),
                links_to={int(c): int(n) for c, n in zip(community[start:end].tolist(), counts[start:end].tolist())},
                communities_reached=int(reached[i]),
            )
        )
    return found

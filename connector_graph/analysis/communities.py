"""Communities: groups of actors more linked to each other than to the rest.

Louvain modularity optimisation, seeded so the same network always gives the
same groups. networkx's ``louvain_communities`` below
:data:`~connector_graph.analysis.engine.ACCELERATE_FROM` nodes, python-igraph's
multilevel algorithm (the same method, 10-30x faster) above it. Communities
are numbered from 1, largest first (ties broken by their smallest member id).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Hashable

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
    G: nx.Graph, *, seed: int = 0, resolution: float = 1.0, engine: str = "auto"
) -> Partition:
    """Louvain communities of ``G`` (weighted by ``weight``), seeded.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> part = detect_communities(G)
    >>> [c.members for c in part.communities], round(part.modularity, 3)
    ([['a', 'b', 'c'], ['x', 'y', 'z']], 0.357)
    """
    if G.number_of_nodes() == 0:
        return Partition([], 0.0, "networkx", seed)
    by_str = {str(node): node for node in G}
    chosen = engines.choose_engine(G, engine)
    if G.number_of_edges() == 0:
        groups = [{node} for node in G]
    elif chosen == "networkx":
        groups = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    else:
        groups = _igraph_multilevel(G, seed=seed, resolution=resolution)
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
    return Partition(communities, float(modularity), chosen, seed, membership)


def _igraph_multilevel(G: nx.Graph, *, seed: int, resolution: float) -> list[set[Hashable]]:
    import igraph as ig

    g, nodes = engines.to_igraph(G, weight="weight")
    ig.set_random_number_generator(random.Random(seed))
    try:
        clusters = g.community_multilevel(weights="weight", resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    groups: dict[int, set[Hashable]] = defaultdict(set)
    for i, label in enumerate(clusters.membership):
        groups[label].add(nodes[i])
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

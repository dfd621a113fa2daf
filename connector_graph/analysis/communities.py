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
    label = {node: membership[str(node)] for node in G}
    ward = dict(G.nodes(data="ward"))
    internal = [0] * (len(ordered) + 1)
    inside_weight = [0.0] * (len(ordered) + 1)
    strength = [0.0] * (len(ordered) + 1)
    total = 0.0
    for u, v, w in G.edges(data="weight", default=1):
        w = float(w)
        total += w
        strength[label[u]] += w
        strength[label[v]] += w
        if label[u] == label[v]:
            internal[label[u]] += 1
            inside_weight[label[u]] += w
    communities = []
    for number, members in enumerate(ordered, start=1):
        wards = Counter(ward[by_str[m]] for m in members)
        wards.pop(None, None)
        main_ward = min(wards, key=lambda w: (-wards[w], w)) if wards else None
        communities.append(Community(number, members, len(members), main_ward, internal[number]))
    # Newman's modularity with weights (networkx's formula at resolution 1).
    modularity = (
        sum(inside_weight[c] / total - (strength[c] / (2 * total)) ** 2 for c in range(1, len(ordered) + 1))
        if total
        else 0.0
    )
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
    found = []
    label = {node: partition.membership.get(str(node)) for node in G}
    for node, neighbours in G.adjacency():
        own = label[node]
        links: Counter[int] = Counter()
        for other in neighbours:
            theirs = label[other]
            if theirs is not None and theirs != own:
                links[theirs] += 1
        if links:
            found.append(
                BridgingActor(
                    id=str(node),
                    name=str(G.nodes[node].get("name", node)),
                    community=own or 0,
                    links_to=dict(sorted(links.items())),
                    communities_reached=len(links),
                )
            )
    found.sort(key=lambda b: (-b.communities_reached, -sum(b.links_to.values()), b.id))
    return found if top is None else found[:top]

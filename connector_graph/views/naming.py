"""Names for communities that say what they are: never "Community 7".

A community is named by its main ward and the interest or offer most of its
members share, e.g. ``"Armley · gardening"``. Two communities that would
get the same name are told apart by their next most shared interest, then
by their size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Hashable, Iterable, Mapping

from ..store.base import Store

if TYPE_CHECKING:  # networkx loads with the analysis, not with every command that names actors
    import networkx as nx

__all__ = ["actor_tags", "community_names", "person_sector"]


def actor_tags(store: Store) -> dict[str, list[str]]:
    """What each actor brings or offers: people's interests and gifts, organisations' offers."""
    tags: dict[str, list[str]] = {}
    for actor in store.iter_actors():
        if actor.actor_type == "organisation":
            tags[actor.id] = list(getattr(actor, "offers", []) or [])
        else:
            tags[actor.id] = list(getattr(actor, "interests", []) or []) + list(getattr(actor, "gifts", []) or [])
    return tags


def community_names(
    G: nx.Graph,
    membership: Mapping[Hashable, int],
    tags: Mapping[str, Iterable[str]],
) -> dict[int, str]:
    """A readable, distinct name for every community in ``membership``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"ward": "Armley"}), ("b", {"ward": "Armley"}), ("c", {"ward": "Pudsey"})])
    >>> community_names(G, {"a": 0, "b": 0, "c": 1}, {"a": ["gardening"], "b": ["gardening", "chess"], "c": []})
    {0: 'Armley · gardening', 1: 'Pudsey'}
    """
    members: dict[int, list[Hashable]] = defaultdict(list)
    for node, number in membership.items():
        if node in G:
            members[int(number)].append(node)
    ranked: dict[int, list[str]] = {}
    wards: dict[int, str] = {}
    for number, nodes in members.items():
        ward_counts = Counter(G.nodes[n].get("ward") for n in nodes if G.nodes[n].get("ward"))
        wards[number] = min(ward_counts, key=lambda w: (-ward_counts[w], w)) if ward_counts else "across wards"
        tag_counts = Counter(t for n in nodes for t in set(tags.get(str(n), ())))
        ranked[number] = sorted(tag_counts, key=lambda t: (-tag_counts[t], t))
    names: dict[int, str] = {}
    taken: Counter[str] = Counter()
    for number in sorted(members, key=lambda k: (-len(members[k]), k)):
        options = [f"{wards[number]} · {t}" for t in ranked[number][:3]] or [wards[number]]
        name = next((o for o in options if not taken[o]), options[0])
        taken[name] += 1
        if taken[name] > 1:
            name = f"{name} ({len(members[number])} members)"
        names[number] = name
    return names


def person_sector(G: nx.Graph, node: Hashable) -> str | None:
    """The sector an actor is tied to most (an organisation's own sector); None when it has no tie to one.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("p", "o1"), ("p", "o2"), ("p", "o3")])
    >>> G.nodes["o1"]["sector"] = G.nodes["o2"]["sector"] = "faith"; G.nodes["o3"]["sector"] = "health"
    >>> person_sector(G, "p"), person_sector(G, "o3")
    ('faith', 'health')
    """
    own = G.nodes[node].get("sector")
    if own:
        return str(own)
    counts = Counter(G.nodes[n].get("sector") for n in G[node] if G.nodes[n].get("sector"))
    return min(counts, key=lambda s: (-counts[s], s)) if counts else None

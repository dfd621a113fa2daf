"""Gaps: where the network is thin, fragile or missing altogether.

- :func:`isolated_actors`: actors with no links at all;
- :func:`single_points` : articulation points (actors whose leaving would split
  the network) and bridges (links whose loss would), each with its impact,
  and the fragile actors who hang on one tie or one actor;
- :func:`ward_stats`: actors, ties, connectors and introductions per ward,
  per 1,000 residents where the population is known;
- :func:`tie_matrix`: ties between wards or between sectors, with the missing
  pairs named (statutory and voluntary/community links first);
- :func:`unlinked_organisations`: organisations no connector is linked to;
- :func:`stale_ties` and :func:`overdue_follow_ups`: the store's own records
  (pass in lists of ties or introductions) that need a look.

Single points of failure come from the block-cut tree (biconnected
components, linear in the size of the graph), so the pieces a departure
leaves, and who is cut off, are exact at any size.
"""

from __future__ import annotations

import calendar
import itertools
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Sequence

import networkx as nx
import numpy as np

from . import engine as engines

from ..model import Introduction, IntroStatus, PersonRole, Sector, Tie, Ward

__all__ = [
    "ActorRef",
    "CutPieces",
    "cut_pieces",
    "CutPoint",
    "Bridge",
    "FragileActor",
    "SinglePoints",
    "WardStats",
    "TieMatrix",
    "StaleTie",
    "OverdueIntroduction",
    "PRIORITY_SECTOR_PAIRS",
    "isolated_actors",
    "single_points",
    "departure_impact",
    "cut_off_by",
    "ward_stats",
    "tie_matrix",
    "unlinked_organisations",
    "stale_ties",
    "overdue_follow_ups",
    "months_before",
]

#: Sector pairs whose missing links are reported first.
PRIORITY_SECTOR_PAIRS: tuple[tuple[str, str], ...] = (
    (Sector.STATUTORY.value, Sector.VOLUNTARY_COMMUNITY.value),
    (Sector.HEALTH.value, Sector.VOLUNTARY_COMMUNITY.value),
    (Sector.FAITH.value, Sector.STATUTORY.value),
    (Sector.FAITH.value, Sector.HEALTH.value),
)


@dataclass(frozen=True)
class ActorRef:
    """An actor named in a result."""

    id: str
    name: str
    actor_type: str
    ward: str | None


@dataclass(frozen=True)
class CutPoint:
    """An actor whose leaving would split the network.

    ``pieces`` are the sizes of the parts left behind, largest first;
    ``cut_off`` is how many actors would lose their only link to the largest.
    """

    actor: ActorRef
    pieces: list[int]
    cut_off: int
    sentence: str


@dataclass(frozen=True)
class Bridge:
    """A link whose loss would split the network; ``cut_off`` actors are on the smaller side."""

    a: ActorRef
    b: ActorRef
    cut_off: int
    sentence: str


@dataclass(frozen=True)
class FragileActor:
    """An actor with one tie, or whose every path to the rest runs through one actor (``via``)."""

    actor: ActorRef
    via: ActorRef
    reason: str


@dataclass(frozen=True)
class SinglePoints:
    """Articulation points, bridges and fragile actors, biggest impact first."""

    cut_points: list[CutPoint] = field(default_factory=list)
    bridges: list[Bridge] = field(default_factory=list)
    fragile: list[FragileActor] = field(default_factory=list)


@dataclass(frozen=True)
class WardStats:
    """One ward's numbers; the ``per_1000`` ones are None when its population is unknown."""

    ward: str
    population: int | None
    actors: int
    people: int
    organisations: int
    connectors: int
    isolated: int
    ties_within: int
    ties_out: int
    introductions: int | None
    actors_per_1000: float | None
    connectors_per_1000: float | None
    introductions_per_1000: float | None


@dataclass(frozen=True)
class TieMatrix:
    """Tie counts between groups (wards or sectors), and the pairs with none.

    ``counts`` holds each unordered pair once, as ``(a, b)`` with ``a <= b``
    (``(a, a)`` counts ties within a group). ``missing`` lists the pairs of
    different groups with no tie; ``priority_missing`` the ones from
    :data:`PRIORITY_SECTOR_PAIRS` among them.
    """

    by: str
    groups: list[str]
    counts: dict[tuple[str, str], int]
    missing: list[tuple[str, str]]
    priority_missing: list[tuple[str, str]]


@dataclass(frozen=True)
class StaleTie:
    """A tie not confirmed since ``last_seen`` (None: never dated)."""

    tie_id: str
    source_id: str
    target_id: str
    kind: str
    last_seen: dt.date | None
    months: int | None


@dataclass(frozen=True)
class OverdueIntroduction:
    """An introduction whose follow-up date has passed with no outcome recorded."""

    introduction_id: str
    introducer_id: str
    subject_id: str
    target_id: str
    follow_up: dt.date
    days_overdue: int
    status: str


def _ref(G: nx.Graph, node: Hashable) -> ActorRef:
    data = G.nodes[node]
    return ActorRef(str(node), str(data.get("name", node)), str(data.get("actor_type", "person")), data.get("ward"))


def isolated_actors(G: nx.Graph, *, people_only: bool = False) -> list[ActorRef]:
    """Actors with no links at all, in id order.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")]); G.add_node("c")
    >>> [a.id for a in isolated_actors(G)]
    ['c']
    """
    found = [
        _ref(G, node)
        for node in G
        if G.degree(node) == 0 and (not people_only or G.nodes[node].get("actor_type", "person") == "person")
    ]
    return sorted(found, key=lambda a: a.id)


# ------------------------------------------------------ single points of failure


def _dfs(G: nx.Graph) -> tuple[list[Hashable], dict, dict, dict, dict, dict, dict]:
    """Iterative depth-first search.

    Returns the preorder, and per node: discovery index, low-link, parent,
    subtree size, component size and where its component starts in the
    preorder.
    """
    order: list[Hashable] = []
    disc: dict[Hashable, int] = {}
    low: dict[Hashable, int] = {}
    parent: dict[Hashable, Hashable | None] = {}
    size: dict[Hashable, int] = {}
    comp: dict[Hashable, int] = {}
    first: dict[Hashable, int] = {}
    adj = G.adj
    for root in G:
        if root in disc:
            continue
        start = len(order)
        disc[root] = low[root] = start
        order.append(root)
        parent[root] = None
        stack = [(root, iter(adj[root]))]
        while stack:
            v, neighbours = stack[-1]
            for w in neighbours:
                if w not in disc:
                    parent[w] = v
                    disc[w] = low[w] = len(order)
                    order.append(w)
                    stack.append((w, iter(adj[w])))
                    break
                if w != parent[v] and disc[w] < low[v]:
                    low[v] = disc[w]
            else:
                stack.pop()
                size[v] = len(order) - disc[v]
                if stack:
                    p = stack[-1][0]
                    if low[v] < low[p]:
                        low[p] = low[v]
        total = len(order) - start
        for node in order[start:]:
            comp[node] = total
            first[node] = start
    return order, disc, low, parent, size, comp, first


@dataclass(frozen=True)
class CutPieces:
    """Every cut point's pieces, from a block-cut tree.

    ``order`` lists the actors so that every piece left when a cut point
    leaves is one or two contiguous spans of it; ``pieces[v]`` holds, per
    piece, its size and spans, the piece kept (the largest; among equals the
    one holding the smallest id) first.
    """

    order: list[Hashable]
    pieces: dict[Hashable, list[tuple[int, list[tuple[int, int]]]]]


def cut_pieces(G: nx.Graph) -> CutPieces:
    """The pieces each cut point leaves, exactly, from the block-cut tree (biconnected components).

    The tree has a node per block (biconnected component, a bridge being a
    block of two) and per cut point, linked when the cut point is in the
    block. Rooting each tree at a block, a cut point's pieces are the
    subtrees of its child blocks and everything outside its own subtree.
    Linear in the size of the graph.
    """
    blocks = [sorted(block, key=str) for block in nx.biconnected_components(G)]
    member_of: dict[Hashable, list[int]] = defaultdict(list)
    for i, block in enumerate(blocks):
        for node in block:
            member_of[node].append(i)
    cuts = {node for node, found in member_of.items() if len(found) > 1}
    rank = {node: i for i, node in enumerate(sorted(G, key=str))}
    order: list[Hashable] = []
    tin: dict[tuple[str, Hashable], int] = {}
    tout: dict[tuple[str, Hashable], int] = {}
    low_rank: dict[tuple[str, Hashable], int] = {}  # smallest id rank in the subtree
    parent: dict[tuple[str, Hashable], tuple[str, Hashable] | None] = {}
    span_of: dict[tuple[str, Hashable], tuple[int, int]] = {}  # the tree component's span of ``order``

    def children(t: tuple[str, Hashable]) -> list[tuple[str, Hashable]]:
        found = [("c", n) for n in blocks[t[1]] if n in cuts] if t[0] == "b" else [("b", i) for i in member_of[t[1]]]
        return [c for c in found if c != parent[t]]

    def own(t: tuple[str, Hashable]) -> list[Hashable]:
        return [n for n in blocks[t[1]] if n not in cuts] if t[0] == "b" else [t[1]]

    prefix_low: list[int] = []  # smallest id rank from the start of the tree component up to here
    suffix_low: list[int] = []  # ... from here to its end
    for i in range(len(blocks)):
        root = ("b", i)
        if root in tin:
            continue
        start = len(order)
        parent[root] = None
        tin[root] = len(order)
        order.extend(own(root))
        visited = [root]
        stack = [(root, iter(children(root)))]
        while stack:
            t, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                stack.pop()
                tout[t] = len(order)
                mine = [rank[n] for n in order[tin[t]:tin[t] + len(own(t))]]
                low_rank[t] = min(mine + [low_rank[c] for c in children(t)], default=len(rank))
                continue
            parent[nxt] = t
            tin[nxt] = len(order)
            order.extend(own(nxt))
            visited.append(nxt)
            stack.append((nxt, iter(children(nxt))))
        ranks = [rank[n] for n in order[start:]]
        prefix_low += list(itertools.accumulate(ranks, min))
        suffix_low += list(itertools.accumulate(reversed(ranks), min))[::-1]
        for t in visited:
            span_of[t] = (start, len(order))
    pieces: dict[Hashable, list[tuple[int, list[tuple[int, int]]]]] = {}
    for v in cuts:
        t = ("c", v)
        found = [(tout[c] - tin[c], low_rank[c], [(tin[c], tout[c])]) for c in children(t)]
        start, end = span_of[t]
        outside = [(a, b) for a, b in ((start, tin[t]), (tout[t], end)) if b > a]
        if outside:
            lows = ([prefix_low[tin[t] - 1]] if tin[t] > start else []) + ([suffix_low[tout[t]]] if tout[t] < end else [])
            found.append((sum(b - a for a, b in outside), min(lows), outside))
        found.sort(key=lambda piece: (-piece[0], piece[1]))
        pieces[v] = [(size, spans) for size, _low, spans in found]
    return CutPieces(order, pieces)


def _count_words(people: int, orgs: int) -> str:
    parts = []
    if people:
        parts.append(f"{people} {'person' if people == 1 else 'people'}")
    if orgs:
        parts.append(f"{orgs} organisation{'s' if orgs != 1 else ''}")
    return " and ".join(parts) or "no one"


def single_points(G: nx.Graph, *, max_pocket: int = 25) -> SinglePoints:
    """Articulation points and bridges with their impact, and fragile actors.

    Parameters
    ----------
    max_pocket
        Actors are called fragile when they sit in a pocket of at most this
        many actors that hangs on one actor (or have just one tie). Larger
        parts cut off by one actor are reported as that actor's impact, not
        as fragile individuals.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("d", "f"), ("e", "f")])
    >>> sp = single_points(G)
    >>> [(p.actor.id, p.pieces, p.cut_off) for p in sp.cut_points]
    [('c', [3, 2], 2), ('d', [3, 2], 2)]
    >>> [(b.a.id, b.b.id, b.cut_off) for b in sp.bridges]
    [('c', 'd', 3)]
    >>> sp.cut_points[0].sentence
    'If c left, 2 people would lose their only link to the rest of the network.'
    """
    _order, disc, low, parent, size, comp, _first = _dfs(G)
    bridges: list[Bridge] = []
    for child, p in parent.items():
        if p is None:
            continue
        if low[child] > disc[p]:
            cut = min(size[child], comp[child] - size[child])
            a, b = (p, child) if str(p) <= str(child) else (child, p)
            smaller = child if size[child] <= comp[child] - size[child] else p
            bridges.append(
                Bridge(
                    _ref(G, a),
                    _ref(G, b),
                    cut,
                    f"If the link between {G.nodes[a].get('name', a)} and {G.nodes[b].get('name', b)} were lost, "
                    f"{cut} actor{'s' if cut != 1 else ''} on {G.nodes[smaller].get('name', smaller)}'s side "
                    "would be cut off from the rest.",
                )
            )
    departures = cut_pieces(G)
    order = departures.order
    # People counted along the order, so any span of it is counted in O(1).
    people_before = [0, *itertools.accumulate(G.nodes[n].get("actor_type", "person") == "person" for n in order)]

    def tally(spans: list[tuple[int, int]]) -> tuple[int, int]:
        people = sum(people_before[b] - people_before[a] for a, b in spans)
        return people, sum(b - a for a, b in spans) - people

    cut_points: list[CutPoint] = []
    pockets: list[tuple[int, Hashable, list[Hashable]]] = []
    for v, pieces in departures.pieces.items():
        # Everyone outside the largest remaining part (the first piece) would be cut off.
        spans = [span for _size, piece in pieces[1:] for span in piece]
        for piece_size, piece in pieces[1:]:
            if piece_size <= max_pocket:
                pockets.append((piece_size, v, [n for a, b in piece for n in order[a:b]]))
        people, orgs = tally(spans)
        name = G.nodes[v].get("name", v)
        cut_points.append(
            CutPoint(
                _ref(G, v),
                [piece_size for piece_size, _spans in pieces],
                people + orgs,
                f"If {name} left, {_count_words(people, orgs)} would lose their only link to the rest of the network.",
            )
        )
    fragile: dict[Hashable, FragileActor] = {}
    # Larger pockets first, so an actor ends up attached to the nearest cut point.
    for _size, v, members in sorted(pockets, key=lambda item: (-item[0], str(item[1]))):
        for member in members:
            fragile[member] = FragileActor(
                _ref(G, member), _ref(G, v), f"every path to the rest of the network runs through {G.nodes[v].get('name', v)}"
            )
    for node in G:
        if G.degree(node) == 1:
            (other,) = G[node]
            fragile[node] = FragileActor(_ref(G, node), _ref(G, other), f"one tie only, to {G.nodes[other].get('name', other)}")
    cut_points.sort(key=lambda c: (-c.cut_off, c.actor.id))
    bridges.sort(key=lambda b: (-b.cut_off, b.a.id, b.b.id))
    return SinglePoints(cut_points, bridges, sorted(fragile.values(), key=lambda f: f.actor.id))


# ----------------------------------------------------------------- coverage


def cut_off_by(G: nx.Graph, node: Hashable) -> list[Hashable]:
    """Who would lose their only link to the rest if ``node`` left, in id order.

    Exactly the actors of ``node``'s connected group outside the largest part
    left behind (among equally large parts, the one holding the smallest id
    is kept), found from the block-cut tree of that group. Every other
    function that reports a departure (:func:`single_points`,
    :func:`departure_impact`) counts the same people.

    Examples
    --------
    >>> G = nx.Graph([("a", "c"), ("c", "d"), ("d", "a"), ("c", "g"), ("g", "f"), ("f", "e"), ("e", "b"), ("b", "g")])
    >>> cut_off_by(G, "c"), cut_off_by(G, "g"), cut_off_by(G, "a")
    (['a', 'd'], ['b', 'e', 'f'], [])
    """
    group = G.subgraph(nx.node_connected_component(G, node))
    departures = cut_pieces(group)
    pieces = departures.pieces.get(node, [])
    return sorted((n for _size, spans in pieces[1:] for a, b in spans for n in departures.order[a:b]), key=str)


def departure_impact(G: nx.Graph, node: Hashable) -> tuple[int, str]:
    """What would happen if ``node`` left: how many would be cut off, in a sentence.

    "Cut off" means no longer linked to the largest part of what was
    ``node``'s connected group; direct contacts who would keep another link
    are counted separately.

    Examples
    --------
    >>> G = nx.Graph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("c", "d"), ("d", "e"), ("e", "c")])
    >>> for n in G: G.nodes[n].update(name=n.upper(), actor_type="person")
    >>> departure_impact(G, "hub")
    (2, 'If HUB left, 2 people would lose their only link to the rest of the network; 1 other contact would keep other links.')
    >>> departure_impact(G, "a")[0]
    0
    """
    name = G.nodes[node].get("name", node)
    cut = cut_off_by(G, node)
    people = sum(1 for n in cut if G.nodes[n].get("actor_type") != "organisation")
    cut_set = set(cut)
    kept = [n for n in G[node] if n not in cut_set]
    if not cut:
        sentence = f"If {name} left, everyone they know would still be linked to the rest of the network."
    else:
        sentence = (f"If {name} left, {_count_words(people, len(cut) - people)} would lose their only link "
                    "to the rest of the network")
        others = len(kept)
        sentence += (f"; {others} other contact{'s' if others != 1 else ''} would keep other links." if others else ".")
    return len(cut), sentence


def _tie_ends(G: nx.Graph) -> tuple[list[Hashable], "np.ndarray", "np.ndarray"]:
    """Node positions at both ends of every tie (edges made only of introductions left out)."""
    nodes, u, v, _w = engines.edge_arrays(G)
    mask = engines.tie_edge_mask(G)
    return nodes, u[mask], v[mask]


def _codes(G: nx.Graph, nodes: Sequence[Hashable], attribute: str, names: Sequence[str]) -> "np.ndarray":
    """Each node's position in ``names`` by its ``attribute`` (-1 when it has none)."""
    position = {name: i for i, name in enumerate(names)}
    values = G.nodes(data=attribute)
    return np.array([-1 if values[n] is None else position[str(values[n])] for n in nodes], dtype=np.int64)


def _ties_within_and_out(G: nx.Graph) -> tuple[Counter[str], Counter[str]]:
    """Per ward: ties with both ends in it, and ties with one end in it and the other elsewhere (or nowhere)."""
    names = sorted({str(w) for _n, w in G.nodes(data="ward") if w is not None})
    nodes, u, v = _tie_ends(G)
    codes = _codes(G, nodes, "ward", names)
    a, b = codes[u], codes[v]
    same = (a == b) & (a >= 0)
    size = len(names)
    inside = np.bincount(a[same], minlength=size)
    apart = np.bincount(a[~same & (a >= 0)], minlength=size) + np.bincount(b[~same & (b >= 0)], minlength=size)
    within = Counter({name: int(inside[i]) for i, name in enumerate(names) if inside[i]})
    out = Counter({name: int(apart[i]) for i, name in enumerate(names) if apart[i]})
    return within, out


def ward_stats(
    G: nx.Graph,
    *,
    wards: Sequence[Ward] = (),
    introductions: Iterable[Introduction] | None = None,
) -> list[WardStats]:
    """Per ward: actors, connectors, isolated actors, ties and introductions.

    Parameters
    ----------
    wards
        Ward records, for populations (and wards with no one in them yet).
    introductions
        Introductions to count; an introduction counts for the ward of the
        person introduced and, if different, of who they were introduced
        to. ``None`` leaves the introduction columns empty.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", ward="Armley", actor_type="person", roles=["connector"])
    >>> G.add_node("b", ward="Armley", actor_type="person", roles=["resident"])
    >>> G.add_edge("a", "b", kinds=["knows"])
    >>> s = ward_stats(G, wards=[Ward(name="Armley", population=2000)])[0]
    >>> s.actors, s.connectors, s.ties_within, s.actors_per_1000
    (2, 1, 1, 1.0)
    """
    population = {w.name: w.population for w in wards}
    names = set(population)
    actors: Counter[str] = Counter()
    people: Counter[str] = Counter()
    connectors: Counter[str] = Counter()
    isolated: Counter[str] = Counter()
    degree = dict(G.degree())
    for node, data in G.nodes(data=True):
        ward = data.get("ward")
        if ward is None:
            continue
        names.add(ward)
        actors[ward] += 1
        if data.get("actor_type", "person") == "person":
            people[ward] += 1
            if PersonRole.CONNECTOR.value in data.get("roles", []):
                connectors[ward] += 1
        if degree[node] == 0:
            isolated[ward] += 1
    ward_of = dict(G.nodes(data="ward"))
    within, out = _ties_within_and_out(G)
    intro_counts: Counter[str] | None = None
    if introductions is not None:
        intro_counts = Counter()
        for intro in introductions:
            touched = {ward_of[a] for a in (intro.subject_id, intro.target_id) if a in ward_of}
            for w in touched - {None}:
                intro_counts[w] += 1

    def per_1000(count: int | None, ward: str) -> float | None:
        pop = population.get(ward)
        if not pop or count is None:
            return None
        return round(count * 1000 / pop, 3)

    result = []
    for ward in sorted(names):
        made = None if intro_counts is None else intro_counts[ward]
        result.append(
            WardStats(
                ward=ward,
                population=population.get(ward),
                actors=actors[ward],
                people=people[ward],
                organisations=actors[ward] - people[ward],
                connectors=connectors[ward],
                isolated=isolated[ward],
                ties_within=within[ward],
                ties_out=out[ward],
                introductions=made,
                actors_per_1000=per_1000(actors[ward], ward),
                connectors_per_1000=per_1000(connectors[ward], ward),
                introductions_per_1000=per_1000(made, ward),
            )
        )
    return result


def tie_matrix(G: nx.Graph, by: str = "sector", *, groups: Iterable[str] | None = None) -> TieMatrix:
    """Count ties between groups of actors: ``by="ward"`` or ``by="sector"``.

    Only actors with a value for ``by`` count (so the sector matrix is about
    organisations' ties to each other); edges made only of introductions do
    not count as ties. ``groups`` adds groups that should appear even with
    no actor (e.g. every sector).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("council", sector="statutory"); G.add_node("gp", sector="health")
    >>> G.add_node("club", sector="voluntary_community")
    >>> G.add_edge("council", "gp", kinds=["partners_with"])
    >>> m = tie_matrix(G, "sector")
    >>> m.counts[("health", "statutory")], m.missing
    (1, [('health', 'voluntary_community'), ('statutory', 'voluntary_community')])
    >>> m.priority_missing
    [('statutory', 'voluntary_community'), ('health', 'voluntary_community')]
    """
    if by not in ("ward", "sector"):
        raise ValueError("by must be 'ward' or 'sector'")
    present = {str(data[by]) for _n, data in G.nodes(data=True) if data.get(by) is not None}
    present |= set(groups or ())
    names = sorted(present)
    nodes, u, v = _tie_ends(G)
    codes = _codes(G, nodes, by, names)
    a, b = codes[u], codes[v]
    both = (a >= 0) & (b >= 0)
    low, high = np.minimum(a[both], b[both]), np.maximum(a[both], b[both])
    pairs, tallies = np.unique(low * len(names) + high, return_counts=True)
    counts = {
        (names[pair // len(names)], names[pair % len(names)]): int(n)
        for pair, n in zip(pairs.tolist(), tallies.tolist())
    }
    missing = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if (a, b) not in counts]
    priority = []
    if by == "sector":
        missing_set = set(missing)
        for x, y in PRIORITY_SECTOR_PAIRS:
            pair = (min(x, y), max(x, y))
            if pair in missing_set:
                priority.append(pair)
    return TieMatrix(by, names, dict(sorted(counts.items())), missing, priority)


def unlinked_organisations(G: nx.Graph) -> list[ActorRef]:
    """Organisations with no link to anyone who has the connector role.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("lib", actor_type="organisation"); G.add_node("gym", actor_type="organisation")
    >>> G.add_node("cath", actor_type="person", roles=["connector"])
    >>> G.add_edge("cath", "lib")
    >>> [o.id for o in unlinked_organisations(G)]
    ['gym']
    """
    found = []
    for node, data in G.nodes(data=True):
        if data.get("actor_type") != "organisation":
            continue
        if not any(PersonRole.CONNECTOR.value in G.nodes[other].get("roles", []) for other in G[node]):
            found.append(_ref(G, node))
    return sorted(found, key=lambda a: a.id)


# ------------------------------------------------------------ record checks


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day if it is shorter).

    Examples
    --------
    >>> months_before(dt.date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    """
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stale_ties(ties: Iterable[Tie], *, today: dt.date, months: int = 12) -> list[StaleTie]:
    """Ties not confirmed (nor begun) in the last ``months`` months, oldest first; undated ones last.

    Examples
    --------
    >>> old = Tie(source_id="a", target_id="b", since=dt.date(2020, 1, 1))
    >>> new = Tie(source_id="a", target_id="c", last_confirmed=dt.date(2026, 1, 1))
    >>> [(s.target_id, s.months) for s in stale_ties([old, new], today=dt.date(2026, 3, 1))]
    [('b', 74)]
    """
    cutoff = months_before(today, months)
    found = []
    for tie in ties:
        seen = tie.last_confirmed or tie.since
        if seen is not None and seen >= cutoff:
            continue
        age = None if seen is None else (today.year - seen.year) * 12 + today.month - seen.month
        found.append(StaleTie(tie.id, tie.source_id, tie.target_id, tie.kind.value, seen, age))
    return sorted(found, key=lambda s: (s.last_seen is None, s.last_seen or today, s.tie_id))


def overdue_follow_ups(introductions: Iterable[Introduction], *, today: dt.date) -> list[OverdueIntroduction]:
    """Introductions past their follow-up date with no outcome, most overdue first.

    Declined and followed-up introductions are finished, so never overdue.

    Examples
    --------
    >>> i = Introduction(introducer_id="c", subject_id="a", target_id="b", date=dt.date(2026, 1, 1),
    ...                  follow_up=dt.date(2026, 2, 1))
    >>> [o.days_overdue for o in overdue_follow_ups([i], today=dt.date(2026, 2, 11))]
    [10]
    """
    found = []
    for intro in introductions:
        if intro.follow_up is None or intro.follow_up >= today or intro.outcome:
            continue
        if intro.status in (IntroStatus.FOLLOWED_UP, IntroStatus.DECLINED):
            continue
        found.append(
            OverdueIntroduction(
                intro.id,
                intro.introducer_id,
                intro.subject_id,
                intro.target_id,
                intro.follow_up,
                (today - intro.follow_up).days,
                intro.status.value,
            )
        )
    return sorted(found, key=lambda o: (o.follow_up, o.introduction_id))

"""Managers' questions answered with names: weakest wards, organisations with no
partner across the statutory line, who a single point of failure holds on,
and introductions that went nowhere.

Every function takes the **link graph** (:func:`connector_graph.analysis.links.link_graph`),
so "linked" means the same here as everywhere else. Results are plain
dataclasses in a repeatable order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Iterator, Mapping, Sequence

import networkx as nx

from ..model import Introduction, IntroStatus, PersonRole, Sector, Ward
from .gaps import cut_pieces

__all__ = [
    "PUBLIC_SECTORS",
    "COMMUNITY_SECTORS",
    "Named",
    "WardStanding",
    "WeakWard",
    "PartnerCandidate",
    "Unpartnered",
    "Departure",
    "Stalled",
    "named",
    "ward_standings",
    "weakest_wards",
    "unpartnered_organisations",
    "departure",
    "failure_points",
    "stalled_introductions",
    "most_declining",
]

#: The statutory side of the line, and the voluntary, community and faith side.
PUBLIC_SECTORS: tuple[str, ...] = (Sector.STATUTORY.value, Sector.HEALTH.value)
COMMUNITY_SECTORS: tuple[str, ...] = (Sector.VOLUNTARY_COMMUNITY.value, Sector.FAITH.value)


@dataclass(frozen=True)
class Named:
    """A person or organisation named in an answer."""

    id: str
    name: str
    ward: str | None
    actor_type: str


def named(G: nx.Graph, node: Hashable) -> Named:
    """The node's id, name, ward and type from the graph's attributes."""
    data = G.nodes[node]
    return Named(str(node), str(data.get("name", node)), data.get("ward"), str(data.get("actor_type", "person")))


def _sort_names(items: Iterable[Named]) -> list[Named]:
    return sorted(items, key=lambda n: (n.name.casefold(), n.id))


# ------------------------------------------------------------------- wards


@dataclass(frozen=True)
class WardStanding:
    """How well one ward is linked.

    ``links`` counts links with at least one end in the ward;
    ``isolated_share`` is the share of its people (in the network) with no
    link. ``rank`` is 1 for the most thinly linked ward.
    """

    ward: str
    population: int | None
    people: int
    links: int
    isolated: int
    links_per_1000: float | None
    isolated_share: float | None
    rank: int


@dataclass(frozen=True)
class WeakWard:
    """One of the weakest wards, with the people and organisations best placed to bridge it."""

    standing: WardStanding
    bridges: list[tuple[Named, list[str]]] = field(default_factory=list)
    missing_pairs: list[tuple[str, str]] = field(default_factory=list)


def ward_standings(G: nx.Graph, wards: Sequence[Ward]) -> list[WardStanding]:
    """Every ward ranked from the most thinly linked to the best linked.

    The rank is the average of two ranks: links per 1,000 residents (fewest
    first) and the share of people with no link (largest first). Wards with
    no population rank by the second alone, after the others on ties.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"ward": "A"}), ("b", {"ward": "A"}), ("c", {"ward": "B"}), ("d", {"ward": "B"})])
    >>> G.add_edge("a", "b")
    >>> [(s.ward, s.links, s.isolated) for s in ward_standings(G, [Ward(name="A", population=1000), Ward(name="B", population=1000)])]
    [('B', 0, 2), ('A', 1, 0)]
    """
    population = {w.name: w.population for w in wards}
    people: Counter[str] = Counter()
    isolated: Counter[str] = Counter()
    links: Counter[str] = Counter()
    for node, data in G.nodes(data=True):
        ward = data.get("ward")
        if ward is None or data.get("actor_type", "person") != "person":
            continue
        people[ward] += 1
        isolated[ward] += G.degree(node) == 0
    for u, v in G.edges():
        for ward in {G.nodes[u].get("ward"), G.nodes[v].get("ward")} - {None}:
            links[ward] += 1
    names = sorted(set(population) | set(people) | set(links))
    rows = []
    for ward in names:
        pop = population.get(ward)
        per = round(links[ward] * 1000 / pop, 2) if pop else None
        share = round(isolated[ward] / people[ward], 3) if people[ward] else None
        rows.append((ward, pop, people[ward], links[ward], isolated[ward], per, share))

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        result = [0.0] * len(values)
        for position, i in enumerate(order):
            result[i] = position
        return result

    by_links = ranks([r[5] if r[5] is not None else float("inf") for r in rows])
    by_isolated = ranks([-(r[6] or 0.0) for r in rows])
    order = sorted(range(len(rows)), key=lambda i: ((by_links[i] + by_isolated[i]) / 2, by_links[i], rows[i][0]))
    return [WardStanding(*rows[i], rank=position + 1) for position, i in enumerate(order)]


def _ward_links(G: nx.Graph) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for u, v in G.edges():
        a, b = G.nodes[u].get("ward"), G.nodes[v].get("ward")
        if a and b and a != b:
            pairs[(min(a, b), max(a, b))] += 1
    return pairs


def _shared_services(G: nx.Graph, at_least: int = 2) -> set[tuple[str, str]]:
    """Ward pairs that share services: at least ``at_least`` organisations each linked to people of both."""
    shared: Counter[tuple[str, str]] = Counter()
    for node, data in G.nodes(data=True):
        if data.get("actor_type") != "organisation":
            continue
        reached = sorted(({G.nodes[n].get("ward") for n in G[node]} | {data.get("ward")}) - {None})
        shared.update((a, b) for i, a in enumerate(reached) for b in reached[i + 1:])
    return {pair for pair, count in shared.items() if count >= at_least}


def weakest_wards(
    G: nx.Graph,
    wards: Sequence[Ward],
    *,
    neighbours: Mapping[str, Iterable[str]] | None = None,
    top: int = 3,
    bridges: int = 3,
) -> list[WeakWard]:
    """The ``top`` most thinly linked wards, each with its best bridges and the missing ward pairs that matter.

    A bridge is a connector or an organisation with links into the weak ward
    (or living in it) and into better-linked nearby wards (up to three named,
    most links first); the best link the most of both. Nearby wards are the
    ``neighbours`` given (e.g. from the ward map's grid), or, with none given,
    wards sharing a service with it (an organisation linked to people of
    both, at least two such organisations). A missing pair is a neighbouring or service-sharing ward with no
    link at all to the weak ward.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"ward": "A", "actor_type": "person"}), ("b", {"ward": "B", "actor_type": "person"}),
    ...                   ("b2", {"ward": "B", "actor_type": "person"}),
    ...                   ("c", {"ward": "B", "actor_type": "person", "roles": ["connector"], "name": "Cat"})])
    >>> G.add_edges_from([("c", "a"), ("c", "b"), ("b", "b2")])
    >>> w = weakest_wards(G, [Ward(name="A", population=1000), Ward(name="B", population=1000)],
    ...                   neighbours={"A": ["B"]}, top=1)[0]
    >>> w.standing.ward, [(n.name, into) for n, into in w.bridges]
    ('A', [('Cat', ['B'])])
    """
    standings = ward_standings(G, wards)
    rank = {s.ward: s.rank for s in standings}
    beside: dict[str, set[str]] = defaultdict(set)
    for ward, others in (neighbours or {}).items():
        for other in others:
            beside[ward].add(other)
            beside[other].add(ward)
    sharing: dict[str, set[str]] = defaultdict(set)
    for a, b in _shared_services(G):
        sharing[a].add(b)
        sharing[b].add(a)
    linked = _ward_links(G)
    result = []
    for standing in standings[:top]:
        ward = standing.ward
        near = beside[ward] if neighbours else sharing[ward]
        better = {w for w in near if rank.get(w, 0) > standing.rank}
        scored = []
        for node, data in G.nodes(data=True):
            is_bridge = data.get("actor_type") == "organisation" or PersonRole.CONNECTOR.value in (data.get("roles") or [])
            if not is_bridge:
                continue
            reach = Counter(G.nodes[n].get("ward") for n in G[node])
            inside = reach[ward] + (data.get("ward") == ward)
            outside = {w: reach[w] + (data.get("ward") == w) for w in better}
            outside = {w: n for w, n in outside.items() if n}
            if inside and outside:
                into = sorted(outside, key=lambda w: (-outside[w], w))[:3]
                scored.append((-(min(inside, sum(outside.values()))), -inside, str(node), node, into))
        scored.sort()
        bridge_list = [(named(G, node), into) for *_rest, node, into in scored[:bridges]]
        missing = sorted((min(ward, w), max(ward, w)) for w in beside[ward] | sharing[ward]
                         if not linked[(min(ward, w), max(ward, w))])
        result.append(WeakWard(standing, bridge_list, missing))
    return result


# ----------------------------------------------------- partners across the line


@dataclass(frozen=True)
class PartnerCandidate:
    """An organisation across the line worth linking to, and why."""

    organisation: Named
    reasons: list[str]
    score: int


@dataclass(frozen=True)
class Unpartnered:
    """An organisation with no link to any organisation of ``missing`` sectors across the line."""

    organisation: Named
    sector: str
    missing: list[str]
    no_partner_at_all: bool
    candidates: list[PartnerCandidate]


def unpartnered_organisations(
    G: nx.Graph,
    offers: Mapping[str, Iterable[str]] | None = None,
    *,
    candidates: int = 3,
) -> list[Unpartnered]:
    """Organisations with no partner across the statutory ↔ voluntary/community/faith line.

    For each statutory or health organisation: the voluntary/community and
    faith sectors it has no direct link to; for each voluntary/community or
    faith organisation, the same towards statutory and health. Candidates are
    organisations of a missing sector scored by a connector who knows both
    (3 each), the same ward (2) and offers in common (1 each).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("council", name="Council", actor_type="organisation", sector="statutory", ward="A")
    >>> G.add_node("club", name="Club", actor_type="organisation", sector="voluntary_community", ward="A")
    >>> [(u.organisation.name, u.missing, [c.organisation.name for c in u.candidates])
    ...  for u in unpartnered_organisations(G)][:1]
    [('Council', ['voluntary_community'], ['Club'])]
    """
    offers = offers or {}
    sector_of = {n: d.get("sector") for n, d in G.nodes(data=True) if d.get("actor_type") == "organisation"}
    by_sector: dict[str, list[Hashable]] = defaultdict(list)
    for node, sector in sector_of.items():
        by_sector[sector].append(node)
    present = set(by_sector)
    found = []
    for node, sector in sorted(sector_of.items(), key=lambda item: str(item[0])):
        if sector in PUBLIC_SECTORS:
            other_side = [s for s in COMMUNITY_SECTORS if s in present]
        elif sector in COMMUNITY_SECTORS:
            other_side = [s for s in PUBLIC_SECTORS if s in present]
        else:
            continue
        partners = {sector_of.get(n) for n in G[node]}
        missing = sorted(s for s in other_side if s not in partners)
        if not missing:
            continue
        mine = set(offers.get(str(node), ()))
        knowers = {n for n in G[node] if PersonRole.CONNECTOR.value in (G.nodes[n].get("roles") or [])}
        scored = []
        for sector_missing in missing:
            for other in by_sector[sector_missing]:
                reasons, score = [], 0
                shared_connectors = sorted(str(G.nodes[c].get("name", c)) for c in knowers if G.has_edge(c, other))
                if shared_connectors:
                    score += 3 * len(shared_connectors)
                    reasons.append("both known to " + ", ".join(shared_connectors[:2]))
                if G.nodes[node].get("ward") and G.nodes[node].get("ward") == G.nodes[other].get("ward"):
                    score += 2
                    reasons.append(f"both in {G.nodes[node]['ward']}")
                common = sorted(mine & set(offers.get(str(other), ())))
                if common:
                    score += len(common)
                    reasons.append("both offer " + ", ".join(common[:3]))
                scored.append((-score, str(G.nodes[other].get("name", other)), str(other), other, reasons, score))
        scored.sort()
        found.append(
            Unpartnered(
                named(G, node), sector, missing, len(missing) == len(other_side),
                [PartnerCandidate(named(G, other), reasons, score) for *_k, other, reasons, score in scored[:candidates]],
            )
        )
    side = PUBLIC_SECTORS + COMMUNITY_SECTORS
    return sorted(found, key=lambda u: (side.index(u.sector), u.organisation.name.casefold(), u.organisation.id))


# ------------------------------------------------------- single points of failure


@dataclass(frozen=True)
class Departure:
    """What happens if one person or organisation leaves: who is cut off, and one backup link."""

    actor: Named
    cut_off: list[Named]
    backup: tuple[Named, Named] | None
    backup_reason: str

    @property
    def is_single_point(self) -> bool:
        """True when anyone would lose their only link to the rest."""
        return bool(self.cut_off)


def _backup(G: nx.Graph, node: Hashable, cut: set[Hashable], kept: set[Hashable]) -> tuple[tuple[Named, Named] | None, str]:
    """A link from someone cut off to someone kept: both known to ``node`` when possible, same ward first."""
    inner = [n for n in G[node] if n in cut] or sorted(cut, key=str)
    outer = [n for n in G[node] if n in kept] or [n for n in kept if n != node]
    if not inner or not outer:
        return None, ""

    def fit(pair: tuple[Hashable, Hashable]) -> tuple:
        a, b = pair
        same = G.nodes[a].get("ward") is not None and G.nodes[a].get("ward") == G.nodes[b].get("ward")
        connector = PersonRole.CONNECTOR.value in (G.nodes[b].get("roles") or [])
        return (not same, not connector, -G.degree(b), -G.degree(a), str(a), str(b))

    a, b = min(((a, b) for a in inner for b in outer[:200]), key=fit)
    name = G.nodes[node].get("name", node)
    both = G.has_edge(node, a) and G.has_edge(node, b)
    reason = f"both know {name}" if both else f"keeps {G.nodes[a].get('name', a)}'s group linked"
    if G.nodes[a].get("ward") and G.nodes[a].get("ward") == G.nodes[b].get("ward"):
        reason += f"; both in {G.nodes[a]['ward']}"
    return (named(G, a), named(G, b)), reason


def departure(G: nx.Graph, node: Hashable) -> Departure:
    """Who would lose their only link to the rest of the network if ``node`` left, and one backup link.

    "The rest" is the largest part of ``node``'s connected group left behind;
    everyone in the other parts is cut off.

    Examples
    --------
    >>> G = nx.Graph([("hub", "a"), ("hub", "b"), ("b", "c"), ("c", "hub")])
    >>> d = departure(G, "hub")
    >>> [n.id for n in d.cut_off], (d.backup[0].id, d.backup[1].id)
    (['a'], ('a', 'b'))
    """
    group = nx.node_connected_component(G, node) - {node}
    pieces = sorted(nx.connected_components(G.subgraph(group)), key=lambda p: (-len(p), min(map(str, p))))
    cut = {n for piece in pieces[1:] for n in piece}
    if not cut:
        return Departure(named(G, node), [], None, "")
    backup, reason = _backup(G, node, cut, set(pieces[0]))
    return Departure(named(G, node), _sort_names(named(G, n) for n in cut), backup, reason)


class _InSpans:
    """The actors in some spans of an order, without copying them: membership by position."""

    def __init__(self, order: list[Hashable], position: Mapping[Hashable, int], spans: list[tuple[int, int]]) -> None:
        self.order, self.position, self.spans = order, position, spans

    def __contains__(self, node: object) -> bool:
        at = self.position.get(node)  # type: ignore[call-overload]
        return at is not None and any(a <= at < b for a, b in self.spans)

    def __iter__(self) -> Iterator[Hashable]:
        for a, b in self.spans:
            yield from self.order[a:b]


def failure_points(G: nx.Graph) -> list[Departure]:
    """Every single point of failure (a cut point), most people cut off first.

    Each is what :func:`departure` says of that actor, read for all of them
    at once from the pieces of the block-cut tree (:func:`~.gaps.cut_pieces`,
    linear in the network) instead of a search of the network per cut point.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("d", "f"), ("e", "f")])
    >>> [(d.actor.id, [n.id for n in d.cut_off]) for d in failure_points(G)]
    [('c', ['a', 'b']), ('d', ['e', 'f'])]
    """
    found = cut_pieces(G)
    order = found.order
    position = {node: i for i, node in enumerate(order)}
    points = []
    for node, pieces in found.pieces.items():
        cut = {n for _size, spans in pieces[1:] for a, b in spans for n in order[a:b]}
        if not cut:
            continue
        backup, reason = _backup(G, node, cut, _InSpans(order, position, pieces[0][1]))  # type: ignore[arg-type]
        points.append(Departure(named(G, node), _sort_names(named(G, n) for n in cut), backup, reason))
    return sorted(points, key=lambda d: (-len(d.cut_off), d.actor.name.casefold(), d.actor.id))


# ------------------------------------------------------------ went nowhere


@dataclass(frozen=True)
class Stalled:
    """An introduction that went nowhere, and why it is listed."""

    introduction: Introduction
    why: str


def stalled_introductions(
    introductions: Iterable[Introduction],
    *,
    today: dt.date,
    days: int = 60,
    connector: str | None = None,
    purpose: str | None = None,
    target: str | None = None,
) -> list[Stalled]:
    """Introductions that went nowhere: declined, unknown, or no outcome ``days`` days after the date.

    Filters (connector id, purpose tag, target id) narrow the list; newest first.

    Examples
    --------
    >>> i = Introduction(introducer_id="c", subject_id="a", target_id="b", date=dt.date(2026, 1, 1))
    >>> [s.why for s in stalled_introductions([i], today=dt.date(2026, 3, 15))]
    ['no outcome recorded 73 days after the introduction']
    >>> stalled_introductions([i], today=dt.date(2026, 1, 30))
    []
    """
    found = []
    for intro in introductions:
        if connector and intro.introducer_id != connector:
            continue
        if purpose and purpose not in intro.purposes:
            continue
        if target and intro.target_id != target:
            continue
        if intro.date > today:
            continue
        age = (today - intro.date).days
        if intro.status == IntroStatus.DECLINED:
            why = "declined"
        elif intro.status == IntroStatus.UNKNOWN:
            why = "outcome unknown"
        elif intro.status != IntroStatus.FOLLOWED_UP and not intro.outcome and age >= days:
            why = f"no outcome recorded {age} days after the introduction"
        else:
            continue
        found.append(Stalled(intro, why))
    return sorted(found, key=lambda s: (-s.introduction.date.toordinal(), s.introduction.id))


def most_declining(introductions: Iterable[Introduction], *, top: int = 10) -> list[tuple[str, int, int]]:
    """Targets that decline most: ``(target id, declined, introductions to them)``, most declines first.

    Examples
    --------
    >>> i = Introduction(introducer_id="c", subject_id="a", target_id="o", date=dt.date(2026, 1, 1), status="declined")
    >>> most_declining([i, i.model_copy(update={"status": IntroStatus.MADE})])
    [('o', 1, 2)]
    """
    declined: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for intro in introductions:
        total[intro.target_id] += 1
        declined[intro.target_id] += intro.status == IntroStatus.DECLINED
    ranked = sorted((t for t in declined if declined[t]), key=lambda t: (-declined[t], -total[t], t))
    return [(t, declined[t], total[t]) for t in ranked[:top]]

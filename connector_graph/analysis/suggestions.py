"""Suggestions: introductions worth making next, each with its reasons in words.

- :func:`suggest_for_person`: organisations and people matching a person's
  interests or needs, in their ward or a neighbouring one, with the connector
  who could introduce them;
- :func:`suggest_links`: pairs not yet linked who share many contacts
  (textbook Adamic-Adar: a shared contact counts more when they know fewer
  people); the product's network-wide list is
  :meth:`~connector_graph.analysis.person_suggestions.Suggester.across`;
- :func:`bridge_candidates`: for two communities with no tie between them,
  who could best link them.

Neighbouring wards are wards with at least one tie between them (the network
knows no map). Tags match when they share a word (``"gardening"`` matches
``"community gardening"``), ignoring short filler words.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping

import networkx as nx

from ..model import Actor, Introduction, Organisation, Person, PersonRole
from .communities import Partition

__all__ = [
    "Suggestion",
    "LinkSuggestion",
    "BridgeCandidate",
    "neighbouring_wards",
    "matching_tags",
    "suggest_for_person",
    "suggest_links",
    "bridge_candidates",
    "unlinked_community_pairs",
]

_FILLER = frozenset({"and", "the", "for", "with", "of", "to", "in", "on", "a", "an", "at", "or", "club", "group"})


@dataclass(frozen=True)
class Suggestion:
    """Someone (or an organisation) a person could be introduced to, and why."""

    target_id: str
    target_name: str
    target_type: str
    ward: str | None
    matched: list[str]
    introducer_id: str | None
    introducer_name: str | None
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class LinkSuggestion:
    """Two actors not linked who share contacts."""

    a_id: str
    a_name: str
    b_id: str
    b_name: str
    shared: list[str]
    score: float
    reason: str


@dataclass(frozen=True)
class BridgeCandidate:
    """Who could link two communities, and why."""

    ids: list[str]
    names: list[str]
    score: float
    reason: str


def neighbouring_wards(G: nx.Graph) -> dict[str, set[str]]:
    """Each ward's neighbours: the wards it has at least one tie with.

    Examples
    --------
    >>> G = nx.Graph(); G.add_node("a", ward="X"); G.add_node("b", ward="Y"); G.add_edge("a", "b")
    >>> neighbouring_wards(G)
    {'X': {'Y'}, 'Y': {'X'}}
    """
    out: dict[str, set[str]] = defaultdict(set)
    for u, v in G.edges():
        a, b = G.nodes[u].get("ward"), G.nodes[v].get("ward")
        if a and b and a != b:
            out[a].add(b)
            out[b].add(a)
    return {ward: out[ward] for ward in sorted(out)}


def _words(tag: str) -> set[str]:
    return {w for w in tag.replace("-", " ").split() if len(w) > 2 and w not in _FILLER}


def matching_tags(wanted: Iterable[str], offered: Iterable[str]) -> list[str]:
    """The ``wanted`` tags that share a word with some ``offered`` tag, in order.

    Examples
    --------
    >>> matching_tags(["gardening", "company", "chess"], ["community gardening", "lunch club"])
    ['gardening']
    """
    offered_words = set().union(*(_words(t) for t in offered)) if offered else set()
    return [tag for tag in wanted if _words(tag) & offered_words]


def _offers(actor: Actor) -> list[str]:
    if isinstance(actor, Organisation):
        return [*actor.offers, *actor.spaces]
    return [*actor.gifts, *actor.skills, *actor.interests]


def offered_words(actor: Actor) -> set[str]:
    """The words of what an actor offers (organisations: offers and spaces; people: gifts, skills, interests).

    Examples
    --------
    >>> from connector_graph.model import Organisation
    >>> sorted(offered_words(Organisation(name="Hub", sector="faith", offers=["lunch club", "knit and natter"])))
    ['knit', 'lunch', 'natter']
    """
    return set().union(*(_words(t) for t in _offers(actor))) if _offers(actor) else set()


def wanted_words(actor: Actor) -> set[str]:
    """The words of what a person is looking for (interests and needs); nothing for organisations.

    Examples
    --------
    >>> from connector_graph.model import Person
    >>> sorted(wanted_words(Person(name="Ann", interests=["gardening"], needs=["getting out more"])))
    ['gardening', 'getting', 'more', 'out']
    """
    if not isinstance(actor, Person):
        return set()
    tags = [*actor.interests, *actor.needs]
    return set().union(*(_words(t) for t in tags)) if tags else set()


def _is_connector(G: nx.Graph, node: Hashable) -> bool:
    return PersonRole.CONNECTOR.value in G.nodes[node].get("roles", [])


def suggest_for_person(
    G: nx.Graph,
    actors: Mapping[str, Actor],
    person_id: str,
    *,
    top: int = 10,
    include_people: bool = True,
    introductions: Iterable[Introduction] | None = None,
) -> list[Suggestion]:
    """Who ``person_id`` could be introduced to, best first, each with its reasons.

    Combines shared contacts (introduction-only links weighed by how the
    introductions went), standing in the person's ward, shared interests and
    gifts for needs; see :mod:`connector_graph.analysis.person_suggestions`.
    Current links, people out of analysis and declined introductions are
    never suggested. The introducer is the connector best placed: one who
    knows both (the strongest and most recent links first), else one who
    knows either, else a connector in the person's ward.

    Parameters
    ----------
    actors
        Every actor by id (for tags), e.g. ``{a.id: a for a in store.iter_actors()}``.
    include_people
        When false, organisations only.
    introductions
        The store's introductions (optional), to weigh introduction links by
        outcome and leave out declined pairs.

    Examples
    --------
    >>> from connector_graph.model import Person, Organisation
    >>> ann = Person(id="ann", name="Ann", ward="X", interests=["gardening"])
    >>> cat = Person(id="cat", name="Cath", ward="X", roles=["connector"])
    >>> club = Organisation(id="club", name="Garden Club", sector="voluntary_community", ward="X",
    ...                     offers=["community gardening"])
    >>> G = nx.Graph()
    >>> for a in (ann, cat, club):
    ...     G.add_node(a.id, name=a.name, ward=a.ward, actor_type=a.actor_type,
    ...                roles=[r.value for r in getattr(a, "roles", [])])
    >>> G.add_edge("ann", "cat", kinds=["knows"]); G.add_edge("cat", "club", kinds=["attends"])
    >>> s = suggest_for_person(G, {a.id: a for a in (ann, cat, club)}, "ann")[0]
    >>> s.target_id, s.introducer_id, s.reasons[-1]
    ('club', 'cat', 'Cath knows both')
    """
    from .person_suggestions import Suggester

    if not isinstance(actors.get(person_id), Person):
        raise ValueError(f"{person_id!r} is not a person in the network")
    found = Suggester(G, actors, introductions).for_person(person_id, top=top if include_people else len(G))
    if not include_people:
        found = [s for s in found if s.target_type != "person"][:top]
    return found


def suggest_links(G: nx.Graph, top: int = 20, *, max_hub: int = 200, people_only: bool = True) -> list[LinkSuggestion]:
    """Unlinked pairs with the most shared contacts, by Adamic-Adar score.

    Each shared contact adds ``1 / log(their number of links)``. The reason
    names the contacts both have a recorded tie with ("both know"); a pair
    linked only through logged introductions says so instead. Contacts
    with more than ``max_hub`` links are skipped: they add little to any
    one pair and would make the search quadratic in their size.

    Examples
    --------
    >>> G = nx.Graph([("a", "x"), ("b", "x"), ("a", "y"), ("b", "y"), ("x", "y")])
    >>> [(s.a_id, s.b_id, s.shared) for s in suggest_links(G, top=1, people_only=False)]
    [('a', 'b', ['x', 'y'])]
    """
    scores: dict[tuple[str, str], float] = defaultdict(float)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    tied: dict[tuple[str, str], list[str]] = defaultdict(list)  # shared contacts by recorded ties on both sides

    def eligible(node: Hashable) -> bool:
        return not people_only or G.nodes[node].get("actor_type", "person") == "person"

    for w in G:
        degree = G.degree(w)
        if degree < 2 or degree > max_hub:
            continue
        weight = 1.0 / math.log(degree)
        contacts = sorted((str(n), n) for n in G[w] if eligible(n))
        for i, (a_key, a) in enumerate(contacts):
            for b_key, b in contacts[i + 1 :]:
                if G.has_edge(a, b):
                    continue
                scores[(a_key, b_key)] += weight
                shared[(a_key, b_key)].append(str(w))
                if G[w][a].get("kinds", True) and G[w][b].get("kinds", True):
                    tied[(a_key, b_key)].append(str(w))
    by_key = {str(n): n for n in G}
    best = sorted(scores, key=lambda pair: (-scores[pair], pair))[:top]
    out = []
    for a, b in best:
        known = tied.get((a, b)) or shared[(a, b)]
        names = [str(G.nodes[by_key[x]].get("name", x)) for x in known]
        listed = ", ".join(sorted(names)[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        reason = (f"not linked yet, but both know {listed}" if tied.get((a, b))
                  else f"not linked yet, but introductions linked both with {listed}")
        out.append(
            LinkSuggestion(
                a,
                str(G.nodes[by_key[a]].get("name", a)),
                b,
                str(G.nodes[by_key[b]].get("name", b)),
                sorted(shared[(a, b)]),
                round(scores[(a, b)], 6),
                reason,
            )
        )
    return out


def unlinked_community_pairs(G: nx.Graph, partition: Partition) -> list[tuple[int, int]]:
    """Pairs of communities (by number) with no tie between them.

    Examples
    --------
    >>> from connector_graph.analysis.communities import detect_communities
    >>> G = nx.Graph([("a", "b"), ("c", "d")])
    >>> unlinked_community_pairs(G, detect_communities(G))
    [(1, 2)]
    """
    linked = set()
    for u, v in G.edges():
        a, b = partition.membership.get(str(u)), partition.membership.get(str(v))
        if a is not None and b is not None and a != b:
            linked.add((min(a, b), max(a, b)))
    numbers = [c.number for c in partition.communities]
    return [(a, b) for i, a in enumerate(numbers) for b in numbers[i + 1 :] if (a, b) not in linked]


def bridge_candidates(G: nx.Graph, partition: Partition, first: int, second: int, top: int = 5) -> list[BridgeCandidate]:
    """Who could best link communities ``first`` and ``second``.

    Actors outside both who already know people in each come first (scored
    by the smaller of their two link counts). Otherwise the pair of the
    best-linked actors of each community (connectors preferred) is proposed
    for an introduction.

    Examples
    --------
    >>> from connector_graph.analysis.communities import Partition, Community
    >>> G = nx.Graph([("a1", "a2"), ("b1", "b2"), ("m", "a1"), ("m", "b1")])
    >>> part = Partition([Community(1, ["a1", "a2"], 2, None, 1), Community(2, ["b1", "b2"], 2, None, 1),
    ...                   Community(3, ["m"], 1, None, 0)], 0.0, "networkx", 0,
    ...                  {"a1": 1, "a2": 1, "b1": 2, "b2": 2, "m": 3})
    >>> bridge_candidates(G, part, 1, 2)[0].ids
    ['m']
    """
    by_key = {str(n): n for n in G}
    members = {c.number: [by_key[m] for m in c.members if m in by_key] for c in partition.communities}
    if first not in members or second not in members:
        raise ValueError(f"no community numbered {first if first not in members else second}")

    def name(node: Hashable) -> str:
        return str(G.nodes[node].get("name", node))

    reach: dict[Hashable, Counter[int]] = defaultdict(Counter)
    for side in (first, second):
        for node in members[side]:
            for other in G[node]:
                if partition.membership.get(str(other)) not in (first, second):
                    reach[other][side] += 1
    found = [
        BridgeCandidate(
            [str(node)],
            [name(node)],
            float(min(counts[first], counts[second])),
            f"{name(node)} already knows {counts[first]} in community {first} and {counts[second]} in "
            f"community {second}, and could introduce people across",
        )
        for node, counts in reach.items()
        if counts[first] and counts[second]
    ]
    found.sort(key=lambda c: (-c.score, c.ids))
    if found:
        return found[:top]

    def best(side: int) -> list[Hashable]:
        return sorted(members[side], key=lambda n: (not _is_connector(G, n), -G.degree(n), str(n)))

    pairs = []
    for a in best(first)[:top]:
        for b in best(second)[:top]:
            pairs.append(
                BridgeCandidate(
                    [str(a), str(b)],
                    [name(a), name(b)],
                    float(G.degree(a) + G.degree(b)),
                    f"no one links communities {first} and {second} yet; introducing {name(a)} "
                    f"({G.degree(a)} links) to {name(b)} ({G.degree(b)} links) would connect them",
                )
            )
    pairs.sort(key=lambda c: (-c.score, c.ids))
    return pairs[:top]

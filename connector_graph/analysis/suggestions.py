"""Suggestions: introductions worth making next, each with its reasons in words.

- :func:`suggest_for_person`: organisations and people matching a person's
  interests or needs, in their ward or a neighbouring one, with the connector
  who could introduce them;
- :func:`suggest_links`: pairs not yet linked who share many contacts
  (Adamic-Adar: a shared contact counts more when they know fewer people);
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

from ..model import Actor, Organisation, Person, PersonRole
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
) -> list[Suggestion]:
    """Who ``person_id`` could be introduced to, best first.

    A candidate must match at least one of the person's interests or needs
    (organisations by what they offer, people by their gifts, skills and
    interests), be in the person's ward or a neighbouring one (or have no
    ward), and not be linked to them yet. The suggested introducer is a
    connector who already knows both; else one who knows the person; else
    one who knows the candidate; else any connector in the person's ward.

    Parameters
    ----------
    actors
        Every actor by id (for tags), e.g. ``{a.id: a for a in store.iter_actors()}``.

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
    >>> G.add_edge("ann", "cat"); G.add_edge("cat", "club")
    >>> s = suggest_for_person(G, {a.id: a for a in (ann, cat, club)}, "ann")[0]
    >>> s.target_id, s.introducer_id, s.reasons[0]
    ('club', 'cat', 'offers what Ann is interested in: gardening')
    """
    person = actors.get(person_id)
    if not isinstance(person, Person):
        raise ValueError(f"{person_id!r} is not a person in the network")
    wanted = {"interested in": list(person.interests), "looking for": list(person.needs)}
    if not any(wanted.values()):
        return []
    near = neighbouring_wards(G).get(person.ward, set()) if person.ward else set()
    linked = set(G[person_id]) if person_id in G else set()
    connectors_by_ward: dict[str | None, list[str]] = defaultdict(list)
    for node in G:
        if _is_connector(G, node):
            connectors_by_ward[G.nodes[node].get("ward")].append(str(node))
    found = []
    for candidate_id, candidate in sorted(actors.items()):
        if candidate_id == person_id or candidate_id in linked:
            continue
        if isinstance(candidate, Person) and not include_people:
            continue
        if candidate.ward and person.ward and candidate.ward != person.ward and candidate.ward not in near:
            continue
        offered = _offers(candidate)
        reasons, matched = [], []
        for phrase, tags in wanted.items():
            hits = matching_tags(tags, offered)
            if hits:
                matched.extend(hits)
                verb = "offers" if isinstance(candidate, Organisation) else "shares or can help with"
                reasons.append(f"{verb} what {person.name} is {phrase}: {', '.join(hits)}")
        if not matched:
            continue
        score = float(len(matched))
        if candidate.ward and candidate.ward == person.ward:
            score += 1.0
            reasons.append(f"in the same ward ({candidate.ward})")
        elif candidate.ward and candidate.ward in near:
            score += 0.5
            reasons.append(f"in a neighbouring ward ({candidate.ward})")
        introducer = _introducer(G, person_id, candidate_id, connectors_by_ward.get(person.ward, []))
        if introducer is not None:
            who, how = introducer
            reasons.append(how)
            score += 0.5 if "both" in how else 0.0
        found.append(
            Suggestion(
                target_id=candidate_id,
                target_name=candidate.name,
                target_type=candidate.actor_type,
                ward=candidate.ward,
                matched=matched,
                introducer_id=introducer[0] if introducer else None,
                introducer_name=G.nodes[introducer[0]].get("name") if introducer else None,
                score=score,
                reasons=reasons,
            )
        )
    found.sort(key=lambda s: (-s.score, s.target_id))
    return found[:top]


def _introducer(G: nx.Graph, person: str, candidate: str, local: list[str]) -> tuple[str, str] | None:
    def name(node: str) -> str:
        return str(G.nodes[node].get("name", node))

    mine = sorted(str(n) for n in (G[person] if person in G else ()) if _is_connector(G, n))
    theirs = sorted(str(n) for n in (G[candidate] if candidate in G else ()) if _is_connector(G, n))
    both = [n for n in mine if n in set(theirs)]
    if both:
        return both[0], f"{name(both[0])} knows both and could introduce them"
    if mine:
        return mine[0], f"{name(mine[0])} knows {name(person)} and could make the introduction"
    if theirs:
        return theirs[0], f"{name(theirs[0])} knows {name(candidate)} and could make the introduction"
    others = [n for n in sorted(local) if n not in (person, candidate)]
    if others:
        return others[0], f"{name(others[0])} is a connector in the same ward"
    return None


def suggest_links(G: nx.Graph, top: int = 20, *, max_hub: int = 200, people_only: bool = True) -> list[LinkSuggestion]:
    """Unlinked pairs with the most shared contacts, by Adamic-Adar score.

    Each shared contact adds ``1 / log(their number of links)``. Contacts
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
    by_key = {str(n): n for n in G}
    best = sorted(scores, key=lambda pair: (-scores[pair], pair))[:top]
    out = []
    for a, b in best:
        names = [str(G.nodes[by_key[x]].get("name", x)) for x in shared[(a, b)]]
        listed = ", ".join(sorted(names)[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        out.append(
            LinkSuggestion(
                a,
                str(G.nodes[by_key[a]].get("name", a)),
                b,
                str(G.nodes[by_key[b]].get("name", b)),
                sorted(shared[(a, b)]),
                round(scores[(a, b)], 6),
                f"not linked yet, but both know {listed}",
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

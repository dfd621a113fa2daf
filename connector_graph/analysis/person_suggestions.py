"""Who a person could be introduced to next: every signal the network holds, each explained.

A :class:`Suggester` indexes a projected graph once (who knows whom, how
strongly, wards, what everyone offers and wants) and then ranks candidates
for any person in milliseconds. A candidate's score adds:

- **shared contacts** (resource allocation over the graph: each contact the
  two share adds ``strength(person, contact) * strength(contact, candidate)
  / links(contact)``, so a contact who knows few people counts more). A
  recorded tie has strength 1; a link made only by introductions counts by
  how they went (a positive outcome 1, happened 0.7, planned or unknown 0.3,
  declined 0.1);
- **local standing**: candidates in the person's own ward, by how well
  linked they are there (``log(1 + links)``): most new ties in a
  neighbourhood go to the places and people many already know;
- **shared interests and gifts for needs** (ABCD): each of the person's
  interests or needs that the candidate offers, and each of the candidate's
  needs the person's gifts or skills meet;
- **a neighbouring ward** (one with a tie to the person's ward) adds a little.

Excluded: the person's current links, people whose consent was withdrawn or
whose processing is restricted (not in the graph), pairs already introduced
whose introduction was declined. The weights were chosen on held-out ties of
the seeded demo network (``bench/suggest_eval.py``, other seeds than the ones
reported) and kept when they also held on the published networks.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping

import networkx as nx

from ..model import Actor, Introduction, IntroStatus, Person, PersonRole
from .suggestions import Suggestion, _offers, _words, neighbouring_wards, offered_words, wanted_words

__all__ = ["Weights", "Suggester", "PairSuggestion", "intro_strength"]

#: Tie kinds that mean "goes to" an organisation.
_ATTENDING = frozenset({"attends", "member_of", "volunteers_at"})


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in a candidate's score."""

    structure: float = 1.0
    same_ward: float = 0.25
    near_ward: float = 0.0
    interest: float = 0.08
    gift_for_need: float = 0.08
    standing_cap: int = 400
    #: Network-wide list only: added per share of the person's contacts the candidate also knows.
    shared_share: float = 0.03


@dataclass(frozen=True)
class PairSuggestion:
    """One entry of the network-wide list: introduce ``a`` (a person) to ``b``, and why."""

    a_id: str
    a_name: str
    b_id: str
    b_name: str
    b_type: str
    score: float
    reasons: list[str]
    introducer_id: str | None
    introducer_name: str | None


def intro_strength(intro: Introduction) -> float:
    """How much a link made by this introduction counts, by its status and outcome.

    Examples
    --------
    >>> import datetime as dt
    >>> i = Introduction(introducer_id="c", subject_id="a", target_id="b", date=dt.date(2025, 1, 1),
    ...                  status="declined")
    >>> intro_strength(i)
    0.1
    """
    if intro.status == IntroStatus.DECLINED:
        return 0.1
    if intro.status.happened:
        return 1.0 if intro.outcome and intro.status == IntroStatus.FOLLOWED_UP and "not" not in intro.outcome else 0.7
    return 0.3


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class Suggester:
    """Ranks introductions for any person of one projected graph.

    Parameters
    ----------
    G
        The analysis graph (``build_graph``); people kept out of analysis are
        not in it and so never suggested.
    actors
        Actors by id, for their tags.
    introductions
        The introductions behind the graph's links (optional): they weigh
        introduction-only links by outcome and rule out declined pairs.

    Examples
    --------
    >>> G = nx.Graph([("ann", "cat"), ("cat", "bea"), ("bea", "club")])
    >>> for n, t in [("ann", "person"), ("cat", "person"), ("bea", "person"), ("club", "organisation")]:
    ...     G.nodes[n].update(name=n.title(), actor_type=t, ward="X", roles=["connector"] if n == "cat" else [])
    >>> for u, v in G.edges: G[u][v].update(kinds=["knows"], weight=1)
    >>> [s.target_id for s in Suggester(G, {}).for_person("ann")]
    ['bea', 'club']
    """

    def __init__(
        self,
        G: nx.Graph,
        actors: Mapping[str, Actor],
        introductions: Iterable[Introduction] | None = None,
        *,
        weights: Weights = Weights(),
    ) -> None:
        self.G = G
        self.actors = actors
        self.w = weights
        self.by_key = {str(n): n for n in G}
        self.linked_by_intro: dict[tuple[str, str], float] = {}
        self.last_intro: dict[tuple[str, str], str] = {}
        self.declined: set[tuple[str, str]] = set()
        for intro in introductions or ():
            strength = intro_strength(intro)
            links = [(intro.introducer_id, intro.subject_id), (intro.introducer_id, intro.target_id)]
            if intro.status.happened:
                links.append((intro.subject_id, intro.target_id))
            for a, b in links:
                key = _pair(a, b)
                self.linked_by_intro[key] = max(self.linked_by_intro.get(key, 0.0), strength)
                self.last_intro[key] = max(self.last_intro.get(key, ""), intro.date.isoformat())
            if intro.status == IntroStatus.DECLINED:
                self.declined.add(_pair(intro.subject_id, intro.target_id))
        self._link_cache: dict[str, list[tuple[str, float]]] = {}
        self.ward_members: dict[str, list[str]] = defaultdict(list)
        self.ward_of: dict[str, str] = {}
        self.standing: dict[str, float] = {}
        for node, ward in G.nodes(data="ward"):
            self.standing[str(node)] = self._standing(node)
            if ward:
                self.ward_members[ward].append(str(node))
                self.ward_of[str(node)] = ward
        # each ward's members by standing, best first: the ward-only candidates are taken from the top
        self.ward_ranked = {ward: sorted(keys, key=lambda k: (-self.standing[k], k))
                            for ward, keys in self.ward_members.items()}
        self.near = neighbouring_wards(G)
        self.offering: dict[str, list[str]] = defaultdict(list)
        self.needing: dict[str, list[str]] = defaultdict(list)
        for actor_id, actor in actors.items():
            if actor_id not in self.by_key:
                continue
            for word in offered_words(actor):
                self.offering[word].append(actor_id)
            if isinstance(actor, Person):
                for word in {w for tag in actor.needs for w in _words(tag)}:
                    self.needing[word].append(actor_id)

    # ------------------------------------------------------------ signals

    def strength(self, a: Hashable, b: Hashable) -> float:
        """How much the link between ``a`` and ``b`` counts (1 for a recorded tie)."""
        data = self.G[a][b]
        if data.get("kinds"):
            return 1.0
        return self.linked_by_intro.get(_pair(str(a), str(b)), 0.5)

    def _links(self, key: str) -> list[tuple[str, float]]:
        """``key``'s contacts with the strength of each link, worked out once per actor."""
        found = self._link_cache.get(key)
        if found is None:
            node = self.by_key[key]
            found = [(str(z), self.strength(node, z)) for z in self.G[node]]
            self._link_cache[key] = found
        return found

    def _standing(self, node: Hashable) -> float:
        return math.log1p(min(self.G.degree(node), self.w.standing_cap))

    def for_person(self, person_id: str, *, top: int = 10, explain: bool = True) -> list[Suggestion]:
        """The best ``top`` introductions for ``person_id``, best first (ties broken by id).

        ``explain=False`` skips the reasons and the introducer (for scoring runs).
        Raises ``ValueError`` when ``person_id`` is not a person in the graph.
        """
        G, w = self.G, self.w
        node = self.by_key.get(person_id)
        if node is None or G.nodes[node].get("actor_type", "person") != "person":
            raise ValueError(f"{person_id!r} is not a person in the network")
        links = self._links(person_id)
        linked = {key for key, _strength in links}
        score: dict[str, float] = defaultdict(float)
        shared: dict[str, list[str]] = defaultdict(list)
        for z, first in links:
            around = self._links(z)
            spread = len(around)
            for key, second in around:
                if key == person_id or key in linked:
                    continue
                score[key] += w.structure * first * second / spread
                if explain:
                    shared[key].append(z)
        person = self.actors.get(person_id)
        wants: dict[str, list[str]] = defaultdict(list)
        meets: dict[str, list[str]] = defaultdict(list)
        if person is not None:
            for word in wanted_words(person):
                for key in self.offering.get(word, ()):
                    wants[key].append(word)
            gifts = {word for tag in [*person.gifts, *person.skills] for word in _words(tag)} if isinstance(
                person, Person) else set()
            for word in gifts:
                for key in self.needing.get(word, ()):
                    meets[key].append(word)
        matched = set(wants) | set(meets)
        ward = G.nodes[node].get("ward")
        if ward:
            # Standing for every candidate in the ward; of those with nothing else going for them, only
            # the best ``top`` by standing can make the list, so the rest are not scored at all.
            for key in set(score) | matched:
                if self.ward_of.get(key) == ward and key != person_id and key not in linked:
                    score[key] += w.same_ward * self.standing[key]
            room = top
            for key in self.ward_ranked.get(ward, ()):
                if room <= 0:
                    break
                if key == person_id or key in linked or key in matched or key in score:
                    continue
                if _pair(person_id, key) in self.declined:
                    continue
                score[key] += w.same_ward * self.standing[key]
                room -= 1
        near = self.near.get(ward, set()) if ward else set()
        for key in matched:
            if key == person_id or key in linked:
                continue
            score[key] += w.interest * len(set(wants.get(key, ()))) + w.gift_for_need * len(set(meets.get(key, ())))
        if near:
            for key in score:
                if G.nodes[self.by_key[key]].get("ward") in near:
                    score[key] += w.near_ward * self.standing[key]
        for key in [k for k in score if _pair(person_id, k) in self.declined]:
            del score[key]
        best = sorted(score.items(), key=lambda item: (-item[1], item[0]))[:top]
        return [self._suggestion(person_id, key, value, shared.get(key, []), explain) for key, value in best]

    def across(
        self, people: Iterable[str] | None = None, *, top: int = 20, per_person: int = 50, explain: bool = True
    ) -> list[PairSuggestion]:
        """The network-wide list: the best ``top`` introductions among ``people`` (default: every person).

        Each person's best ``per_person`` suggestions are pooled and ranked
        by their score plus ``shared_share`` (0.03) times the share of the
        person's contacts the candidate also knows (so that, across people,
        a pair sharing most of one side's contacts comes before one sharing
        a sliver of a busy person's); a pair found from both ends is listed
        once, from the end that ranks it higher (ties broken by ids). The
        reasons are the per-person ones, from that end. ``explain=False`` skips reasons and
        introducers (for scoring runs). This is the list the hold-out bench
        (``bench/suggest_eval.py``) measures as "network-wide".

        Examples
        --------
        >>> G = nx.Graph([("ann", "cat"), ("cat", "bea")])
        >>> for n in G: G.nodes[n].update(name=n.title(), actor_type="person", ward="X")
        >>> for u, v in G.edges: G[u][v].update(kinds=["knows"], weight=1)
        >>> [(s.a_id, s.b_id, s.reasons[0]) for s in Suggester(G, {}).across()]
        [('ann', 'bea', 'both know Cat')]
        """
        G = self.G
        if people is None:
            people = sorted(str(n) for n, kind in G.nodes(data="actor_type", default="person") if kind == "person")
        pooled: list[tuple[float, str, str]] = []
        for person_id in people:
            mine = set(G[self.by_key[person_id]])
            spread = max(1, len(mine))
            pooled += [(-(s.score + self.w.shared_share * len(mine & set(G[self.by_key[s.target_id]])) / spread),
                        person_id, s.target_id)
                       for s in self.for_person(person_id, top=per_person, explain=False)]
        pooled.sort()
        seen: set[tuple[str, str]] = set()
        out: list[PairSuggestion] = []
        for negative, person_id, key in pooled:
            if len(out) == top:
                break
            if _pair(person_id, key) in seen:
                continue
            seen.add(_pair(person_id, key))
            out.append(self._pair_suggestion(person_id, key, -negative, explain))
        return out

    def _pair_suggestion(self, person_id: str, key: str, value: float, explain: bool) -> PairSuggestion:
        p, c = self.by_key[person_id], self.by_key[key]
        shared = sorted(str(z) for z in set(self.G[p]) & set(self.G[c])) if explain else []
        via = self._introducer(person_id, key, shared) if explain else None
        return PairSuggestion(
            a_id=person_id,
            a_name=self._name(person_id),
            b_id=key,
            b_name=self._name(key),
            b_type=str(self.G.nodes[c].get("actor_type", "person")),
            score=round(value, 6),
            reasons=self._reasons(person_id, key, shared, via) if explain else [],
            introducer_id=via,
            introducer_name=self._name(via) if via else None,
        )

    # ------------------------------------------------------------ wording

    def _name(self, key: str) -> str:
        return str(self.G.nodes[self.by_key[key]].get("name", key))

    def _suggestion(self, person_id: str, key: str, value: float, shared: list[str], explain: bool) -> Suggestion:
        data = self.G.nodes[self.by_key[key]]
        via = self._introducer(person_id, key, shared) if explain else None
        return Suggestion(
            target_id=key,
            target_name=str(data.get("name", key)),
            target_type=str(data.get("actor_type", "person")),
            ward=data.get("ward"),
            matched=self._matched(person_id, key) if explain else [],
            introducer_id=via,
            introducer_name=self._name(via) if via else None,
            score=round(value, 6),
            reasons=self._reasons(person_id, key, shared, via) if explain else [],
        )

    def _matched(self, person_id: str, key: str) -> list[str]:
        person, candidate = self.actors.get(person_id), self.actors.get(key)
        if not isinstance(person, Person) or candidate is None:
            return []
        offered = offered_words(candidate)
        return [tag for tag in [*person.interests, *person.needs] if _words(tag) & offered]

    def _reasons(self, person_id: str, key: str, shared: list[str], via: str | None) -> list[str]:
        G = self.G
        me, them = self._name(person_id), self._name(key)
        reasons = []
        tied = [z for z in shared if self._tied(z, person_id) and self._tied(z, key)]
        places = [z for z in tied if G.nodes[self.by_key[z]].get("actor_type") == "organisation"
                  and _ATTENDING & set(G[self.by_key[z]][self.by_key[person_id]].get("kinds", ()))
                  and _ATTENDING & set(G[self.by_key[z]][self.by_key[key]].get("kinds", ()))]
        if places:
            reasons.append(f"both go to {_listed([self._name(z) for z in places])}")
        people = [z for z in tied if z not in places]
        if people:
            reasons.append(f"both know {_listed([self._name(z) for z in people])}")
        introduced = [z for z in shared if z not in tied]
        if introduced:
            reasons.append(f"both are linked with {_listed([self._name(z) for z in introduced])} "
                           "(at least one of them only through a logged introduction)")
        person, candidate = self.actors.get(person_id), self.actors.get(key)
        if isinstance(person, Person) and candidate is not None:
            offered = offered_words(candidate)
            for label, tags in (("is interested in", person.interests), ("is looking for", person.needs)):
                hits = [t for t in tags if _words(t) & offered]
                if hits:
                    what = [t for t in _offers(candidate) if _words(t) & {w for h in hits for w in _words(h)}]
                    reasons.append(f"{them} offers {', '.join(what)}; {me} {label} {', '.join(hits)}")
            if isinstance(candidate, Person):
                mine = [*person.gifts, *person.skills]
                needs = [t for t in candidate.needs if _words(t) & {w for g in mine for w in _words(g)}]
                if needs:
                    gives = [g for g in mine if _words(g) & {w for n in needs for w in _words(n)}]
                    reasons.append(f"{me} offers {', '.join(gives)}; {them} is looking for {', '.join(needs)}")
        mine_ward = G.nodes[self.by_key[person_id]].get("ward")
        theirs = G.nodes[self.by_key[key]].get("ward")
        links = G.degree(self.by_key[key])
        if theirs and theirs == mine_ward:
            reasons.append(f"both in {theirs}" + (f", where {them} has {links} links" if links > 2 else ""))
        elif theirs and theirs in self.near.get(mine_ward, set()):
            reasons.append(f"in a neighbouring ward ({theirs})")
        if via:
            reasons.append(self._via_sentence(person_id, key, via))
        return reasons

    def _introducer(self, person_id: str, key: str, shared: list[str]) -> str | None:
        """The connector best placed: knows both (strongest, most recent), else one side, else the ward's."""
        G = self.G
        p, c = self.by_key[person_id], self.by_key[key]

        def is_connector(z: str) -> bool:
            return PersonRole.CONNECTOR.value in G.nodes[self.by_key[z]].get("roles", [])

        def rank(z: str, ends: tuple[Hashable, ...]) -> tuple:
            node = self.by_key[z]
            strength = sum(self.strength(node, e) * G[node][e].get("weight", 1) for e in ends)
            recent = max((self.last_intro.get(_pair(z, str(e)), "") for e in ends), default="")
            return (-strength, tuple(-ord(ch) for ch in recent), z)

        both = [z for z in shared if is_connector(z)]
        if both:
            return min(both, key=lambda z: rank(z, (p, c)))
        for end in (p, c):
            knows = [str(z) for z in G[end] if is_connector(str(z)) and str(z) not in (person_id, key)]
            if knows:
                return min(knows, key=lambda z: rank(z, (end,)))
        ward = G.nodes[p].get("ward")
        local = sorted(z for z in self.ward_members.get(ward, ()) if is_connector(z) and z not in (person_id, key))
        return local[0] if local else None

    def _tied(self, a: str, b: str) -> bool:
        """True when a recorded tie (not only a logged introduction) links ``a`` and ``b``."""
        x, y = self.by_key[a], self.by_key[b]
        return self.G.has_edge(x, y) and bool(self.G[x][y].get("kinds"))

    def _via_sentence(self, person_id: str, key: str, via: str) -> str:
        G = self.G
        knows_p, knows_c = self._tied(via, person_id), self._tied(via, key)
        if knows_p and knows_c:
            return f"{self._name(via)} knows both"
        linked_p = G.has_edge(self.by_key[via], self.by_key[person_id])
        linked_c = G.has_edge(self.by_key[via], self.by_key[key])
        if linked_p and linked_c:
            return f"{self._name(via)} is linked with both (through logged introductions) and could make the introduction"
        if knows_p or knows_c:
            return f"{self._name(via)} knows {self._name(person_id if knows_p else key)} and could make the introduction"
        if linked_p or linked_c:
            return (f"{self._name(via)} is linked with {self._name(person_id if linked_p else key)} through a logged "
                    "introduction and could make the introduction")
        return f"{self._name(via)} is a connector in the same ward"


def _listed(names: list[str]) -> str:
    names = sorted(names)
    if len(names) > 3:
        return ", ".join(names[:3]) + f" and {len(names) - 3} more"
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]

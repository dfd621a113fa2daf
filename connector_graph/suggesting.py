"""Suggested introductions for people named by id or exact name, straight from a store.

The one library call behind ``connector-graph suggest``: resolve each person,
project the store once (cached by graph version), index it once and rank
introductions for everyone asked for.
"""

from __future__ import annotations

from typing import Any, Sequence

from .analysis.person_suggestions import Suggester
from .errors import InvalidInput
from .graph import graph_for_analysis
from .model import Person
from .store.base import Store

__all__ = ["resolve_people", "suggestions_for", "network_suggestions"]


def resolve_people(keys: Sequence[str], people: Sequence[Person]) -> list[str]:
    """The person id each key names: an id, else a unique exact name (any case).

    Raises :class:`InvalidInput` with one line naming the first key that is
    not a person, names several people, or names someone out of analysis.
    """
    by_id = {p.id: p for p in people}
    by_name: dict[str, list[Person]] = {}
    for p in people:
        by_name.setdefault(p.name.casefold(), []).append(p)
    found = []
    for key in keys:
        match = by_id.get(key)
        if match is None:
            named = by_name.get(key.strip().casefold(), [])
            if len(named) > 1:
                ids = ", ".join(sorted(p.id for p in named))
                raise InvalidInput(f"{key!r} names {len(named)} people ({ids}): give an id instead")
            match = named[0] if named else None
        if match is None:
            raise InvalidInput(f"no person with id or name {key!r}")
        if not match.in_analysis:
            raise InvalidInput(f"{key!r} is kept out of analysis (consent withdrawn or processing restricted)")
        found.append(match.id)
    return found


def suggestions_for(store: Store, keys: Sequence[str], *, top: int = 10) -> dict[str, list[dict[str, Any]]]:
    """Each asked-for person's id mapped to their suggestions, best first.

    Every suggestion is ``{id, name, score, reasons, via}`` where ``via`` is
    ``{id, name}`` of the connector best placed to make it, or ``None``.
    Nothing is written.
    """
    actors = {a.id: a for a in store.iter_actors()}
    ids = resolve_people(keys, [a for a in actors.values() if isinstance(a, Person)])
    suggester = Suggester(graph_for_analysis(store), actors, store.iter_introductions())
    out: dict[str, list[dict[str, Any]]] = {}
    for person_id in ids:
        out[person_id] = [
            {
                "id": s.target_id,
                "name": s.target_name,
                "score": s.score,
                "reasons": s.reasons,
                "via": {"id": s.introducer_id, "name": s.introducer_name} if s.introducer_id else None,
            }
            for s in suggester.for_person(person_id, top=top)
        ]
    return out


def network_suggestions(store: Store, *, top: int = 20) -> list[dict[str, Any]]:
    """The network-wide list (every person's suggestions pooled, best first), as plain values.

    Each entry is ``{person, to, score, reasons, via}``: ``person`` and
    ``to`` are ``{id, name}``, ``via`` the connector best placed (``{id,
    name}``) or ``None``. The same list as the Suggestions page's
    (:meth:`~connector_graph.analysis.person_suggestions.Suggester.across`).
    Nothing is written.
    """
    G = graph_for_analysis(store)
    actors = {a.id: a for a in store.iter_actors() if a.id in G}
    return [
        {
            "person": {"id": s.a_id, "name": s.a_name},
            "to": {"id": s.b_id, "name": s.b_name},
            "score": s.score,
            "reasons": s.reasons,
            "via": {"id": s.introducer_id, "name": s.introducer_name} if s.introducer_id else None,
        }
        for s in Suggester(G, actors, store.iter_introductions()).across(top=top)
    ]

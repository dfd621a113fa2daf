"""Pickers that tell people apart: server-side search, ranked, with labels that disambiguate.

A picker never loads every actor: the text typed so far is searched in the
store (names containing it, then actors in a ward whose name matches) and
only a short ranked list comes back. Each option carries what tells it
apart: role or kind, ward, and one more detail (an organisation the person
belongs to, else the connector who introduced them most, else the date of
their latest introduction), plus a short id suffix only while two options
would still read the same.

The same labels name candidates when the command line refuses an
ambiguous name (:func:`resolve_actor`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable, Sequence

from ..auth import Permission, require
from ..errors import InvalidInput, NotFound
from ..lookalike import name_key
from ..model import Actor, Organisation, Person, PersonRole, TieKind
from ..store.base import IntroductionFilter, Store
from .directory import Choice

__all__ = [
    "Ambiguous",
    "INTRODUCER_ROLES",
    "rank",
    "search_choices",
    "choices_for",
    "resolve_actor",
    "uk_date",
]

#: Roles listed first when choosing who made an introduction.
INTRODUCER_ROLES = frozenset({PersonRole.CONNECTOR, PersonRole.WORKER})
#: How many name matches are read from the store before ranking.
_READ = 400
#: Ties that say a person belongs to an organisation, most telling first.
_BELONGS = (TieKind.WORKS_AT, TieKind.VOLUNTEERS_AT, TieKind.MEMBER_OF, TieKind.ATTENDS)


class Ambiguous(InvalidInput):
    """A name that fits several actors; the message lists them."""


def uk_date(day: dt.date | None) -> str:
    """A date as the UK writes it, e.g. ``12/11/2026`` (empty for none).

    Examples
    --------
    >>> uk_date(dt.date(2026, 11, 2))
    '02/11/2026'
    """
    return f"{day:%d/%m/%Y}" if day else ""


_NO_MATCH = 6


def _tier(actor: Actor, key: str, ward_hit: bool) -> int:
    name = name_key(actor.name)
    if name == key:
        return 0
    if name.startswith(key) or any(word.startswith(key) for word in name.split()):
        return 1
    if key in name:
        return 2 if isinstance(actor, Organisation) else 3
    if ward_hit:
        return 4 if isinstance(actor, Organisation) else 5
    return _NO_MATCH


def rank(
    actors: Iterable[Actor],
    text: str,
    *,
    wards: Iterable[str] = (),
    prefer: frozenset[PersonRole] = frozenset(),
) -> list[Actor]:
    """Order actors for the text typed: exact names, then names starting with it (or a word in them
    starting with it), then organisations whose names hold it, then people whose names hold it, then
    organisations and then people in the ``wards`` the text names. Within each group, people with a
    ``prefer`` role come first, then by name.

    Examples
    --------
    >>> from connector_graph.model import Organisation, Person
    >>> held = [Person(id="p-1", name="Ann Pudsey", ward="Armley"), Organisation(id="o-1", name="Pudsey Hub",
    ...         sector="voluntary_community", ward="Pudsey"), Person(id="p-2", name="Bob Lee", ward="Pudsey")]
    >>> [a.id for a in rank(held, "pudsey", wards=["Pudsey"])]
    ['p-1', 'o-1', 'p-2']
    """
    key = name_key(text)
    ward_set = {w.casefold() for w in wards}
    scored = []
    for actor in actors:
        ward_hit = bool(actor.ward) and actor.ward.casefold() in ward_set
        tier = _tier(actor, key, ward_hit) if key else 1
        if tier == _NO_MATCH:
            continue
        preferred = isinstance(actor, Person) and bool(prefer.intersection(actor.roles))
        scored.append(((tier, not preferred, actor.name.casefold(), actor.id), actor))
    return [actor for _, actor in sorted(scored, key=lambda item: item[0])]


def _wards_named(store: Store, key: str) -> list[str]:
    if len(key) < 3:
        return []
    return [w.name for w in store.list_wards() if key in name_key(w.name)]


def search_choices(
    store: Store,
    text: str,
    *,
    people_only: bool = False,
    prefer: frozenset[PersonRole] = frozenset(),
    limit: int = 8,
) -> list[Choice]:
    """The best ``limit`` actors for the text typed so far, as disambiguated picker options.

    Reads at most a few hundred name matches and, when those leave room,
    the actors of wards whose names hold the text; never the whole store.
    """
    require(Permission.VIEW)
    key = name_key(text)
    if not key:
        return []
    found: dict[str, Actor] = {a.id: a for a in store.search_actors(text.strip(), limit=_READ)}
    wards = _wards_named(store, key)
    if len(found) < limit:
        for ward in wards[:3]:
            if not people_only:
                found.update((o.id, o) for o in store.list_organisations(ward=ward, limit=limit))
            found.update((p.id, p) for p in store.list_people(ward=ward, limit=limit))
    actors = [a for a in found.values() if isinstance(a, Person) or not people_only]
    return _labelled(store, rank(actors, text, wards=wards, prefer=prefer)[:limit])


def choices_for(store: Store, actor_ids: Sequence[str]) -> list[Choice]:
    """Disambiguated options for known ids (an id no longer held is left out)."""
    require(Permission.VIEW)
    actors = []
    for actor_id in actor_ids:
        try:
            actors.append(store.get_actor(actor_id))
        except NotFound:
            continue
    return _labelled(store, actors)


def _name(store: Store, actor_id: str) -> str | None:
    try:
        return store.get_actor(actor_id).name
    except NotFound:
        return None


def _detail(store: Store, actor: Actor) -> str:
    """One more thing that tells this actor apart from another of the same name, role and ward."""
    if isinstance(actor, Organisation):
        return actor.sector.label
    ties = store.list_ties(actor.id)
    for kind in _BELONGS:
        for tie in ties:
            if tie.kind is kind and (name := _name(store, tie.target_id if tie.source_id == actor.id else tie.source_id)):
                return f"{kind.label} {name}"
    intros = store.list_introductions(IntroductionFilter(actor_id=actor.id))
    received = [i for i in intros if i.subject_id == actor.id]
    if received:
        introducer, _ = Counter(i.introducer_id for i in received).most_common(1)[0]
        name = _name(store, introducer)
        if name:
            return f"known to {name}"
    if intros:
        return f"last introduction {uk_date(max(i.date for i in intros))}"
    return "no introductions yet"


def _base_label(actor: Actor) -> str:
    what = "/".join(r.label for r in actor.roles) if isinstance(actor, Person) else actor.kind.label
    return f"{actor.name} ({what}, {actor.ward or 'ward not known'}"


def _labelled(store: Store, actors: Sequence[Actor]) -> list[Choice]:
    labels = [f"{_base_label(a)}; {_detail(store, a)})" for a in actors]
    repeated = {label for label, n in Counter(labels).items() if n > 1}
    out = []
    for actor, label in zip(actors, labels):
        if label in repeated:
            twins = [a.id for a, other in zip(actors, labels) if other == label]
            label = f"{label} #{_short_suffix(actor.id, twins)}"
        out.append(Choice(actor.id, label))
    return out


def _short_suffix(actor_id: str, twins: Sequence[str]) -> str:
    """The shortest tail of ``actor_id`` (at least 4 characters) that no twin shares.

    Examples
    --------
    >>> _short_suffix("p-000182", ["p-000182", "p-000446"])
    '0182'
    """
    for size in range(4, len(actor_id) + 1):
        tail = actor_id[-size:]
        if all(not other.endswith(tail) for other in twins if other != actor_id):
            return tail
    return actor_id


def resolve_actor(store: Store, text: str, *, option: str, people_only: bool = False) -> Actor:
    """The actor an id or a whole name (ignoring case and punctuation) means.

    Raises :class:`Ambiguous` listing the candidates, with what tells them
    apart, when the name fits several, and
    :class:`~connector_graph.errors.NotFound` (naming ``option``) when it fits
    none. Nothing is written either way.
    """
    require(Permission.VIEW)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"{option}: give an id or a name")
    try:
        actor = store.get_actor(text)
    except NotFound:
        actor = None
    if actor is not None:
        if people_only and not isinstance(actor, Person):
            raise InvalidInput(f"{option}: {actor.name} is an organisation; a person is needed here")
        return actor
    key = name_key(text)
    fits = [a for a in store.search_actors(text, limit=_READ) if name_key(a.name) == key]
    if people_only:
        if fits and not any(isinstance(a, Person) for a in fits):
            raise InvalidInput(f"{option}: {fits[0].name} is an organisation; a person is needed here")
        fits = [a for a in fits if isinstance(a, Person)]
    if len(fits) == 1:
        return fits[0]
    if len(fits) > 1:
        listed = "; ".join(f"{c.id}  {c.label}" for c in _labelled(store, fits[:20]))
        raise Ambiguous(f"{option}: {len(fits)} records are called {text!r}; give one of their ids: {listed}")
    close = [c.label for c in search_choices(store, text, people_only=people_only, limit=3)]
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise NotFound(f"{option}: no one is called {text!r} and no record has that id{hint}")

"""The directory of people and organisations: lists, look-alike names, profiles, follow-ups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from ..auth import Permission, require
from ..identity import name_key
from ..lookalike import NameIndex
from ..model import Actor, Introduction, IntroStatus, Person
from ..store.base import IntroductionFilter, Store
from . import lists, lookups

if TYPE_CHECKING:  # pandas and the measures load only when a table or a profile is made
    import pandas as pd

__all__ = [
    "Choice",
    "NameMatch",
    "Profile",
    "choices",
    "similar_names",
    "actor_table",
    "profile",
    "awaiting_follow_up",
    "known_purposes",
    "names_of",
]

@dataclass(frozen=True)
class Choice:
    """An actor as a picker shows it."""

    id: str
    label: str


@dataclass(frozen=True)
class NameMatch:
    """An existing actor whose name looks like a new one."""

    id: str
    name: str
    actor_type: str
    ward: str | None
    similarity: float


def choices(store: Store, *, people_only: bool = False) -> list[Choice]:
    """Every actor (or every person) as ``name (roles or kind, ward)``, sorted by name, for pickers.

    From the list every user shares (:mod:`.lists`): never read in full on
    the request path; this process's own writes are in it at once.
    """
    require(Permission.VIEW)
    return lists.from_sorted(store, "people-choices" if people_only else "choices", lambda ordered: [
        Choice(a.id, a.label) for a in ordered if not people_only or a.actor_type == "person"])


def similar_names(store: Store, name: str, *, ward: str | None = None, limit: int = 5) -> list[NameMatch]:
    """Existing actors whose whole names look like ``name`` (best first), to avoid duplicates.

    Whole names are compared (see :mod:`connector_graph.lookalike`), with a
    lower bar in the same ``ward``: a shared surname alone never matches,
    "Jon Smyth" matches "John Smith" in the same ward, and "Ahmed, Ann"
    matches "Ann Ahmed". Only the names sharing a word with it and the
    actors of ``ward`` are read (:func:`.lookups.look_alike_candidates`), never the whole store.
    """
    require(Permission.VIEW)
    index = NameIndex(lookups.look_alike_candidates(store, name, ward))
    return [
        NameMatch(a.candidate.id, a.candidate.name, a.candidate.actor_type, a.candidate.ward, a.similarity)
        for a in index.alike(name, ward, limit=limit)
    ]


def actor_table(
    store: Store,
    *,
    text: str = "",
    actor_type: str | None = None,
    wards: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
) -> pd.DataFrame:
    """People and organisations matching the filters, one row each.

    ``text`` matches any part of the name or a tag (gifts, skills,
    interests, offers), ignoring case.
    """
    require(Permission.VIEW)
    needle = name_key(text.strip())
    rows = []
    for actor in store.iter_actors():
        if actor_type and actor.actor_type != actor_type:
            continue
        if wards and actor.ward not in wards:
            continue
        if isinstance(actor, Person):
            if sectors or (roles and not {r.value for r in actor.roles} & set(roles)):
                continue
            tags = [*actor.gifts, *actor.skills, *actor.interests]
            kind = ", ".join(r.label for r in actor.roles)
        else:
            if roles or (sectors and actor.sector.value not in sectors):
                continue
            tags = [*actor.offers, *actor.spaces]
            kind = f"{actor.kind.label} ({actor.sector.label})"
        if needle and needle not in name_key(actor.name) and not any(needle in name_key(t) for t in tags):
            continue
        rows.append({"id": actor.id, "name": actor.name, "type": actor.actor_type, "ward": actor.ward or "",
                     "roles or kind": kind, "gifts, skills, offers": ", ".join(tags[:8])})
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["id", "name", "type", "ward", "roles or kind", "gifts, skills, offers"])
    return frame.sort_values(["name", "id"], key=lambda s: s.str.casefold()).reset_index(drop=True)


@dataclass
class Profile:
    """Everything a profile page shows about one actor."""

    actor: Actor
    ties: pd.DataFrame
    made: pd.DataFrame
    received: pd.DataFrame
    place: list[str] = field(default_factory=list)
    withheld: bool = False


def names_of(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """Names for ids (the id itself for anyone no longer in the store), from the shared list (:func:`.lists.names`)."""
    return lists.names(store, ids)


def _intro_rows(intros: list[Introduction], names: dict[str, str]) -> pd.DataFrame:
    rows = [
        {
            "id": i.id,
            "date": i.date,
            "introducer": names.get(i.introducer_id, i.introducer_id),
            "person": names.get(i.subject_id, i.subject_id),
            "introduced to": names.get(i.target_id, i.target_id),
            "purposes": ", ".join(i.purposes),
            "status": i.status.label,
            "follow-up": i.follow_up,
            "outcome": i.outcome or "",
        }
        for i in sorted(intros, key=lambda i: (i.date, i.id), reverse=True)
    ]
    columns = ["id", "date", "introducer", "person", "introduced to", "purposes", "status", "follow-up", "outcome"]
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def profile(store: Store, actor_id: str) -> Profile:
    """One actor's profile: details, ties, introductions made and received, place in the network.

    Raises :class:`~connector_graph.errors.NotFound` for an unknown id.
    """
    require(Permission.VIEW)
    actor = store.get_actor(actor_id)
    ties = store.list_ties(actor_id)
    involved = store.list_introductions(IntroductionFilter(actor_id=actor_id))
    made = [i for i in involved if i.introducer_id == actor_id]
    received = [i for i in involved if i.introducer_id != actor_id]
    other_ids = {t.target_id if t.source_id == actor_id else t.source_id for t in ties}
    other_ids |= {x for i in made + received for x in (i.introducer_id, i.subject_id, i.target_id)}
    names = names_of(store, other_ids)
    tie_rows = [
        {
            "with": names.get(other, other),
            "with id": other,
            "kind": t.kind.label,
            "since": t.since,
            "last confirmed": t.last_confirmed,
        }
        for t in ties
        for other in [t.target_id if t.source_id == actor_id else t.source_id]
    ]
    import pandas as pd

    from .measures import describe, shared_measures

    tie_frame = pd.DataFrame(tie_rows, columns=["with", "with id", "kind", "since", "last confirmed"])
    withheld = isinstance(actor, Person) and not actor.in_analysis
    place = [] if withheld else describe(shared_measures(store).value, actor_id)  # shared by every user
    return Profile(actor, tie_frame, _intro_rows(made, names), _intro_rows(received, names), place, withheld)


def awaiting_follow_up(store: Store, introducer_id: str, *, today: dt.date | None = None) -> pd.DataFrame:
    """The introducer's introductions with no outcome yet, overdue follow-ups first."""
    require(Permission.VIEW)
    today = today or dt.date.today()
    open_statuses = {IntroStatus.PLANNED, IntroStatus.MADE, IntroStatus.UNKNOWN}
    intros = [
        i for i in store.list_introductions(IntroductionFilter(introducer_id=introducer_id))
        if i.outcome is None and i.status in open_statuses
    ]
    names = names_of(store, {x for i in intros for x in (i.introducer_id, i.subject_id, i.target_id)})
    frame = _intro_rows(intros, names)
    frame["overdue"] = [bool(f is not None and f < today) for f in frame["follow-up"]]
    frame["_due"] = [f or dt.date.max for f in frame["follow-up"]]
    frame = frame.sort_values(["overdue", "_due"], ascending=[False, True]).drop(columns="_due")
    return frame.reset_index(drop=True)


def known_purposes(store: Store, *, limit: int = 60) -> list[str]:
    """The purposes already used, most used first, to offer as tags (from the most recent introductions,
    :func:`.lookups.recent_purposes`, shared by every user with this process's later ones added:
    :func:`.lists.purpose_counts`; never every introduction)."""
    require(Permission.VIEW)
    counts = lists.purpose_counts(store)
    return sorted(counts, key=lambda p: (-counts[p], p))[:limit]

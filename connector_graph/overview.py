"""The headline view of a network: counts, latest introductions, wards."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel

from .auth import Permission, require
from .model import Counts
from .store.base import IntroductionFilter, Store

__all__ = ["Summary", "IntroductionRow", "WardRow", "summarise"]


class IntroductionRow(BaseModel):
    """One introduction, with names instead of ids, for display."""

    date: dt.date
    introducer: str
    subject: str
    target: str
    status: str
    purposes: str


class WardRow(BaseModel):
    """How many actors a ward has, next to its population."""

    ward: str
    population: int | None
    people: int
    organisations: int


class Summary(BaseModel):
    """What the overview page shows."""

    counts: Counts
    recent: list[IntroductionRow]
    wards: list[WardRow]

    @property
    def is_empty(self) -> bool:
        """True when the store holds no people or organisations."""
        return self.counts.people + self.counts.organisations == 0


def summarise(store: Store, *, recent: int = 20) -> Summary:
    """Counts, the ``recent`` latest introductions and per-ward totals."""
    require(Permission.VIEW)
    intros = store.list_introductions(IntroductionFilter(limit=recent))
    names: dict[str, str] = {}
    people: Counter[str] = Counter()
    organisations: Counter[str] = Counter()
    wanted = {i for intro in intros for i in (intro.introducer_id, intro.subject_id, intro.target_id)}
    for actor in store.iter_actors():
        if actor.id in wanted:
            names[actor.id] = actor.name
        if actor.ward:
            (people if actor.actor_type == "person" else organisations)[actor.ward] += 1
    rows = [
        IntroductionRow(
            date=i.date,
            introducer=names.get(i.introducer_id, i.introducer_id),
            subject=names.get(i.subject_id, i.subject_id),
            target=names.get(i.target_id, i.target_id),
            status=i.status.label,
            purposes=", ".join(i.purposes),
        )
        for i in intros
    ]
    population = {w.name: w.population for w in store.list_wards()}
    ward_names = sorted(set(population) | set(people) | set(organisations))
    wards = [
        WardRow(ward=w, population=population.get(w), people=people[w], organisations=organisations[w])
        for w in ward_names
    ]
    return Summary(counts=store.counts(), recent=rows, wards=wards)

"""The headline view of a network: counts, latest introductions, wards."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel, ConfigDict

from .auth import Permission, require
from .model import Counts, IntroStatus
from .store.base import IntroductionFilter, Store

__all__ = ["Summary", "IntroductionRow", "WardRow", "MonthChange", "summarise", "month_change"]


class IntroductionRow(BaseModel):
    """One introduction, with names instead of ids, for display."""

    model_config = ConfigDict(defer_build=True)

    date: dt.date
    introducer: str
    subject: str
    target: str
    status: str
    purposes: str


class WardRow(BaseModel):
    """How many actors a ward has, next to its population."""

    model_config = ConfigDict(defer_build=True)

    ward: str
    population: int | None
    people: int
    organisations: int


class Summary(BaseModel):
    """What the overview page shows."""

    model_config = ConfigDict(defer_build=True)

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
    projection = _projection(store)
    wanted = {i for intro in intros for i in (intro.introducer_id, intro.subject_id, intro.target_id)}
    names = _names_of(projection, wanted)
    people = _ward_counts(projection.wards[~projection.is_org])
    organisations = _ward_counts(projection.wards[projection.is_org])
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


class MonthChange(BaseModel):
    """What happened this calendar month, next to the month before."""

    model_config = ConfigDict(defer_build=True)

    month: str
    introductions: int
    introductions_before: int
    made: int
    new_ties: int
    new_ties_before: int
    outcomes_recorded: int

    def sentences(self) -> list[str]:
        """The change in plain words."""
        def versus(now: int, before: int) -> str:
            if now == before:
                return "the same as last month"
            return f"{abs(now - before)} {'more' if now > before else 'fewer'} than last month"

        return [
            f"{self.introductions} introduction{'s' if self.introductions != 1 else ''} logged so far "
            f"({versus(self.introductions, self.introductions_before)}); {self.made} of them made.",
            f"{self.new_ties} new tie{'s' if self.new_ties != 1 else ''} recorded "
            f"({versus(self.new_ties, self.new_ties_before)}).",
            f"{self.outcomes_recorded} outcome{'s' if self.outcomes_recorded != 1 else ''} recorded for "
            "introductions dated this month.",
        ]


def month_change(store: Store, *, today: dt.date | None = None) -> MonthChange:
    """Introductions and ties this month against last month.

    Examples
    --------
    >>> import os, tempfile
    >>> from connector_graph.store import open_store
    >>> from connector_graph.auth import acting_as
    >>> store = open_store("sqlite:///" + os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> with acting_as("doc", "connector"):
    ...     month_change(store, today=dt.date(2026, 3, 9)).sentences()[0]
    '0 introductions logged so far (the same as last month); 0 of them made.'
    >>> store.close()
    """
    require(Permission.VIEW)
    today = today or dt.date.today()
    start = today.replace(day=1)
    before = (start - dt.timedelta(days=1)).replace(day=1)
    import numpy as np

    p = _projection(store)
    day = {name: np.datetime64(value, "D") for name, value in
           (("today", today), ("start", start), ("before", before))}
    now = (p.intro_date >= day["start"]) & (p.intro_date <= day["today"])
    old = (p.intro_date >= day["before"]) & (p.intro_date < day["start"])
    known = ~np.isnat(p.tie_since)
    return MonthChange(
        month=f"{start:%B %Y}",
        introductions=int(now.sum()),
        introductions_before=int(old.sum()),
        made=int((now & np.isin(p.intro_status, [s.value for s in IntroStatus if s.happened])).sum()),
        new_ties=int((known & (p.tie_since >= day["start"]) & (p.tie_since <= day["today"])).sum()),
        new_ties_before=int((known & (p.tie_since >= day["before"]) & (p.tie_since < day["start"])).sum()),
        outcomes_recorded=int((now & p.intro_has_outcome).sum()),
    )


def _projection(store: Store):
    """The store's columnar projection (cached on disk by graph version): no record is validated again."""
    from .analysis.projection import load_projection

    return load_projection(store)


def _names_of(projection, ids: set[str]) -> dict[str, str]:
    """The names of the actors with these ids (ids the projection does not hold are left out)."""
    import numpy as np

    wanted = np.array(sorted(ids), dtype=str)
    if not len(wanted) or not projection.n:
        return {}
    at = np.searchsorted(projection.ids, wanted).clip(0, projection.n - 1)
    found = projection.ids[at] == wanted
    return dict(zip(wanted[found].tolist(), projection.names[at[found]].tolist()))


def _ward_counts(wards) -> Counter[str]:
    """How many of ``wards`` (a str array, "" for no ward) name each ward."""
    import numpy as np

    names, counts = np.unique(wards[wards != ""], return_counts=True)
    return Counter(dict(zip(names.tolist(), counts.tolist())))

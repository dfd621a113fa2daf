"""Managers' answers from a store: the weakest wards and their bridges, organisations with
no partner across the statutory line, single points of failure with who they
hold on, introductions that went nowhere, ward measures for the map and fair
shares by deprivation.

Everything counts links by the one definition in
:mod:`connector_graph.analysis.links`. The link graph is cached by the
store's graph version (any write, erasure included, moves it on).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Sequence

import networkx as nx
import pandas as pd

from ..analysis.answers import (
    Departure, Stalled, departure, failure_points, most_declining, stalled_introductions, unpartnered_organisations,
    ward_standings, weakest_wards,
)
from ..analysis.fairshare import FairShare, deprivation_deciles, fair_shares
from ..analysis.links import LINK_DEFINITION
from ..auth import Permission, require
from ..analysis.shared import Latest, latest
from ..caching import LruCache
from ..graph import graph_for_analysis
from ..model import Introduction, IntroStatus
from ..store.base import Store
from . import lists
from .directory import Choice
from .measures import shared_measures
from .wardmap import GridCell, grid_neighbours, load_grid

__all__ = [
    "LINK_DEFINITION",
    "MEASURES",
    "links_of",
    "gap_answers",
    "shared_gaps",
    "person_departure",
    "departure_text",
    "stalled_frame",
    "declining_frame",
    "ward_measures",
    "fair_share",
    "fair_share_frame",
    "names_and_more",
    "no_link",
    "organisation_options",
]

#: Ward measures the map can show: key -> (label, True when a low value is the worry).
MEASURES: dict[str, tuple[str, bool]] = {
    "links_per_1000": ("links per 1,000 residents", True),
    "isolated_share": ("share of people with no link", False),
    "introductions_per_1000": ("introductions per 1,000 residents", True),
    "deprivation_decile": ("deprivation decile (1 = most deprived)", True),
}


def links_of(store: Store, *, as_of: dt.date | None = None) -> nx.Graph:
    """The link graph of the network as it stood on ``as_of`` (today by default), cached; treat as read-only.

    The analysis graph has exactly the links of :mod:`connector_graph.analysis.links`
    (introductions count once they happened, with their status as it stood on
    the day), so it is used as it is: no second read of every tie and introduction.
    """
    require(Permission.ANALYSE)
    return graph_for_analysis(store, as_of=as_of)


def names_and_more(names: Sequence[str], limit: int = 8) -> str:
    """Names in a sentence, the rest as "and N more".

    Examples
    --------
    >>> names_and_more(["Ann", "Bo", "Cy"], limit=2)
    'Ann, Bo and 1 more'
    >>> names_and_more(["Ann", "Bo"])
    'Ann and Bo'
    """
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _people(count: int) -> str:
    return f"{count} {'person or organisation' if count == 1 else 'people and organisations'}"


def departure_text(d: Departure, limit: int = 8) -> str:
    """One sentence: who would be cut off if this person left, and the backup link.

    Examples
    --------
    >>> from connector_graph.analysis.answers import Named
    >>> a, b, c = (Named(x, x.title(), None, "person") for x in ("ann", "bo", "cy"))
    >>> departure_text(Departure(a, [b], (b, c), "both know Ann"))
    'If Ann left, 1 person or organisation would lose their only link to the rest of the network: Bo. Backup: introduce Bo to Cy (both know Ann).'
    """
    if not d.cut_off:
        return f"If {d.actor.name} left, everyone they know would still be linked to the rest of the network."
    text = (f"If {d.actor.name} left, {_people(len(d.cut_off))} would lose their only link to the rest of the network: "
            f"{names_and_more([n.name for n in d.cut_off], limit)}.")
    if d.backup:
        text += f" Backup: introduce {d.backup[0].name} to {d.backup[1].name} ({d.backup_reason})."
    return text


#: Departures already worked out, per shared link graph and actor.
_DEPARTURES = LruCache(64)


def person_departure(store: Store, actor_id: str) -> Departure | None:
    """What would happen if this person or organisation left (None when not in the analysis).

    Worked out on the link graph every user shares (:func:`.measures.shared_measures`:
    the last complete one while a newer one is made, never one from before an
    erasure), so a page never builds the graph again on its request path.
    """
    require(Permission.ANALYSE)
    shared = shared_measures(store)
    G = shared.value.graph
    if actor_id not in G:
        return None
    return _DEPARTURES.get_or_make((store.url, "departure", shared.version, shared.finished_at, actor_id),
                                   lambda: departure(G, actor_id))


def _offers(store: Store) -> dict[str, list[str]]:
    return {a.id: list(getattr(a, "offers", []) or []) for a in store.iter_actors() if a.actor_type == "organisation"}


def _grid(grid: Sequence[GridCell] | None, store: Store) -> dict[str, list[str]]:
    if grid is None:
        try:
            grid = load_grid()
        except Exception:  # noqa: BLE001 - a missing default grid only loses the neighbours
            grid = []
    known = {w.name for w in store.list_wards()}
    return {w: [n for n in near if n in known] for w, near in grid_neighbours(grid).items() if w in known}


def _stalled_dict(s: Stalled, names: dict[str, str]) -> dict[str, Any]:
    i = s.introduction
    return {"id": i.id, "date": i.date.isoformat(), "connector": names.get(i.introducer_id, i.introducer_id),
            "person": names.get(i.subject_id, i.subject_id), "introduced to": names.get(i.target_id, i.target_id),
            "purposes": ", ".join(i.purposes), "status": i.status.label, "why": s.why,
            "connector_id": i.introducer_id, "target_id": i.target_id}


def gap_answers(
    store: Store,
    *,
    today: dt.date | None = None,
    days: int = 60,
    weakest: int = 3,
    grid: Sequence[GridCell] | None = None,
) -> dict[str, Any]:
    """The four answers, as plain JSON-ready data (the ``gaps`` command prints this).

    Keys: ``link_definition``; ``weakest_wards`` (ward, rank, measures,
    ``bridges`` [{name, id, ward, links_into}], ``missing_pairs``);
    ``unpartnered`` (organisation, sector, missing sectors, candidates with
    reasons); ``single_points`` (name, id, ``cut_off`` names, backup link and
    why, sentence); ``went_nowhere`` (introductions with names and why) and
    ``declined_most`` (target, declined, introductions).
    """
    require(Permission.ANALYSE)
    today = today or dt.date.today()
    G = links_of(store)
    wards = store.list_wards()
    weak = weakest_wards(G, wards, neighbours=_grid(grid, store), top=weakest)
    intros = list(store.iter_introductions())
    stalled = stalled_introductions(intros, today=today, days=days)
    declining = most_declining(intros)
    ids = {x for s in stalled for x in (s.introduction.introducer_id, s.introduction.subject_id,
                                         s.introduction.target_id)} | {t for t, _d, _n in declining}
    names = {a.id: a.name for a in store.iter_actors() if a.id in ids}
    points = failure_points(G)
    return {
        "link_definition": LINK_DEFINITION,
        "weakest_wards": [
            {**dataclasses.asdict(w.standing),
             "bridges": [{"name": n.name, "id": n.id, "ward": n.ward, "links_into": into} for n, into in w.bridges],
             "missing_pairs": [list(p) for p in w.missing_pairs]}
            for w in weak
        ],
        "unpartnered": [
            {"name": u.organisation.name, "id": u.organisation.id, "ward": u.organisation.ward, "sector": u.sector,
             "no_partner_in": u.missing, "no_partner_at_all": u.no_partner_at_all,
             "candidates": [{"name": c.organisation.name, "id": c.organisation.id, "why": c.reasons}
                            for c in u.candidates]}
            for u in unpartnered_organisations(G, _offers(store))
        ],
        "single_points": [
            {"name": d.actor.name, "id": d.actor.id, "ward": d.actor.ward,
             "cut_off": [n.name for n in d.cut_off], "cut_off_ids": [n.id for n in d.cut_off],
             "backup": [d.backup[0].name, d.backup[1].name] if d.backup else None,
             "backup_why": d.backup_reason, "sentence": departure_text(d)}
            for d in points
        ],
        "went_nowhere": [_stalled_dict(s, names) for s in stalled],
        "declined_most": [{"name": names.get(t, t), "id": t, "declined": d, "introductions": n}
                          for t, d, n in declining],
    }


def shared_gaps(store: Store) -> Latest[dict[str, Any]]:
    """The Gaps page's analysis, shared by every user.

    Keys: ``answers`` (:func:`gap_answers`), ``ward_measures``, ``report``
    (the network report), ``no_link``, ``declining`` (a table, as
    :func:`declining_frame`) and ``fair_share`` (:func:`fair_share`).

    Made once per graph version by the background worker of
    :mod:`connector_graph.analysis.shared`: the last complete one is returned
    at once, marked ``refreshing`` while a newer one is made. Read-only.
    """
    from .insights import analysis

    require(Permission.ANALYSE)

    def make() -> dict[str, Any]:
        return {"answers": gap_answers(store), "ward_measures": ward_measures(store), "report": analysis(store),
                "no_link": no_link(store), "declining": declining_frame(store), "fair_share": fair_share(store)}

    result = latest(store, "gaps", make, options=(dt.date.today(),))
    assert result is not None  # waited for
    return result


def _could_stall(intro: Introduction) -> bool:
    """True when the introduction could be listed as gone nowhere for some number of days (see
    :func:`~connector_graph.analysis.answers.stalled_introductions`)."""
    return intro.status in (IntroStatus.DECLINED, IntroStatus.UNKNOWN) or (
        intro.status != IntroStatus.FOLLOWED_UP and not intro.outcome)


def _stall_candidates(store: Store) -> list[Introduction]:
    return [i for i in store.iter_introductions() if _could_stall(i)]


def stalled_frame(
    store: Store,
    *,
    days: int = 60,
    connector: str | None = None,
    purpose: str | None = None,
    target: str | None = None,
    ward: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Introductions that went nowhere, with names, filtered by connector, purpose, target or ward.

    The introductions that could have gone nowhere are read once per graph
    version by the background worker and shared by every user
    (:mod:`connector_graph.analysis.shared`: the last complete list while a
    newer one is made, never one from before an erasure); each filter is
    applied to that list in memory.
    """
    require(Permission.ANALYSE)
    candidates = latest(store, "stall-candidates", lambda: _stall_candidates(store))
    assert candidates is not None  # waited for
    found = stalled_introductions(candidates.value, today=today or dt.date.today(), days=days,
                                  connector=connector, purpose=purpose, target=target)
    if ward:
        held = lists.actors(store)
        found = [s for s in found if ward in {getattr(held.get(x), "ward", None)
                                              for x in (s.introduction.subject_id, s.introduction.target_id)}]
    names = lists.names(store, {x for s in found for x in (s.introduction.introducer_id, s.introduction.subject_id,
                                                             s.introduction.target_id)})
    columns = ["date", "connector", "person", "introduced to", "purposes", "status", "why", "id"]
    return pd.DataFrame([_stalled_dict(s, names) for s in found], columns=columns)


def declining_frame(store: Store, *, top: int = 10) -> pd.DataFrame:
    """The people and organisations that decline introductions most."""
    require(Permission.ANALYSE)
    ranked = most_declining(store.iter_introductions(), top=top)
    names = {a.id: a.name for a in store.iter_actors()}
    return pd.DataFrame([{"introduced to": names.get(t, t), "declined": d, "introductions": n} for t, d, n in ranked],
                        columns=["introduced to", "declined", "introductions"])


def ward_measures(store: Store) -> pd.DataFrame:
    """One row per ward: rank (1 = most thinly linked), residents, people, links and the map's measures."""
    require(Permission.ANALYSE)
    G = links_of(store)
    wards = store.list_wards()
    deciles = deprivation_deciles(wards)
    population = {w.name: w.population for w in wards}
    intros: dict[str, int] = {}
    ward_of = dict(G.nodes(data="ward"))
    for intro in store.iter_introductions():
        ward = ward_of.get(intro.subject_id)
        if ward:
            intros[ward] = intros.get(ward, 0) + 1
    rows = []
    for s in ward_standings(G, wards):
        pop = population.get(s.ward)
        rows.append({"ward": s.ward, "rank": s.rank, "residents": pop, "people": s.people, "links": s.links,
                     "people with no link": s.isolated, "links_per_1000": s.links_per_1000,
                     "isolated_share": s.isolated_share, "introductions": intros.get(s.ward, 0),
                     "introductions_per_1000": round(intros.get(s.ward, 0) * 1000 / pop, 2) if pop else None,
                     "deprivation_decile": deciles.get(s.ward)})
    return pd.DataFrame(rows)


def fair_share(store: Store) -> FairShare:
    """Introductions and links per 1,000 residents by deprivation decile, with the sentence."""
    require(Permission.ANALYSE)
    G = links_of(store)
    ward_of = {a.id: a.ward for a in store.iter_actors()}
    return fair_shares(G, store.list_wards(), store.iter_introductions(), ward_of=ward_of)


def fair_share_frame(result: FairShare) -> pd.DataFrame:
    """The fair-share rows as a downloadable table."""
    return pd.DataFrame(
        [{"deprivation decile": r.decile, "wards": ", ".join(r.wards), "residents": r.population,
          "introductions": r.introductions, "introductions per 1,000": r.introductions_per_1000,
          "links": r.links, "links per 1,000": r.links_per_1000} for r in result.rows],
        columns=["deprivation decile", "wards", "residents", "introductions", "introductions per 1,000", "links",
                 "links per 1,000"],
    )


def no_link(store: Store) -> list[dict[str, Any]]:
    """People and organisations with no link at all (name, type, ward, id), by name."""
    G = links_of(store)
    found = [{"name": d.get("name", n), "actor_type": d.get("actor_type"), "ward": d.get("ward"), "id": n}
             for n, d in G.nodes(data=True) if G.degree(n) == 0]
    return sorted(found, key=lambda r: (str(r["name"]).casefold(), r["id"]))


def organisation_options(store: Store) -> list[Choice]:
    """Organisations as picker choices ("name (ward)"), by name, from the list every user shares (:mod:`.lists`)."""
    require(Permission.VIEW)

    def make(ordered: list[lists.Listed]) -> list[Choice]:
        orgs = sorted((a for a in ordered if a.actor_type == "organisation"), key=lambda o: (o.name.casefold(), o.id))
        return [Choice(o.id, o.name + (f" ({o.ward})" if o.ward else "")) for o in orgs]

    return lists.from_sorted(store, "organisation-choices", make)

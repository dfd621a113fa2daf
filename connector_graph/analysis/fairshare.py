"""Proportionate universalism: do the most deprived wards get proportionately more?

Each ward's ``deprivation`` is either an IMD **decile** (whole numbers 1-10,
1 the most deprived) or, when any value is not a whole number from 1 to 10,
a **score** (higher is more deprived, as the IMD score), turned into deciles
within the city (the most deprived tenth of wards is decile 1).

Rates are per 1,000 residents of the wards in each decile: introductions
count for the ward of the person introduced; links (see
:mod:`connector_graph.analysis.links`) for each ward they touch. The
gradient is the least-squares slope of the rate against the decile: negative
means more for the more deprived wards (proportionate universalism).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import networkx as nx

from ..model import Introduction, Ward

__all__ = ["DecileRate", "FairShare", "deprivation_deciles", "gradient", "fair_shares"]


@dataclass(frozen=True)
class DecileRate:
    """One deprivation decile's wards, residents and rates per 1,000 residents."""

    decile: int
    wards: list[str]
    population: int
    introductions: int
    links: int
    introductions_per_1000: float
    links_per_1000: float


@dataclass(frozen=True)
class FairShare:
    """Rates by decile, the two gradients (per decile step) and the answer in a sentence."""

    rows: list[DecileRate]
    introductions_gradient: float | None
    links_gradient: float | None
    sentence: str


def deprivation_deciles(wards: Sequence[Ward]) -> dict[str, int]:
    """Each ward's deprivation decile (1 = most deprived); wards with no measure are left out.

    Examples
    --------
    >>> deprivation_deciles([Ward(name="A", deprivation=2), Ward(name="B", deprivation=9), Ward(name="C")])
    {'A': 2, 'B': 9}
    >>> deprivation_deciles([Ward(name="A", deprivation=41.5), Ward(name="B", deprivation=12.0)])
    {'A': 1, 'B': 6}
    """
    known = [(w.name, float(w.deprivation)) for w in wards if w.deprivation is not None]
    if all(value.is_integer() and 1 <= value <= 10 for _n, value in known):
        return {name: int(value) for name, value in known}
    ranked = sorted(known, key=lambda item: (-item[1], item[0]))
    return {name: position * 10 // len(ranked) + 1 for position, (name, _v) in enumerate(ranked)}


def gradient(points: Iterable[tuple[float, float]]) -> float | None:
    """Least-squares slope of y on x (None with fewer than two distinct x).

    Examples
    --------
    >>> gradient([(1, 10.0), (2, 8.0), (3, 6.0)])
    -2.0
    """
    pts = list(points)
    if len({x for x, _y in pts}) < 2:
        return None
    mx = sum(x for x, _y in pts) / len(pts)
    my = sum(y for _x, y in pts) / len(pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _y in pts), 3)


def _rate(count: int, population: int) -> float:
    return round(count * 1000 / population, 2) if population else 0.0


def _say(what: str, rows: list[DecileRate], slope: float | None, attr: str) -> str:
    first, last = rows[0], rows[-1]
    a, b = getattr(first, attr), getattr(last, attr)
    return (f"{a:g} {what} per 1,000 residents in decile {first.decile} against {b:g} in decile {last.decile}"
            f" ({abs(slope):g} {'fewer' if slope < 0 else 'more'} for each decile less deprived)")


def fair_shares(
    links: nx.Graph,
    wards: Sequence[Ward],
    introductions: Iterable[Introduction],
    *,
    as_of: dt.date | None = None,
    ward_of: Mapping[str, str | None] | None = None,
) -> FairShare:
    """Introductions and links per 1,000 residents by deprivation decile, with the gradient and a sentence.

    ``ward_of`` maps actor ids to wards for introductions whose person is not
    in ``links`` (default: the graph's ``ward`` attributes). Wards with no
    population or no deprivation measure are left out.

    Examples
    --------
    >>> G = nx.Graph(); G.add_nodes_from([("a", {"ward": "Poor"}), ("b", {"ward": "Rich"})])
    >>> wards = [Ward(name="Poor", population=1000, deprivation=1), Ward(name="Rich", population=2000, deprivation=10)]
    >>> intro = Introduction(introducer_id="c", subject_id="a", target_id="b", date=dt.date(2026, 1, 1))
    >>> f = fair_shares(G, wards, [intro, intro])
    >>> [(r.decile, r.introductions_per_1000) for r in f.rows], f.introductions_gradient
    ([(1, 2.0), (10, 0.0)], -0.222)
    """
    deciles = deprivation_deciles([w for w in wards if w.population])
    population = {w.name: w.population or 0 for w in wards}
    if ward_of is None:
        ward_of = dict(links.nodes(data="ward"))
    intros: Counter[str] = Counter()
    for intro in introductions:
        if as_of is not None and intro.date > as_of:
            continue
        ward = ward_of.get(intro.subject_id)
        if ward:
            intros[ward] += 1
    touched: Counter[str] = Counter()
    for u, v in links.edges():
        for ward in {links.nodes[u].get("ward"), links.nodes[v].get("ward")} - {None}:
            touched[ward] += 1
    grouped: dict[int, list[str]] = defaultdict(list)
    for ward, decile in deciles.items():
        grouped[decile].append(ward)
    rows = []
    for decile in sorted(grouped):
        names = sorted(grouped[decile])
        pop = sum(population[n] for n in names)
        made = sum(intros[n] for n in names)
        linked = sum(touched[n] for n in names)
        rows.append(DecileRate(decile, names, pop, made, linked, _rate(made, pop), _rate(linked, pop)))
    intro_slope = gradient((r.decile, r.introductions_per_1000) for r in rows)
    link_slope = gradient((r.decile, r.links_per_1000) for r in rows)
    if intro_slope is None or link_slope is None:
        sentence = ("Not enough to say: wards need a population and a deprivation measure "
                    "in at least two different deciles.")
    else:
        both = intro_slope < 0 and link_slope < 0
        neither = intro_slope >= 0 and link_slope >= 0
        verdict = ("Yes: the most deprived wards get proportionately more introductions and links per resident"
                   if both else
                   "No: the most deprived wards do not get proportionately more introductions or links per resident"
                   if neither else
                   "Partly: the most deprived wards get proportionately more "
                   + ("introductions, but not more links," if intro_slope < 0 else "links, but not more introductions,")
                   + " per resident")
        sentence = (f"{verdict}. Introductions: {_say('introductions', rows, intro_slope, 'introductions_per_1000')}. "
                    f"Links: {_say('links', rows, link_slope, 'links_per_1000')}.")
    return FairShare(rows, intro_slope, link_slope, sentence)

"""The network report computed by the GDS engine, in the same shape as :func:`~..report.network_report`.

Every measure comes from :class:`~.gds.GdsEngine`, read back in bulk; only the
top actors' names are looked up (one store read each). Some parts of the
Python report need the whole graph in Python and are left out here, each with
a note in ``network.notes``: Burt's constraint (null), the actors each cut
point would cut off (``cut_off`` null; the cut points are exact), pockets
that hang on one actor (``fragile`` lists actors with a single link), the
bridging actors and unlinked pairs of communities, organisations not linked
to a connector, stale ties and overdue follow-ups.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Collection

import numpy as np

from ...store.neo4j_gds import actor_columns, introductions_made, sector_table, ward_table
from ..centrality import COMPOSITE_WEIGHTS, METRICS, percentile_ranks
from ..gaps import PRIORITY_SECTOR_PAIRS
from .gds import GdsEngine

__all__ = ["gds_network_report", "GDS_NOTES"]

#: What the GDS report leaves to the Python engines.
GDS_NOTES = (
    "constraint, the actors each single point would cut off, pockets hanging on one actor, bridging actors "
    "between communities, unlinked organisations, stale ties and overdue follow-ups are computed by the "
    "Python engine only"
)


def gds_network_report(
    store: Any, *, top: int = 10, by: str = "score", samples: int | None = None, seed: int = 0, **options: Any
) -> dict[str, Any]:
    """Key connectors, gaps and communities of ``store``'s network, computed inside Neo4j.

    ``options`` are the projection's (``as_of``, ``wards``,
    ``include_organisations``). ``samples=None`` gives exact betweenness and
    closeness; otherwise they are estimated from that many seeded sources.
    """
    if by not in METRICS:
        raise ValueError(f"unknown measure {by!r}; choose one of {', '.join(METRICS)}")
    as_of: dt.date | None = options.get("as_of")
    wards: Collection[str] | None = options.get("wards")
    engine = GdsEngine(store, samples=samples, seed=seed, **options)
    central = engine.centrality(samples=samples, seed=seed)
    measures = engine.measures(samples=samples, seed=seed)
    columns = actor_columns(store, **options)
    ids = columns["id"]
    made = introductions_made(store, **options)
    values: dict[str, dict[str, Any]] = dict(central.values)
    values["constraint"] = dict.fromkeys(ids)
    values["introductions"] = {a: made.get(a, 0) for a in ids}
    values["score"] = _score(values, ids)
    structure = engine.structure()
    communities = engine.communities(seed=seed)
    names = _Names(store)
    n = len(ids)
    organisations = sum(columns["organisation"])
    notes = [f"computed inside Neo4j by Graph Data Science {measures.version}"]
    if measures.samples is not None:
        notes.append(f"bridging estimated from {measures.samples} of {n:,} actors (seed {seed}); closeness is exact")
    notes.append(GDS_NOTES)
    report = {
        "network": {
            "actors": n,
            "people": n - organisations,
            "organisations": organisations,
            "links": measures.links,
            "as_of": as_of.isoformat() if as_of else None,
            "wards": sorted(wards) if wards is not None else None,
            "engine": "gds",
            "exact": measures.samples is None,
            "samples": measures.samples,
            "seed": seed,
            "notes": notes,
        },
        "betweenness_sampling": {"exact": measures.samples is None, "pivots": measures.samples or n, "actors": n,
                                 "agreement_top20": None},  # a fixed number of pivots: no rounds to compare
        "metrics": {key: metric.explanation for key, metric in METRICS.items()},
        "by": by,
        "connectors": _connectors(values, ids, by, top, names),
        "gaps": _gaps(store, values, structure, columns, names, top, options),
        "communities": _communities(communities, columns, seed),
    }
    return report


class _Names:
    """Actor references for the few actors a report names, read from the store one by one."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._seen: dict[str, dict[str, Any]] = {}

    def ref(self, actor_id: str) -> dict[str, Any]:
        if actor_id not in self._seen:
            actor = self._store.get_actor(actor_id)
            self._seen[actor_id] = {
                "id": actor.id,
                "name": actor.name,
                "actor_type": actor.actor_type,
                "ward": actor.ward,
                "roles": [role.value for role in getattr(actor, "roles", [])],
            }
        return self._seen[actor_id]

    def short(self, actor_id: str) -> dict[str, Any]:
        full = self.ref(actor_id)
        return {key: full[key] for key in ("id", "name", "actor_type", "ward")}


def _score(values: dict[str, dict[str, Any]], ids: list[str]) -> dict[str, float]:
    """The composite score, as the Python engine weighs it (percentile ranks of the measures)."""
    score = np.zeros(len(ids))
    for metric, weight in COMPOSITE_WEIGHTS.items():
        ranks = percentile_ranks({a: values[metric].get(a) for a in ids})
        score += weight * np.array([ranks[a] for a in ids])
    return {a: round(float(s), 12) for a, s in zip(ids, score)}


def _connectors(
    values: dict[str, dict[str, Any]], ids: list[str], by: str, top: int, names: _Names
) -> list[dict[str, Any]]:
    sign = 1.0 if METRICS[by].higher_is_better else -1.0

    def order(actor: str) -> tuple:
        value = values[by][actor]
        return (value is None, -sign * (value or 0.0), -values["score"][actor], actor)

    out = []
    for rank, actor in enumerate(sorted(ids, key=order)[:top], start=1):
        ref = names.ref(actor)
        row = {key: ref[key] for key in ("id", "name", "actor_type", "ward", "roles")}
        for key in METRICS:
            row[key] = values[key][actor]
        row["introductions"] = int(row["introductions"])
        row["rank"] = rank
        out.append(row)
    return out


def _gaps(
    store: Any,
    values: dict[str, dict[str, Any]],
    structure: Any,
    columns: dict[str, list[Any]],
    names: _Names,
    top: int,
    options: dict[str, Any],
) -> dict[str, Any]:
    ids = columns["id"]
    n = len(ids)
    links = {a: round(values["degree"][a] * (n - 1)) for a in ids}
    isolated = [a for a in ids if links[a] == 0]
    single = [a for a in ids if links[a] == 1]
    between = values["betweenness"]
    cut = sorted(structure.cut_points, key=lambda a: (-between[a], a))
    isolated_by_ward = Counter(w for a, w in zip(ids, columns["ward"]) if w is not None and links[a] == 0)
    population = {w.name: w.population for w in store.list_wards()}
    rows = []
    for row in ward_table(store, **options):
        pop = population.get(row["ward"])
        rows.append(
            {
                **row,
                "population": pop,
                "isolated": isolated_by_ward[row["ward"]],
                "introductions": None,
                "actors_per_1000": round(row["actors"] * 1000 / pop, 3) if pop else None,
                "connectors_per_1000": round(row["connectors"] * 1000 / pop, 3) if pop else None,
                "introductions_per_1000": None,
            }
        )
    present, counts = sector_table(store, **options)
    missing = [(a, b) for i, a in enumerate(present) for b in present[i + 1 :] if (a, b) not in counts]
    priority = [tuple(sorted(p)) for p in PRIORITY_SECTOR_PAIRS if tuple(sorted(p)) in set(missing)]
    return {
        "isolated": {"count": len(isolated), "actors": [names.short(a) for a in isolated[:top]]},
        "fragile": {
            "count": len(single),
            "actors": [{"actor": names.short(a), "via": None, "reason": "one link only"} for a in single[:top]],
        },
        "cut_points": {
            "count": len(cut),
            "items": [
                {
                    "actor": names.short(a),
                    "pieces": None,
                    "cut_off": None,
                    "sentence": f"If {names.ref(a)['name']} left, the network would split apart.",
                }
                for a in cut[:top]
            ],
        },
        "bridges": {
            "count": len(structure.bridges),
            "items": [
                {
                    "a": names.short(a),
                    "b": names.short(b),
                    "cut_off": None,
                    "sentence": f"If the link between {names.ref(a)['name']} and {names.ref(b)['name']} were lost, "
                    "the network would split apart.",
                }
                for a, b in sorted(structure.bridges, key=lambda p: (-(between[p[0]] + between[p[1]]), p))[:top]
            ],
        },
        "wards": rows,
        "sector_links": {
            "counts": {f"{a}|{b}": k for (a, b), k in sorted(counts.items())},
            "missing": [list(p) for p in missing],
            "priority_missing": [list(p) for p in priority],
        },
        "unlinked_organisations": [],
    }


def _communities(communities: Any, columns: dict[str, list[Any]], seed: int) -> dict[str, Any]:
    ward_of = dict(zip(columns["id"], columns["ward"]))
    members: dict[int, list[str]] = {}
    for actor, number in communities.membership.items():
        members.setdefault(number, []).append(actor)
    listed = []
    for number in sorted(members):
        wards = Counter(ward_of.get(a) for a in members[number])
        wards.pop(None, None)
        main = min(wards, key=lambda w: (-wards[w], w)) if wards else None
        listed.append({"number": number, "size": len(members[number]), "main_ward": main, "internal_ties": None})
    return {
        "count": communities.count,
        "modularity": round(communities.modularity, 6),
        "engine": communities.method,
        "seed": seed,
        "list": listed,
        "bridging": [],
        "unlinked_pairs": [],
    }

"""The network report computed by the GDS engine, in the same shape as :func:`~..report.network_report`.

Every measure comes from :class:`~.gds.GdsEngine`, read back in bulk and kept
as numpy arrays in actor-id order (one array per measure, one list of ids):
no per-actor dictionary is built, only the rows of the actors the report
names. Only those actors' names are looked up (one store read each). Some parts of the
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

from ...store.neo4j_gds import GdsMeasures, actor_columns, introductions_made, sector_table, ward_table
from ..centrality import COMPOSITE_WEIGHTS, METRICS, rank_shares
from ..gaps import PRIORITY_SECTOR_PAIRS
from .gds import GdsEngine, effective_size, link_counts, numbered_communities

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
    measures = engine.measures(samples=samples, seed=seed)
    ids = measures.ids
    n = len(ids)
    columns = _Columns(actor_columns(store, **options), ids)
    values = _values(measures, introductions_made(store, **options))
    names = _Names(store)
    organisations = int(columns.organisation.sum())
    notes = [f"computed inside Neo4j by Graph Data Science {measures.version}"]
    if measures.samples is not None:
        closeness = ("closeness is exact" if measures.closeness_exact else
                     f"closeness estimated from {measures.samples} of them, the pivots the Python engine draws")
        notes.append(f"bridging estimated from {measures.samples} of {n:,} actors (seed {seed}); {closeness}")
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
        "gaps": _gaps(store, measures, values, columns, names, top, options),
        "communities": _communities(measures, columns, seed),
    }
    return report


class _Columns:
    """The analysed actors' ward (as codes into ``ward_names``), organisation and connector flags, in id order."""

    def __init__(self, raw: dict[str, list[Any]], ids: list[str]) -> None:
        if raw["id"] != ids:  # the server sorted the ids another way: put them in the measures' order
            at = {actor: i for i, actor in enumerate(raw["id"])}
            order = [at[actor] for actor in ids]
            raw = {key: [column[i] for i in order] for key, column in raw.items()}
        self.ward_names = sorted({w for w in raw["ward"] if w is not None})
        code = {w: i for i, w in enumerate(self.ward_names)}
        self.ward = np.fromiter((-1 if w is None else code[w] for w in raw["ward"]), dtype=np.int64, count=len(ids))
        self.organisation = np.asarray(raw["organisation"], dtype=bool)


def _values(measures: GdsMeasures, made: dict[str, int]) -> dict[str, np.ndarray]:
    """Every measure of the report as an array in id order (NaN where a measure has no value)."""
    arrays = measures.arrays
    n = len(measures.ids)
    values = {key: arrays.get(key, np.zeros(n)) for key in ("degree", "betweenness", "closeness", "pagerank",
                                                             "eigenvector")}
    values["effective_size"] = effective_size(measures)
    values["constraint"] = np.full(n, np.nan)
    introductions = np.zeros(n, dtype=np.int64)
    for actor, count in made.items():
        introductions[measures.position(actor)] = count
    values["introductions"] = introductions
    score = np.zeros(n)
    for metric, weight in COMPOSITE_WEIGHTS.items():
        score += weight * rank_shares(values[metric].astype(float))
    # rounded as the Python engine rounds each score (Python's round, not numpy's)
    values["score"] = np.fromiter((round(s, 12) for s in score.tolist()), dtype=float, count=n)
    return values


def _plain(value: Any) -> Any:
    """A numpy number as the report's plain value: None for NaN."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and value != value else value


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


def _connectors(
    values: dict[str, np.ndarray], ids: list[str], by: str, top: int, names: _Names
) -> list[dict[str, Any]]:
    """The ``top`` actors by ``by`` (ties by score, then id), as the Python engine orders them."""
    if not ids:
        return []
    sign = 1.0 if METRICS[by].higher_is_better else -1.0
    chosen = values[by].astype(float)
    missing = np.isnan(chosen)
    key = np.where(missing, 0.0, -sign * chosen)
    order = np.lexsort((np.arange(len(ids)), -values["score"], key, missing))  # last key sorts first
    out = []
    for rank, at in enumerate(order[:top].tolist(), start=1):
        ref = names.ref(ids[at])
        row = {key: ref[key] for key in ("id", "name", "actor_type", "ward", "roles")}
        for metric in METRICS:
            row[metric] = _plain(values[metric][at])
        row["introductions"] = int(row["introductions"])
        row["rank"] = rank
        out.append(row)
    return out


def _gaps(
    store: Any,
    measures: GdsMeasures,
    values: dict[str, np.ndarray],
    columns: _Columns,
    names: _Names,
    top: int,
    options: dict[str, Any],
) -> dict[str, Any]:
    ids = measures.ids
    links = link_counts(measures)
    isolated = np.flatnonzero(links == 0)
    single = np.flatnonzero(links == 1)
    between = values["betweenness"]
    cut = np.flatnonzero(measures.arrays["cut_point"]) if ids else np.zeros(0, dtype=np.int64)
    cut = cut[np.lexsort((cut, -between[cut]))] if len(cut) else cut
    codes = columns.ward[isolated]
    isolated_by_ward = Counter(
        {columns.ward_names[c]: int(k) for c, k in zip(*np.unique(codes[codes >= 0], return_counts=True))}
    )
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

    def bridging(pair: tuple[str, str]) -> float:
        return float(between[measures.position(pair[0])] + between[measures.position(pair[1])])

    bridges = sorted(measures.bridges, key=lambda p: (-bridging(p), p))
    return {
        "isolated": {"count": len(isolated), "actors": [names.short(ids[a]) for a in isolated[:top].tolist()]},
        "fragile": {
            "count": len(single),
            "actors": [
                {"actor": names.short(ids[a]), "via": None, "reason": "one link only"} for a in single[:top].tolist()
            ],
        },
        "cut_points": {
            "count": len(cut),
            "items": [
                {
                    "actor": names.short(ids[a]),
                    "pieces": None,
                    "cut_off": None,
                    "sentence": f"If {names.ref(ids[a])['name']} left, the network would split apart.",
                }
                for a in cut[:top].tolist()
            ],
        },
        "bridges": {
            "count": len(measures.bridges),
            "items": [
                {
                    "a": names.short(a),
                    "b": names.short(b),
                    "cut_off": None,
                    "sentence": f"If the link between {names.ref(a)['name']} and {names.ref(b)['name']} were lost, "
                    "the network would split apart.",
                }
                for a, b in bridges[:top]
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


def _communities(measures: GdsMeasures, columns: _Columns, seed: int) -> dict[str, Any]:
    """Each community's size and main ward (most members; equal counts by ward name), from arrays."""
    numbers, count = numbered_communities(measures)
    sizes = np.bincount(numbers, minlength=count + 1)
    main: dict[int, str] = {}
    warded = columns.ward >= 0
    if warded.any():
        wards_count = len(columns.ward_names)
        pairs, tally = np.unique(numbers[warded] * wards_count + columns.ward[warded], return_counts=True)
        number_of, ward_of = pairs // wards_count, pairs % wards_count
        # per community: the highest count first, then the ward that sorts first
        for at in np.lexsort((ward_of, -tally, number_of)).tolist():
            main.setdefault(int(number_of[at]), columns.ward_names[int(ward_of[at])])
    listed = [
        {"number": number, "size": int(sizes[number]), "main_ward": main.get(number), "internal_ties": None}
        for number in range(1, count + 1)
    ]
    return {
        "count": count,
        "modularity": round(measures.modularity, 6),
        "engine": "gds-leiden",
        "seed": seed,
        "list": listed,
        "bridging": [],
        "unlinked_pairs": [],
    }

"""One analysis of the whole network, as the ``analyse`` command prints it.

:func:`network_report` is pure: graph and records in, a JSON-ready
dictionary out. :func:`analyse_store` reads what it needs through the
:class:`~connector_graph.store.base.Store` protocol (never a query of its own),
calls it, and caches the result by the store's graph version so an unchanged
network is never analysed twice (it lives in :mod:`.analyse`, which imports
this module only when a report has to be made).

The dictionary (``analyse --json`` prints exactly this) has these keys:

``network``
    ``actors``, ``people``, ``organisations``, ``links``, ``as_of``,
    ``wards`` (the filter, or null), ``engine`` (``networkx``/``igraph``/``gds``),
    ``exact`` (false when bridging and closeness were sampled),
    ``samples``, ``seed``, ``notes``.
``betweenness_sampling``
    how bridging was computed: ``exact``, ``pivots`` (actors the shortest
    paths were counted from; all of them when exact), ``actors`` and
    ``agreement_top20`` (how many of the top 20 the last two sampling rounds
    shared; null when exact).
``metrics``
    each measure's key mapped to its one-line explanation.
``by``
    the measure the ``connectors`` are sorted by.
``connectors``
    the top actors, each with ``rank``, ``id``, ``name``, ``actor_type``,
    ``ward``, ``roles`` and every measure by key: ``degree``,
    ``betweenness``, ``closeness``, ``pagerank``, ``effective_size``,
    ``constraint`` (null for actors with no links), ``introductions``,
    ``score``.
``gaps``
    ``isolated`` and ``fragile`` (``count`` and the first ``actors``),
    ``cut_points`` and ``bridges`` (``count`` and the biggest, each with
    ``cut_off`` and a ``sentence``), ``wards`` (per-ward numbers),
    ``sector_links`` (``counts`` as ``"a|b"`` keys, ``missing`` and
    ``priority_missing`` pairs), ``unlinked_organisations``,
    ``stale_ties`` and ``overdue_follow_ups`` (``count`` and the first few).
``communities``
    ``count``, ``modularity``, ``engine``, ``seed``, ``list`` (``number``,
    ``size``, ``main_ward``, ``internal_ties``), ``bridging`` actors and
    ``unlinked_pairs``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, Collection, Hashable, Sequence

import networkx as nx

from ..model import Introduction, Tie, Ward
from . import engine as engines
from .centrality import (DEFAULT_SAMPLES, beside_measures, betweenness_sampling, sampling_plan, METRICS, compute_metrics,
                         key_connectors)
from .communities import bridging_actors, detect_communities
from .gaps import (
    isolated_actors,
    overdue_follow_ups,
    single_points,
    stale_ties,
    tie_matrix,
    unlinked_organisations,
    ward_stats,
)
from .suggestions import unlinked_community_pairs

__all__ = ["network_report", "analyse_store", "STALE_MONTHS"]

#: Ties not confirmed for this many months are reported as stale.
STALE_MONTHS = 12


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


def _first(items: Sequence[Any], top: int) -> list[Any]:
    return [asdict(item) for item in items[:top]]


def _gaps(
    G: nx.Graph,
    wards: Sequence[Ward],
    ties: Sequence[Tie] | None,
    introductions: Sequence[Introduction] | None,
    today: dt.date,
    top: int,
) -> dict[str, Any]:
    """The report's ``gaps`` section (plain data, so it can be computed beside the measures)."""
    isolated = isolated_actors(G)
    points = single_points(G)
    sectors = tie_matrix(G, "sector")
    gaps: dict[str, Any] = {
        "isolated": {"count": len(isolated), "actors": _first(isolated, top)},
        "fragile": {"count": len(points.fragile), "actors": _first(points.fragile, top)},
        "cut_points": {"count": len(points.cut_points), "items": _first(points.cut_points, top)},
        "bridges": {"count": len(points.bridges), "items": _first(points.bridges, top)},
        "wards": [asdict(w) for w in ward_stats(G, wards=wards, introductions=introductions)],
        "sector_links": {
            "counts": {f"{a}|{b}": n for (a, b), n in sectors.counts.items()},
            "missing": [list(pair) for pair in sectors.missing],
            "priority_missing": [list(pair) for pair in sectors.priority_missing],
        },
        "unlinked_organisations": [asdict(o) for o in unlinked_organisations(G)],
    }
    if ties is not None:
        stale = stale_ties(ties, today=today, months=STALE_MONTHS)
        gaps["stale_ties"] = {"months": STALE_MONTHS, "count": len(stale), "items": _first(stale, top)}
    if introductions is not None:
        overdue = overdue_follow_ups(introductions, today=today)
        gaps["overdue_follow_ups"] = {"count": len(overdue), "items": _first(overdue, top)}
    return gaps


def network_report(
    G: nx.Graph,
    *,
    top: int = 10,
    by: str = "score",
    wards: Sequence[Ward] = (),
    ties: Sequence[Tie] | None = None,
    introductions: Sequence[Introduction] | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    ward_filter: Collection[str] | None = None,
    engine: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> dict[str, Any]:
    """Key connectors, gaps and communities of ``G`` as one JSON-ready dictionary.

    Examples
    --------
    >>> G = nx.Graph([("a", "hub"), ("b", "hub"), ("c", "hub")]); G.add_node("d")
    >>> report = network_report(G, top=2)
    >>> [c["id"] for c in report["connectors"]], report["gaps"]["isolated"]["count"]
    (['hub', 'a'], 1)
    >>> report["gaps"]["cut_points"]["items"][0]["sentence"]
    'If hub left, 2 people would lose their only link to the rest of the network.'
    """
    today = today or as_of or dt.date.today()
    chosen, k = sampling_plan(G, engine=engine, samples=samples)
    if chosen == "igraph":
        engines.edge_arrays(G)  # convert once, before the fork, so both processes share it

    def beside() -> tuple[dict[str, Any], dict[str, dict[Hashable, Any]]]:
        """The gaps, closeness and brokerage: computed in another process, beside the rest."""
        return _gaps(G, wards, ties, introductions, today, top), beside_measures(G, engine=chosen, k=k, seed=seed)

    with engines.beside(beside, size=G.number_of_nodes()) as beside_result:
        partition = detect_communities(G, seed=seed, engine=engine)
        bridging = bridging_actors(G, partition, top=top)
        # closeness and brokerage are asked for last, once this process's own measures are done
        table = compute_metrics(G, engine=engine, samples=samples, seed=seed, elsewhere=lambda: beside_result()[1])
        connectors = key_connectors(G, top, by=by, table=table)
        gaps = beside_result()[0]
    kinds = [data.get("actor_type", "person") for _n, data in G.nodes(data=True)]
    communities = {
        "count": len(partition.communities),
        "modularity": round(partition.modularity, 6),
        "engine": partition.engine,
        "seed": partition.seed,
        "list": [
            {"number": c.number, "size": c.size, "main_ward": c.main_ward, "internal_ties": c.internal_ties}
            for c in partition.communities
        ],
        "bridging": [asdict(b) for b in bridging],
        "unlinked_pairs": [list(p) for p in unlinked_community_pairs(G, partition)[:top]]
        if len(partition.communities) <= 200
        else [],
    }
    report = {
        "network": {
            "actors": G.number_of_nodes(),
            "people": kinds.count("person"),
            "organisations": kinds.count("organisation"),
            "links": G.number_of_edges(),
            "as_of": as_of,
            "wards": sorted(ward_filter) if ward_filter is not None else None,
            "engine": table.engine,
            "exact": table.exact,
            "samples": table.samples,
            "seed": table.seed,
            "notes": table.notes,
        },
        "betweenness_sampling": betweenness_sampling(table, G.number_of_nodes()),
        "metrics": {key: metric.explanation for key, metric in METRICS.items()},
        "by": by,
        "connectors": [c.as_dict() for c in connectors],
        "gaps": gaps,
        "communities": communities,
    }
    return _plain(report)


from .analyse import analyse_store  # noqa: E402  (where it used to live)
